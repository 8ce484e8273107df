// A function's configuration, besides its code: the cloud-call permissions of its folder's
// `config.json` (as WeChat DevTools writes it), and the settings the step asks for (timeout,
// environment variables). What to write is worked out here, against what the cloud holds, so
// that nothing is written when nothing changes and no variable is dropped without a word.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from './cloud.js';

/** What a function folder's `config.json` asks for. */
export interface FolderConfig {
  /** `permissions.openapi`: the WeChat APIs the function may call through `cloud.openapi`. */
  openapi?: string[];
  /** DevTools' timer triggers, which the action cannot deploy (see the README). */
  triggers: boolean;
}

/** What the step asks of every function's settings. */
export interface SettingsAsk {
  timeout?: number;
  environment?: ReadonlyMap<string, string>;
  /** `merge`: named variables are set, others kept; `replace`: exactly the named ones. */
  mode: 'merge' | 'replace';
}

/** What changes, by variable name (never by value), and the timeout. */
export interface SettingsChange {
  added: string[];
  changed: string[];
  removed: string[];
  timeout?: { from: number; to: number };
}

/** WeChat's documented default timeout of a function, in seconds, and its range. */
export const DEFAULT_TIMEOUT = 3;
export const TIMEOUT_RANGE = [1, 300] as const;
/** Tencent Cloud SCF: the variables of one function, names and values, fit in 4 KB. */
export const MAX_ENVIRONMENT_BYTES = 4096;
/** CloudBase: a name starts with a letter, then letters, digits and `_`; SCF: at most 64 bytes. */
export const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Names the platform keeps for itself. */
export const RESERVED_PREFIX = /^(SCF_|QCLOUD_|TENCENTCLOUD_)/i;

/** Reads `config.json` of a function folder; undefined when there is none. Throws what is wrong. */
export function readFolderConfig(folder: string): FolderConfig | undefined {
  const path = join(folder, 'config.json');
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} is not JSON (${(error as Error).message})`);
  }
  if (!isObject(json)) throw new Error(`${path} must hold a JSON object`);
  const config: FolderConfig = { triggers: false };
  if (json.permissions !== undefined) config.openapi = readPermissions(json.permissions, path);
  if (json.triggers !== undefined) {
    if (!Array.isArray(json.triggers)) throw new Error(`${path}: \`triggers\` must be a list`);
    config.triggers = json.triggers.length > 0;
  }
  return config;
}

function readPermissions(permissions: unknown, path: string): string[] {
  const shape = `${path}: \`permissions\` must be {"openapi": ["wxacode.get", …]}`;
  if (!isObject(permissions)) throw new Error(shape);
  const other = Object.keys(permissions).filter((key) => key !== 'openapi');
  if (other.length > 0) throw new Error(`${shape}; it also has ${JSON.stringify(other)}`);
  const { openapi } = permissions;
  if (openapi === undefined) return [];
  if (!Array.isArray(openapi) || !openapi.every((api) => typeof api === 'string' && api !== '')) {
    throw new Error(`${shape}: \`openapi\` must be a list of API names`);
  }
  return canonicalOpenapi(openapi);
}

/** The permissions as a set: sorted, each once, so that two lists compare by content. */
export function canonicalOpenapi(openapi: readonly string[]): string[] {
  return [...new Set(openapi)].sort();
}

/** The settings to write, and what changes; `change` is undefined when nothing does. */
export function mergeSettings(
  current: Settings,
  ask: SettingsAsk,
): { settings: Settings; change?: SettingsChange } {
  const environment = new Map(ask.mode === 'merge' ? current.environment : []);
  for (const [name, value] of ask.environment ?? []) environment.set(name, value);
  const timeout = ask.timeout ?? current.timeout;
  const change: SettingsChange = {
    added: [...environment.keys()].filter((name) => !current.environment.has(name)),
    changed: [...environment]
      .filter(
        ([name, value]) => current.environment.has(name) && current.environment.get(name) !== value,
      )
      .map(([name]) => name),
    removed: [...current.environment.keys()].filter((name) => !environment.has(name)),
  };
  if (timeout !== current.timeout) change.timeout = { from: current.timeout, to: timeout };
  const same =
    change.added.length + change.changed.length + change.removed.length === 0 &&
    change.timeout === undefined;
  return { settings: { timeout, environment }, change: same ? undefined : change };
}

/**
 * Variables as a route writes them, a list of `{[key]: name, [value]: value}`; undefined when
 * the list or an entry is not that.
 */
export function readVariables(
  list: unknown,
  key: string,
  value: string,
): Map<string, string> | undefined {
  if (!Array.isArray(list)) return undefined;
  const variables = new Map<string, string>();
  for (const entry of list) {
    const { [key]: name, [value]: text } = (entry ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || typeof text !== 'string') return undefined;
    variables.set(name, text);
  }
  return variables;
}

/** The bytes the variables take, names and values, as the platform counts them. */
export function environmentBytes(environment: ReadonlyMap<string, string>): number {
  let bytes = 0;
  for (const [name, value] of environment)
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  return bytes;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
