// Reads and checks every input before any request is sent. A bad input is an InputError that
// names it; secrets reach `onSecret` the moment they are read, before anything is checked.

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Api } from '../clouds/cloud.js';
import { LOOPBACK, TENCENT_HOST } from '../net/hosts.js';
import {
  environmentBytes,
  type FolderConfig,
  MAX_ENVIRONMENT_BYTES,
  RESERVED_PREFIX,
  readFolderConfig,
  type SettingsAsk,
  TIMEOUT_RANGE,
  VARIABLE_NAME,
} from '../run/function-config.js';
import { DEFAULT_RUNTIME } from '../run/runtimes.js';
import {
  CREDENTIAL,
  type Keys,
  type Oidc,
  type WeChatCredentials,
} from '../secrets/credentials.js';
import { MIN_MASKED_VALUE } from '../secrets/secrets.js';
import { messageOf } from '../text/text.js';

export type IfExists = 'skip' | 'fail';

export interface Inputs {
  env: string;
  functionNames: string[];
  /** The route, `auto` resolved. */
  api: Api;
  /** Why that route, for the log's first line: `access-token given`. */
  because: string;
  wechat?: WeChatCredentials;
  keys?: Keys;
  /** Keys from GitHub's OIDC token, exchanged at STS for a CAM role. */
  oidc?: Oidc;
  ifExists: IfExists;
  parallel: number;
  apiBaseUrl: string;
  maxAttempts: number;
  retryDelayMs: number;
  requestTimeoutMs: number;
  dryRun: boolean;
  waitTimeoutSeconds: number;
  /** Upload each function's code from `dir/<name>/`; absent: create only. */
  code?: {
    dir: string;
    installDependencies: boolean;
    /** The repository: links in a function folder may point anywhere inside it. */
    root: string;
    /** Each function's `config.json`, read and checked; undefined where there is none. */
    folders: ReadonlyMap<string, FolderConfig | undefined>;
  };
  /** What to set of every function's timeout and variables; absent: leave them. */
  settings?: SettingsAsk;
  /** The event of the smoke test, as JSON text; absent: no invocation. */
  invoke?: string;
  tencentcloud: { endpoint: string; region: string; runtime: string; memoryMb: number };
}

/** The defaults of action.yml, applied when an input is empty (a test keeps the two equal). */
export const DEFAULTS = {
  'if-exists': 'skip',
  parallel: '4',
  'api-base-url': 'https://api.weixin.qq.com',
  'max-attempts': '5',
  'retry-delay-ms': '1000',
  'request-timeout-ms': '15000',
  'wait-timeout-seconds': '60',
  'dry-run': 'false',
  'install-dependencies': 'true',
  'environment-mode': 'merge',
  api: 'auto',
  'tencentcloud-endpoint': 'https://tcb.tencentcloudapi.com',
  'tencentcloud-region': 'ap-shanghai',
  'oidc-audience': 'sts.tencentcloudapi.com',
} as const;

/**
 * Used when the input is empty, on the Tencent Cloud route only (WeChat's createfunction takes
 * neither): the runtime and memory a new function is created with (see runtimes.ts).
 */
export { DEFAULT_RUNTIME };
export const DEFAULT_MEMORY_MB = 256;

/** More names than this would make outputs and the job summary too long to be useful. */
export const MAX_FUNCTIONS = 1000;

/** An invocation's event: WeChat documents no limit; a smoke test needs far less. */
export const MAX_EVENT_BYTES = 64 * 1024;

/** The inputs Tencent Cloud keys are read from. */
const KEY_INPUTS: Readonly<Record<keyof Keys, string>> = {
  secretId: 'tencentcloud-secret-id',
  secretKey: 'tencentcloud-secret-key',
  sessionToken: 'tencentcloud-session-token',
};

