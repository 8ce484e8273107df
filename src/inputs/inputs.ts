// Reads and checks every input before any request is sent. A bad input is an InputError that
// names it; secrets reach `onSecret` the moment they are read, before anything is checked.

import type { SettingsAsk } from '../run/function-config.js';
import type { CodeAsk, IfExists } from '../run/result.js';
import {
  parseCode,
  parseEnvironment,
  parseInvoke,
  parseNewFunction,
  parseSettings,
} from './asks.js';
import { type NetworkAsk, parseNetwork } from './network.js';
import { type Get, getter, integer, oneOf, required } from './read.js';
import { parseRoute, parseTencentCloudApi, type Route, readCredentials } from './route-choice.js';
import { parseEnv, parseFunctionNames } from './targets.js';

export { DEFAULT_RUNTIME } from './asks.js';
export { DEFAULTS, InputError } from './read.js';
export { MAX_FUNCTIONS, parseFunctionNames } from './targets.js';

export interface Inputs extends Route, NetworkAsk {
  env: string;
  functionNames: string[];
  ifExists: IfExists;
  dryRun: boolean;
  waitTimeoutSeconds: number;
  /** Upload each function's code from `dir/<name>/`; absent: create only. */
  code?: CodeAsk;
  /** What to set of every function's timeout and variables; absent: leave them. */
  settings?: SettingsAsk;
  /** The event of the smoke test, as JSON text; absent: no invocation. */
  invoke?: string;
  tencentcloud: { endpoint: string; region: string; runtime: string; memoryMb: number };
}

interface ParseOptions {
  /** Hears of every secret the moment it is read, before anything is checked. */
  onSecret?: (value: string) => void;
  /** Where the Tencent Cloud keys' variables and GITHUB_WORKSPACE are read. */
  environment?: Readonly<Record<string, string | undefined>>;
}

export function parseInputs(
  read: (name: string) => string,
  { onSecret = () => {}, environment = {} }: ParseOptions = {},
): Inputs {
  const get = getter(read);
  const given = readCredentials(get, environment, onSecret);
  // Each value is a secret, masked before the lines are even split.
  const variables = parseEnvironment(read('environment'), onSecret);

  const env = parseEnv(get);
  const functionNames = parseFunctionNames(required(get, 'function-name'));
  const route = parseRoute(get, given, environment);
  const { api, wechat } = route;
  const waitTimeoutSeconds = integer(get, 'wait-timeout-seconds', 0, 600);
  const code = parseCode(
    get('code-dir'),
    functionNames,
    oneOf(get, 'install-dependencies', ['true', 'false']),
    environment.GITHUB_WORKSPACE || process.cwd(),
  );
  return {
    env,
    functionNames,
    ...route,
    ifExists: oneOf(get, 'if-exists', ['skip', 'fail']),
    ...parseNetwork(get),
    dryRun: oneOf(get, 'dry-run', ['false', 'true']) === 'true',
    waitTimeoutSeconds,
    ...(code ? { code } : {}),
    ...parseSettings(get, variables, api),
    ...parseInvoke(get('invoke'), { api, wechat, waitTimeoutSeconds }),
    tencentcloud: tencentCloud(get, api),
  };
}

/** What the Tencent Cloud route takes, checked in the order its errors are said. */
function tencentCloud(get: Get, api: Inputs['api']): Inputs['tencentcloud'] {
  const created = parseNewFunction(get, api);
  return { ...parseTencentCloudApi(get), ...created };
}
