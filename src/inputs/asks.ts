// What the run is asked to do to each function beyond creating it: its code (`code-dir`), its
// configuration (`environment`, `timeout-seconds`, `memory-mb`), the runtime and memory of a new
// function, and the smoke test (`invoke`).

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Api } from '../clouds/cloud.js';
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
import type { CodeAsk } from '../run/result.js';
import { DEFAULT_RUNTIME } from '../run/runtimes.js';
import type { WeChatCredentials } from '../secrets/credentials.js';
import { MIN_MASKED_VALUE } from '../secrets/secrets.js';
import { messageOf } from '../text/text.js';
import { type Get, InputError, integer, names, oneOf, quote } from './read.js';

/**
 * Used when the input is empty, on the Tencent Cloud route only (WeChat's createfunction takes
 * neither): the memory a new function is created with, and below, its runtime (runtimes.ts).
 */
const DEFAULT_MEMORY_MB = 256;

export { DEFAULT_RUNTIME };

/** An invocation's event: WeChat documents no limit; a smoke test needs far less. */
const MAX_EVENT_BYTES = 64 * 1024;

/** A Node.js runtime as CloudBase names them: `Nodejs18.15`. */
const RUNTIME = /^Nodejs\d{1,2}\.\d{1,2}$/;

/** Every function needs its folder with `index.js` (handler `index.main`), checked up front. */
export function parseCode(
  dir: string,
  functionNames: readonly string[],
  installDependencies: 'true' | 'false',
  root: string,
): CodeAsk | undefined {
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

export function parseSettings(
  get: Get,
  environment: Map<string, string> | undefined,
  api: Api,
): { settings?: SettingsAsk } {
  const mode = oneOf(get, 'environment-mode', ['merge', 'replace']);
  const timeout =
    get('timeout-seconds') === '' ? undefined : integer(get, 'timeout-seconds', ...TIMEOUT_RANGE);
  // A memory size given is asked of existing functions too; parseNewFunction checks it.
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

export function parseInvoke(
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

/** The runtime and memory a new function is created with, on the Tencent Cloud route. */
export function parseNewFunction(get: Get, api: Api): { runtime: string; memoryMb: number } {
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
  return { runtime: runtime || DEFAULT_RUNTIME, memoryMb };
}