/** The variables Tencent Cloud keys are read from when the inputs are empty. */
const KEY_VARIABLES: Readonly<Record<keyof Keys, string>> = {
  secretId: 'TENCENTCLOUD_SECRET_ID',
  secretKey: 'TENCENTCLOUD_SECRET_KEY',
  sessionToken: 'TENCENTCLOUD_SESSION_TOKEN',
};

export class InputError extends Error {
  constructor(
    readonly input: string,
    problem: string,
  ) {
    super(`Input \`${input}\` ${problem}`);
  }
}

const ENV = /^[a-z][a-z0-9-]{0,63}$/;
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/;
const APP_ID = /^wx[0-9A-Za-z]{16}$/;
/**
 * A CAM role as STS's model documents its ARN: by name, `qcs::cam::uin/100012345678:roleName/deploy`,
 * or by id, `qcs::cam::uin/100012345678:role/4611686018427397919`.
 */
const ROLE_ARN = /^qcs::cam::uin\/\d{5,20}:(roleName\/[\w+=,.@-]{1,128}|role\/\d{1,20})$/;
/** An identity provider's name in CAM. */
const PROVIDER_ID = /^[\w+=,.@-]{1,128}$/;
/** The variables the runner sets only for a job with `permissions: id-token: write`. */
const ID_TOKEN_VARIABLES = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
/** A Node.js runtime as CloudBase names them: `Nodejs18.15`. */
const RUNTIME = /^Nodejs\d{1,2}\.\d{1,2}$/;

export interface ParseOptions {
  /** Hears of every secret the moment it is read, before anything is checked. */
  onSecret?: (value: string) => void;
  /** Where the Tencent Cloud keys' variables and GITHUB_WORKSPACE are read. */
  environment?: Readonly<Record<string, string | undefined>>;
}

export function parseInputs(
  read: (name: string) => string,
  { onSecret = () => {}, environment = {} }: ParseOptions = {},
): Inputs {
  const get = (name: string) => {
    const value = read(name).trim();
    return value === '' && name in DEFAULTS ? DEFAULTS[name as keyof typeof DEFAULTS] : value;
  };
  const secret = (value: string) => {
    if (value !== '') onSecret(value);
    return value;
  };
  const accessToken = secret(get('access-token'));
  const appSecret = secret(get('app-secret'));
  const readKeys = (names: Record<keyof Keys, string>, read: (name: string) => string) => ({
    secretId: secret(read(names.secretId)),
    secretKey: secret(read(names.secretKey)),
    sessionToken: secret(read(names.sessionToken)),
  });
  const keyInputs = readKeys(KEY_INPUTS, get);
  const keyVariables = readKeys(KEY_VARIABLES, (name) => environment[name]?.trim() ?? '');
  // Each value is a secret, masked before the lines are even split.
  const variables = parseEnvironment(read('environment'), onSecret);

  const env = required(get, 'env');
  if (!ENV.test(env)) {
    throw new InputError(
      'env',
      `must be a cloud environment id such as \`test-777bb9\`: a lowercase letter, then lowercase letters, digits and \`-\`, at most 64 characters; got ${quote(env)}`,
    );
  }
  const functionNames = parseFunctionNames(required(get, 'function-name'));
  const wechat = parseWeChatCredentials(accessToken, get('app-id'), appSecret);
  const choice = oneOf(get, 'api', ['auto', 'wechat', 'tencentcloud']);
  const oidc = parseOidc(get, choice, keyInputs, environment);
  const { api, keys, because } = oidc
    ? oidcRoute(choice, wechat)
    : chooseRoute(choice, wechat, keyInputs, keyVariables);
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
    api,
    because,
    ...(wechat ? { wechat } : {}),
    ...(keys ? { keys } : {}),
    ...(oidc ? { oidc } : {}),
    ifExists: oneOf(get, 'if-exists', ['skip', 'fail']),
    parallel: integer(get, 'parallel', 1, 10),
    apiBaseUrl: parseBaseUrl(get('api-base-url'), 'api-base-url'),
    maxAttempts: integer(get, 'max-attempts', 1, 20),
    retryDelayMs: integer(get, 'retry-delay-ms', 0, 30_000),
    requestTimeoutMs: integer(get, 'request-timeout-ms', 100, 300_000),
    dryRun: oneOf(get, 'dry-run', ['false', 'true']) === 'true',
    waitTimeoutSeconds,
    ...(code ? { code } : {}),
    ...parseSettings(get, variables, api),
    ...parseInvoke(get('invoke'), { api, wechat, waitTimeoutSeconds }),
    tencentcloud: parseTencentCloud(get, api),
  };
}

