// The inputs' names and the defaults of action.yml, how an input is read, and the checks every
// other file of the inputs shares. A bad input is an InputError that names it.

import { CREDENTIAL } from '../secrets/credentials.js';

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

/** An input by its name, trimmed, its default when empty. */
export type Get = (name: string) => string;

export class InputError extends Error {
  constructor(
    readonly input: string,
    problem: string,
  ) {
    super(`Input \`${input}\` ${problem}`);
  }
}

/** The reader of every input: `read` trimmed, and the default of action.yml when empty. */
export function getter(read: (name: string) => string): Get {
  return (name) => {
    const value = read(name).trim();
    return value === '' && name in DEFAULTS ? DEFAULTS[name as keyof typeof DEFAULTS] : value;
  };
}

export function required(get: Get, name: string): string {
  const value = get(name);
  if (value === '') throw new InputError(name, 'is required and was not given');
  return value;
}

export function oneOf<T extends string>(get: Get, name: string, allowed: readonly T[]): T {
  const value = get(name);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(
      name,
      `must be one of ${allowed.map((a) => `\`${a}\``).join(', ')}; got ${quote(value)}`,
    );
  }
  return value as T;
}

export function integer(get: Get, name: string, min: number, max: number): number {
  const text = get(name);
  const value = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new InputError(name, `must be a whole number from ${min} to ${max}; got ${quote(text)}`);
  }
  return value;
}

export function visibleAscii(name: string, value: string): void {
  if (!CREDENTIAL.test(value)) {
    throw new InputError(name, 'contains spaces, line breaks or non-ASCII characters');
  }
}

export function names(list: readonly string[]): string {
  return list.map((name) => `\`${name}\``).join(', ');
}

/** Quotes a value for an error message, on one line and short. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
