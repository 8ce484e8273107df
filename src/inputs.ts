// Reads and checks every input before any request is sent. A bad input is an InputError that
// names it; secrets reach `onSecret` the moment they are read, before anything is checked.

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type IfExists = 'skip' | 'fail';

export type Credentials =
  | { kind: 'access-token'; accessToken: string }
  | { kind: 'app-secret'; appId: string; appSecret: string };

export interface Inputs {
  env: string;
  functionNames: string[];
  credentials: Credentials;
  ifExists: IfExists;
  parallel: number;
  apiBaseUrl: string;
  maxAttempts: number;
  retryDelayMs: number;
  requestTimeoutMs: number;
  dryRun: boolean;
  waitTimeoutSeconds: number;
  /** Upload each function's code from `dir/<name>/`; absent: create only. */
  code?: { dir: string; installDependencies: boolean };
}

/** The defaults of action.yml, applied when an input is empty (a test keeps the two equal). */
export const DEFAULTS = {
  'if-exists': 'skip',
  parallel: '4',
  'api-base-url': 'https://api.weixin.qq.com',
  'max-attempts': '5',
  'retry-delay-ms': '1000',
  'request-timeout-ms': '30000',
  'wait-timeout-seconds': '60',
  'dry-run': 'false',
  'install-dependencies': 'true',
} as const;

/** More names than this would make outputs and the job summary too long to be useful. */
export const MAX_FUNCTIONS = 1000;

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
/** Visible ASCII only: a token or secret with spaces or line breaks was pasted wrong. */
export const CREDENTIAL = /^[\x21-\x7e]+$/;

export function parseInputs(
  read: (name: string) => string,
  onSecret: (value: string) => void = () => {},
): Inputs {
  const get = (name: string) => {
    const value = read(name).trim();
    return value === '' && name in DEFAULTS ? DEFAULTS[name as keyof typeof DEFAULTS] : value;
  };
  const secret = (name: string) => {
    const value = get(name);
    onSecret(value);
    return value;
  };
  const accessToken = secret('access-token');
  const appSecret = secret('app-secret');

  const env = required(get, 'env');
  if (!ENV.test(env)) {
    throw new InputError(
      'env',
      `must be a cloud environment id such as \`test-777bb9\`: a lowercase letter, then lowercase letters, digits and \`-\`, at most 64 characters; got ${quote(env)}`,
    );
  }

  const functionNames = parseFunctionNames(required(get, 'function-name'));
  return {
    env,
    functionNames,
    credentials: parseCredentials(accessToken, get('app-id'), appSecret),
    ifExists: oneOf(get, 'if-exists', ['skip', 'fail']),
    parallel: integer(get, 'parallel', 1, 10),
    apiBaseUrl: parseBaseUrl(get('api-base-url')),
    maxAttempts: integer(get, 'max-attempts', 1, 20),
    retryDelayMs: integer(get, 'retry-delay-ms', 0, 30_000),
    requestTimeoutMs: integer(get, 'request-timeout-ms', 100, 300_000),
    dryRun: oneOf(get, 'dry-run', ['false', 'true']) === 'true',
    waitTimeoutSeconds: integer(get, 'wait-timeout-seconds', 0, 600),
    code: parseCode(
      get('code-dir'),
      functionNames,
      oneOf(get, 'install-dependencies', ['true', 'false']),
    ),
  };
}

/** Every function needs its folder with `index.js` (handler `index.main`), checked up front. */
function parseCode(
  dir: string,
  functionNames: readonly string[],
  installDependencies: 'true' | 'false',
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
      `has no folder for ${missing.map((name) => `\`${name}\``).join(', ')}: each function's code goes in ${quote(join(dir, '<name>'))}`,
    );
  }
  const noIndex = functionNames.filter((name) => !existsSync(join(dir, name, 'index.js')));
  if (noIndex.length > 0) {
    throw new InputError(
      'code-dir',
      `has no index.js in the folder of ${noIndex.map((name) => `\`${name}\``).join(', ')}: the handler \`index.main\` needs it at the folder's root`,
    );
  }
  return { dir, installDependencies: installDependencies === 'true' };
}

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

function required(get: (name: string) => string, name: string): string {
  const value = get(name);
  if (value === '') throw new InputError(name, 'is required and was not given');
  return value;
}

function parseCredentials(accessToken: string, appId: string, appSecret: string): Credentials {
  if (accessToken !== '' && (appId !== '' || appSecret !== '')) {
    throw new InputError(
      'access-token',
      'and `app-id`/`app-secret` were both given: pass either `access-token`, or `app-id` with `app-secret`',
    );
  }
  if (accessToken !== '') {
    if (!CREDENTIAL.test(accessToken)) {
      throw new InputError('access-token', 'contains spaces, line breaks or non-ASCII characters');
    }
    return { kind: 'access-token', accessToken };
  }
  if (appId === '' && appSecret === '') {
    throw new InputError(
      'access-token',
      'is missing: pass `access-token`, or `app-id` with `app-secret` (see Credentials in the README)',
    );
  }
  if (appSecret === '') throw new InputError('app-secret', 'is required with `app-id`');
  if (appId === '') throw new InputError('app-id', 'is required with `app-secret`');
  if (!APP_ID.test(appId)) {
    // Never quoted: a secret pasted into the wrong input would end up in the log and outputs.
    throw new InputError(
      'app-id',
      `must be a mini program app id: \`wx\` and 16 letters or digits; got ${shape(appId)}`,
    );
  }
  if (!CREDENTIAL.test(appSecret)) {
    throw new InputError('app-secret', 'contains spaces, line breaks or non-ASCII characters');
  }
  return { kind: 'app-secret', appId, appSecret };
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

/** Hosts that never leave this machine: plain http and the stand-in are allowed there. */
export const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

function parseBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(
      'api-base-url',
      `must be an http(s) URL such as ${DEFAULTS['api-base-url']}; got ${quote(text)}`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(
      'api-base-url',
      `must be an http(s) URL; got the scheme ${quote(url.protocol)}`,
    );
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    throw new InputError(
      'api-base-url',
      `uses plain http to ${quote(url.hostname)}: the access token would travel in clear text. Use https (plain http is allowed only to loopback)`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError('api-base-url', 'must not carry credentials, a query or a fragment');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
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