/** Every function needs its folder with `index.js` (handler `index.main`), checked up front. */
function parseCode(
  dir: string,
  functionNames: readonly string[],
  installDependencies: 'true' | 'false',
  root: string,
): Inputs['code'] {
  if (dir === '') return undefined;
  if (!isFolder(dir)) {
    throw new InputError(
      'code-dir',
      `must be a folder holding one folder per function; ${quote(dir)} is not a folder`,
    );
  }
  const missing = functionNames.filter((name) => !isFolder(join(dir, name)));
  if (missing.length > 0) {
    throw new InputError(
      'code-dir',
      `has no folder for ${names(missing)}: each function's code goes in ${quote(join(dir, '<name>'))}`,
    );
  }
  const noIndex = functionNames.filter((name) => !existsSync(join(dir, name, 'index.js')));
  if (noIndex.length > 0) {
    throw new InputError(
      'code-dir',
      `has no index.js in the folder of ${names(noIndex)}: the handler \`index.main\` needs it at the folder's root`,
    );
  }
  const folders = new Map<string, FolderConfig | undefined>();
  for (const name of functionNames) {
    try {
      folders.set(name, readFolderConfig(join(dir, name)));
    } catch (error) {
      throw new InputError(
        'code-dir',
        `has a config.json that cannot be deployed: ${messageOf(error)}`,
      );
    }
  }
  return { dir, installDependencies: installDependencies === 'true', root, folders };
}

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

function required(get: (name: string) => string, name: string): string {
  const value = get(name);
  if (value === '') throw new InputError(name, 'is required and was not given');
  return value;
}

function parseWeChatCredentials(
  accessToken: string,
  appId: string,
  appSecret: string,
): WeChatCredentials | undefined {
  if (accessToken !== '' && (appId !== '' || appSecret !== '')) {
    throw new InputError(
      'access-token',
      'and `app-id`/`app-secret` were both given: pass either `access-token`, or `app-id` with `app-secret`',
    );
  }
  if (accessToken !== '') {
    visibleAscii('access-token', accessToken);
    return { kind: 'access-token', accessToken };
  }
  if (appId === '' && appSecret === '') return undefined;
  if (appSecret === '') throw new InputError('app-secret', 'is required with `app-id`');
  if (appId === '') throw new InputError('app-id', 'is required with `app-secret`');
  if (!APP_ID.test(appId)) {
    // Never quoted: a secret pasted into the wrong input would end up in the log and outputs.
    throw new InputError(
      'app-id',
      `must be a mini program app id: \`wx\` and 16 letters or digits; got ${shape(appId)}`,
    );
  }
  visibleAscii('app-secret', appSecret);
  return { kind: 'app-secret', appId, appSecret };
}

