// A function's configuration, besides its code: the cloud-call permissions of its folder's
// `config.json` (as WeChat DevTools writes it), and the settings the step asks for (timeout,
// environment variables). What to write is worked out here, against what the cloud holds, so
// that nothing is written when nothing changes and no variable is dropped without a word.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../clouds/cloud.js';
import { readTriggers, type TimerTrigger } from '../clouds/triggers.js';

/** What a function folder's `config.json` asks for. */
export interface FolderConfig {
  /** `permissions.openapi`: the WeChat APIs the function may call through `cloud.openapi`. */
  openapi?: string[];
  /** DevTools' timer triggers, checked: deployed on Tencent Cloud's route alone. */
  triggers: TimerTrigger[];
}

/** What the step asks of every function's settings. */
export interface SettingsAsk {
  timeout?: number;
  environment?: ReadonlyMap<string, string>;
  /** `merge`: named variables are set, others kept; `replace`: exactly the named ones. */
  mode: 'merge' | 'replace';
  /** `memory-mb`, given: asked of existing functions too (Tencent Cloud's route only). */
  memoryMb?: number;
}

/** What changes, by variable name (never by value), the timeout and the memory. */
export interface SettingsChange {
  added: string[];
  changed: string[];
  removed: string[];
  /** The variables held could not be read: a replace removes whatever others there were. */
  unread?: boolean;
  /** `from` is undefined where the cloud did not say. */
  timeout?: { from?: number; to: number };
  memoryMb?: { from?: number; to: number };
}

/** The range of a function's timeout, in seconds. */
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
  const config: FolderConfig = { triggers: [] };
  if (json.permissions !== undefined) config.openapi = readPermissions(json.permissions, path);
  if (json.triggers !== undefined) {
    if (!Array.isArray(json.triggers)) throw new Error(`${path}: \`triggers\` must be a list`);
    config.triggers = readTriggers(json.triggers, path);
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

/** Whether the step's settings touch the variables: a merge that names none does not. */
export function asksVariables(ask: SettingsAsk): boolean {
  return ask.mode === 'replace' || (ask.environment?.size ?? 0) > 0;
}

/**
 * The settings to write (only what differs, or may), and what changes; `change` is undefined
 * when nothing does. `unknown` says why nothing may be written: a merge of variables into
 * variables that could not be read would drop those it does not name.
 */
export function mergeSettings(
  current: Settings,
  ask: SettingsAsk,
): { settings: Settings; change?: SettingsChange } | { unknown: string } {
  const settings: { -readonly [K in keyof Settings]: Settings[K] } = {};
  const change: SettingsChange = { added: [], changed: [], removed: [] };
  if (asksVariables(ask)) {
    const held = current.environment;
    if (held === undefined && ask.mode === 'merge') {
      return { unknown: current.unread ?? 'the variables held could not be read' };
    }
    const environment = new Map(ask.mode === 'merge' ? held : []);
    for (const [name, value] of ask.environment ?? []) environment.set(name, value);
    change.added = [...environment.keys()].filter((name) => !held?.has(name));
    change.changed = [...environment]
      .filter(([name, value]) => held?.has(name) && held.get(name) !== value)
      .map(([name]) => name);
    change.removed = [...(held?.keys() ?? [])].filter((name) => !environment.has(name));
    if (held === undefined) change.unread = true;
    if (held === undefined || change.added.length + change.changed.length + change.removed.length) {
      settings.environment = environment;
    }
  }
  if (ask.timeout !== undefined && ask.timeout !== current.timeout) {
    settings.timeout = ask.timeout;
    change.timeout = { from: current.timeout, to: ask.timeout };
  }
  if (ask.memoryMb !== undefined && ask.memoryMb !== current.memoryMb) {
    settings.memoryMb = ask.memoryMb;
    change.memoryMb = { from: current.memoryMb, to: ask.memoryMb };
  }
  const same = Object.keys(settings).length === 0;
  return { settings, change: same ? undefined : change };
}

/** The settings a new function is created with, and what they set: it holds no variables. */
export function newSettings(ask: SettingsAsk): { settings: Settings; change?: SettingsChange } {
  const merged = mergeSettings({ environment: new Map() }, ask);
  return 'unknown' in merged ? { settings: {} } : merged;
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