/** The keys, from the inputs (`fromInputs`) or else from the TENCENTCLOUD_* variables. */
function parseKeys(
  { secretId, secretKey, sessionToken }: Record<keyof Keys, string>,
  fromInputs: boolean,
): Keys {
  const name = (key: keyof Keys) => (fromInputs ? KEY_INPUTS : KEY_VARIABLES)[key];
  if (secretId === '' && secretKey === '') {
    throw new InputError(
      name('sessionToken'),
      'goes with a secret id and key, and neither was given',
    );
  }
  if (secretId === '')
    throw new InputError(name('secretId'), `is required with ${name('secretKey')}`);
  if (secretKey === '')
    throw new InputError(name('secretKey'), `is required with ${name('secretId')}`);
  visibleAscii(name('secretId'), secretId);
  visibleAscii(name('secretKey'), secretKey);
  if (sessionToken !== '') visibleAscii(name('sessionToken'), sessionToken);
  return { secretId, secretKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** The inputs that gave the WeChat token, as the first log line names them. */
function wechatInputs(wechat: WeChatCredentials): string {
  return wechat.kind === 'access-token' ? 'access-token' : 'app-id and app-secret';
}

/**
 * The route, its keys and why. `auto` decides from the step's own inputs first: key inputs take
 * the Tencent Cloud route, a WeChat token WeChat's; the TENCENTCLOUD_* variables, which another
 * step may have left in the job, count only when the step was given neither.
 */
function chooseRoute(
  choice: 'auto' | 'wechat' | 'tencentcloud',
  wechat: WeChatCredentials | undefined,
  keyInputs: Record<keyof Keys, string>,
  keyVariables: Record<keyof Keys, string>,
): { api: Api; keys?: Keys; because: string } {
  const given = (values: Record<keyof Keys, string>) =>
    Object.values(values).some((value) => value !== '');
  if (given(keyInputs)) {
    if (choice === 'wechat') {
      throw new InputError(
        'tencentcloud-secret-id',
        'is for `api: tencentcloud`; with `api: wechat` the calls take `access-token`, or `app-id` with `app-secret`',
      );
    }
    const route = choice === 'auto' ? '' : 'api: tencentcloud, ';
    const invoke = wechat ? `; ${wechatInputs(wechat)} kept for invoke` : '';
    return {
      api: 'tencentcloud',
      keys: parseKeys(keyInputs, true),
      because: `${route}tencentcloud-secret-id given${invoke}`,
    };
  }
  if (choice === 'wechat' || (choice === 'auto' && wechat)) {
    if (!wechat) {
      throw new InputError(
        'access-token',
        'is missing: pass `access-token`, or `app-id` with `app-secret`, or Tencent Cloud keys (see "Which credentials?" in the README)',
      );
    }
    const unused = given(keyVariables) ? '; the TENCENTCLOUD_* variables are not used' : '';
    return {
      api: 'wechat',
      because: `${choice === 'auto' ? `${wechatInputs(wechat)} given` : 'api: wechat'}${unused}`,
    };
  }
  const keys = given(keyVariables) ? parseKeys(keyVariables, false) : undefined;
  const route = choice === 'auto' ? '' : 'api: tencentcloud, ';
  if (keys)
    return { api: 'tencentcloud', keys, because: `${route}keys from the TENCENTCLOUD_* variables` };
  if (choice === 'tencentcloud' && wechat) {
    return {
      api: 'tencentcloud',
      because: `${route}keys exchanged for the WeChat token of ${wechatInputs(wechat)}`,
    };
  }
  throw new InputError(
    choice === 'auto' ? 'access-token' : 'tencentcloud-secret-id',
    choice === 'auto'
      ? 'is missing: pass `access-token`, or `app-id` with `app-secret`, or Tencent Cloud keys (see "Which credentials?" in the README)'
      : 'is missing: `api: tencentcloud` takes Tencent Cloud keys, or a WeChat token (`access-token`, or `app-id` with `app-secret`) to exchange for them',
  );
}

/**
 * The role to assume with GitHub's OIDC token, when `tencentcloud-role-arn` is given: checked,
 * with the job's permission to ask for the token, before any request.
 */
function parseOidc(
  get: (name: string) => string,
  choice: 'auto' | 'wechat' | 'tencentcloud',
  keyInputs: Record<keyof Keys, string>,
  environment: Readonly<Record<string, string | undefined>>,
): Oidc | undefined {
  const roleArn = get('tencentcloud-role-arn');
  const providerId = get('tencentcloud-oidc-provider-id');
  const audience = get('oidc-audience');
  if (roleArn === '') {
    if (providerId !== '') {
      throw new InputError('tencentcloud-oidc-provider-id', 'goes with `tencentcloud-role-arn`');
    }
    return undefined;
  }
  if (choice === 'wechat') {
    throw new InputError(
      'tencentcloud-role-arn',
      'is for `api: tencentcloud`; with `api: wechat` the calls take `access-token`, or `app-id` with `app-secret`',
    );
  }
  if (Object.values(keyInputs).some((value) => value !== '')) {
    throw new InputError(
      'tencentcloud-role-arn',
      'and `tencentcloud-secret-id` were both given: pass either a role to assume with the job’s OIDC token, or keys',
    );
  }
  if (!ROLE_ARN.test(roleArn)) {
    throw new InputError(
      'tencentcloud-role-arn',
      `must be a CAM role's ARN such as \`qcs::cam::uin/100012345678:roleName/deploy\`; got ${quote(roleArn)}`,
    );
  }
  if (providerId === '') {
    throw new InputError(
      'tencentcloud-oidc-provider-id',
      "is required with `tencentcloud-role-arn`: the name of CAM's identity provider for GitHub",
    );
  }
  if (!PROVIDER_ID.test(providerId)) {
    throw new InputError(
      'tencentcloud-oidc-provider-id',
      `must be an identity provider's name in CAM: letters, digits and \`+=,.@_-\`; got ${quote(providerId)}`,
    );
  }
  visibleAscii('oidc-audience', audience);
  if (ID_TOKEN_VARIABLES.some((name) => !environment[name])) {
    throw new InputError(
      'tencentcloud-role-arn',
      "needs GitHub's OIDC token, and this job may not ask for it: give the job `permissions: id-token: write`",
    );
  }
  return { roleArn, providerId, audience };
}

/** The Tencent Cloud route with keys from the OIDC exchange; a WeChat token kept for invoke. */
function oidcRoute(
  choice: 'auto' | 'wechat' | 'tencentcloud',
  wechat: WeChatCredentials | undefined,
): { api: Api; keys?: Keys; because: string } {
  const route = choice === 'auto' ? '' : 'api: tencentcloud, ';
  const invoke = wechat ? `; ${wechatInputs(wechat)} kept for invoke` : '';
  return {
    api: 'tencentcloud',
    because: `${route}tencentcloud-role-arn given: keys from GitHub's OIDC token${invoke}`,
  };
}

/** The multi-line `KEY=VALUE` of `environment`, every value handed to `onSecret` first. */
export function parseEnvironment(
  text: string,
  onSecret: (value: string) => void,
): Map<string, string> | undefined {
  const lines = text.split(/\r?\n/);
  for (const line of lines) {
    const value = line.slice(line.indexOf('=') + 1);
    if (line.indexOf('=') > 0 && value.length >= MIN_MASKED_VALUE) onSecret(value);
  }
  const variables = new Map<string, string>();
  const lineOf = new Map<string, number>();
  // Errors name lines, never their text: a value cut by a line break makes its next line look
  // like `NAME=VALUE`, and the part before `=` is then a piece of the value.
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const at = line.indexOf('=');
    const name = line.slice(0, Math.max(at, 0)).trim();
    const problem =
      at <= 0 || !VARIABLE_NAME.test(name)
        ? `does not start with a variable name and \`=\` (a letter, then letters, digits and \`_\`, at most 64 characters). A value cannot span lines: encode a multi-line value, e.g. in base64`
        : RESERVED_PREFIX.test(name)
          ? 'names a variable with a prefix the platform keeps for itself (SCF_, QCLOUD_, TENCENTCLOUD_)'
          : lineOf.has(name)
            ? `names the variable of line ${lineOf.get(name)} again`
            : undefined;
    if (problem) throw new InputError('environment', `line ${index + 1} ${problem}`);
    lineOf.set(name, index + 1);
    variables.set(name, line.slice(at + 1));
  }
  if (variables.size === 0) return undefined;
  const bytes = environmentBytes(variables);
  if (bytes > MAX_ENVIRONMENT_BYTES) {
    throw new InputError(
      'environment',
      `holds ${bytes} bytes of names and values; a function's variables may take ${MAX_ENVIRONMENT_BYTES}`,
    );
  }
  return variables;
}

function parseSettings(
  get: (name: string) => string,
  environment: Map<string, string> | undefined,
  api: Api,
): { settings?: SettingsAsk } {
  const mode = oneOf(get, 'environment-mode', ['merge', 'replace']);
  const timeout =
    get('timeout-seconds') === '' ? undefined : integer(get, 'timeout-seconds', ...TIMEOUT_RANGE);
  // A memory size given is asked of existing functions too; parseTencentCloud checks it.
  const memoryMb =
    api === 'tencentcloud' && get('memory-mb') !== ''
      ? integer(get, 'memory-mb', 64, 3072)
      : undefined;
  if (timeout === undefined && environment === undefined && memoryMb === undefined) {
    if (mode === 'merge') return {};
  }
  return {
    settings: {
      mode,
      ...(timeout === undefined ? {} : { timeout }),
      ...(environment ? { environment } : {}),
      ...(memoryMb === undefined ? {} : { memoryMb }),
    },
  };
}

function parseInvoke(
  text: string,
  route: { api: Api; wechat?: WeChatCredentials; waitTimeoutSeconds: number },
): { invoke?: string } {
  if (text === '') return {};
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw new InputError(
      'invoke',
      'must be a JSON object, the event each function is invoked with, e.g. `{"ping": true}`',
    );
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InputError('invoke', 'must be a JSON object, e.g. `{"ping": true}`');
  }
  if (Buffer.byteLength(text) > MAX_EVENT_BYTES) {
    throw new InputError(
      'invoke',
      `is over ${MAX_EVENT_BYTES / 1024} KiB: a smoke test needs a small event`,
    );
  }
  if (route.waitTimeoutSeconds === 0) {
    throw new InputError(
      'invoke',
      'needs every function `Active` first, and `wait-timeout-seconds: 0` does not wait for that',
    );
  }
  if (!route.wechat) {
    throw new InputError(
      'invoke',
      "invokes through WeChat's `tcb/invokecloudfunction`, which takes a WeChat token: pass `access-token`, or `app-id` with `app-secret` (Tencent Cloud's API documents no invocation)",
    );
  }
  return { invoke: JSON.stringify(event) };
}

function parseTencentCloud(get: (name: string) => string, api: Api): Inputs['tencentcloud'] {
  const runtime = get('runtime');
  const memory = get('memory-mb');
  if (api === 'wechat') {
    for (const [name, value] of [
      ['runtime', runtime],
      ['memory-mb', memory],
    ]) {
      if (value !== '') {
        throw new InputError(
          name,
          "is for `api: tencentcloud`: WeChat's createfunction takes no runtime or memory size",
        );
      }
    }
  }
  if (runtime !== '' && !RUNTIME.test(runtime)) {
    throw new InputError(
      'runtime',
      `must be a runtime such as \`${DEFAULT_RUNTIME}\`; got ${quote(runtime)}`,
    );
  }
  const memoryMb = memory === '' ? DEFAULT_MEMORY_MB : integer(get, 'memory-mb', 64, 3072);
  if (memoryMb !== 64 && memoryMb % 128 !== 0) {
    throw new InputError(
      'memory-mb',
      `must be 64, or a multiple of 128 up to 3072; got ${memoryMb}`,
    );
  }
  return {
    endpoint: parseBaseUrl(get('tencentcloud-endpoint'), 'tencentcloud-endpoint'),
    region: parseRegion(get('tencentcloud-region')),
    runtime: runtime || DEFAULT_RUNTIME,
    memoryMb,
  };
}

/** A Tencent Cloud region as it is written: `ap-shanghai`, `ap-guangzhou`, `na-siliconvalley`. */
function parseRegion(region: string): string {
  if (!/^[a-z]{2,4}(-[a-z]+){1,2}(-\d+)?$/.test(region)) {
    throw new InputError(
      'tencentcloud-region',
      `must be a Tencent Cloud region such as \`${DEFAULTS['tencentcloud-region']}\`; got ${quote(region)}`,
    );
  }
  return region;
}

function visibleAscii(name: string, value: string): void {
  if (!CREDENTIAL.test(value)) {
    throw new InputError(name, 'contains spaces, line breaks or non-ASCII characters');
  }
}

function names(list: readonly string[]): string {
  return list.map((name) => `\`${name}\``).join(', ');
}

/** One name, or one per line; blank lines are dropped and a repeated name counts once. */
export function parseFunctionNames(text: string): string[] {
  const names = [...new Set(text.split(/\r?\n/).map((line) => line.trim()))].filter(Boolean);
  for (const name of names) {
    if (!FUNCTION_NAME.test(name)) {
      throw new InputError(
        'function-name',
        `has an invalid name ${quote(name)}: a name is 2 to 60 letters, digits, \`-\` and \`_\`, starts with a letter and does not end with \`-\` or \`_\``,
      );
    }
  }
  if (names.length > MAX_FUNCTIONS) {
    throw new InputError(
      'function-name',
      `names ${names.length} functions; at most ${MAX_FUNCTIONS} fit in one step: split them over several steps`,
    );
  }
  return names;
}

function oneOf<T extends string>(
  get: (name: string) => string,
  name: string,
  allowed: readonly T[],
): T {
  const value = get(name);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(
      name,
      `must be one of ${allowed.map((a) => `\`${a}\``).join(', ')}; got ${quote(value)}`,
    );
  }
  return value as T;
}

function integer(get: (name: string) => string, name: string, min: number, max: number): number {
  const text = get(name);
  const value = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new InputError(name, `must be a whole number from ${min} to ${max}; got ${quote(text)}`);
  }
  return value;
}

function parseBaseUrl(text: string, name: 'api-base-url' | 'tencentcloud-endpoint'): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(
      name,
      `must be an http(s) URL such as ${DEFAULTS[name]}; got ${quote(withoutUserinfo(text))}`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(name, `must be an http(s) URL; got the scheme ${quote(url.protocol)}`);
  }
  const loopback = LOOPBACK.test(url.hostname);
  if (url.protocol === 'http:' && !loopback) {
    throw new InputError(
      name,
      `uses plain http to ${quote(url.hostname)}: credentials would travel in clear text. Use https (plain http is allowed only to loopback)`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(name, 'must not carry credentials, a query or a fragment');
  }
  // The keys sign every request, and a signature carries the code and the variables with it.
  if (name === 'tencentcloud-endpoint' && !loopback && !TENCENT_HOST.test(url.hostname)) {
    throw new InputError(
      name,
      `names the host ${quote(url.hostname)}: Tencent Cloud keys go only to Tencent Cloud's API, a host under tencentcloudapi.com (or a loopback address, for a local stand-in)`,
    );
  }
  if (name === 'tencentcloud-endpoint' && !loopback && url.port !== '') {
    throw new InputError(
      name,
      `names the port ${url.port}: Tencent Cloud's API takes https on 443`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * A URL that did not parse, without what may be a user and password: everything between the
 * scheme and the last `@`.
 */
function withoutUserinfo(text: string): string {
  const at = text.lastIndexOf('@');
  if (at === -1) return text;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:(\/\/)?/.exec(text)?.[0] ?? '';
  return `${scheme}…${text.slice(at)}`;
}

/** Describes a credential-shaped value without showing it. */
function shape(value: string): string {
  const start = value.startsWith('wx') ? 'starting with `wx`' : 'not starting with `wx`';
  const other = /[^0-9A-Za-z]/.test(value) ? ', with characters other than letters and digits' : '';
  return `a value of ${value.length} characters, ${start}${other}`;
}

/** Quotes a value for an error message, on one line and short. */
function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
