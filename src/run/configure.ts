// A function's configuration, written only where it differs from what the cloud holds: the
// cloud-call permissions of its `config.json`, and the timeout and variables the step asks for.
// Each is read first, compared, and written whole (a write replaces that part). A dry run reads
// and compares, and writes nothing.
import { type Cloud, failure, type Outcome, type Settings } from '../clouds/cloud.js';
import {
  asksVariables,
  canonicalOpenapi,
  environmentBytes,
  MAX_ENVIRONMENT_BYTES,
  mergeSettings,
  type SettingsAsk,
  type SettingsChange,
} from './function-config.js';
import type { Limiter } from './limiter.js';
import type { ConfigStatus } from './result.js';

export interface ConfigAsk {
  /** `permissions.openapi` of the folder's config.json; undefined when it asks none. */
  openapi?: readonly string[];
  settings?: SettingsAsk;
}

interface Configured {
  status: ConfigStatus;
  /** What changes, or would: names, never values. */
  changes: string[];
  failure?: Outcome;
}

interface ConfigureContext {
  cloud: Cloud;
  limiter: Limiter;
  dryRun: boolean;
}

/** Settings of a function not yet created: no variables; what the cloud will default is unknown. */
const NO_SETTINGS: Settings = { environment: new Map() };

/** Why nothing is written when a merge meets variables that could not be read. */
const MERGE_UNREAD =
  "a merge could drop those the step does not name, so none were written; `environment-mode: replace` writes exactly the step's variables";

/**
 * Configures `name` as `ask` says. `exists` is false for a function a dry run would create: it
 * has nothing to read, and everything asked would be written.
 */
export async function configure(
  { cloud, limiter, dryRun }: ConfigureContext,
  name: string,
  ask: ConfigAsk,
  exists: boolean,
): Promise<Configured> {
  const changes: string[] = [];
  let wrote = false;
  const failed = (what: string, outcome: Outcome): Configured => ({
    status: 'failed',
    changes,
    failure: { ...outcome, errmsg: `configuration: ${what}: ${outcome.errmsg}` },
  });

  if (ask.openapi !== undefined && cloud.setsPermissions) {
    const wanted = canonicalOpenapi(ask.openapi);
    let current: string[] | null = null;
    if (exists) {
      const read = await limiter.run(() => cloud.readPermissions(name));
      if (!read.ok) return failed('reading the cloud-call permissions', read.outcome);
      current = read.value;
    }
    const change = openapiChange(current, wanted);
    if (change) {
      changes.push(change);
      if (!dryRun) {
        const refused = await limiter.run(() => cloud.writePermissions(name, wanted));
        if (refused) return failed('writing the cloud-call permissions', refused);
        wrote = true;
      }
    }
  }

  if (ask.settings) {
    let current = NO_SETTINGS;
    if (exists) {
      const variables = asksVariables(ask.settings);
      const read = await limiter.run(() => cloud.readSettings(name, variables));
      if (!read.ok) return failed('reading the timeout and variables', read.outcome);
      current = read.value;
    }
    const merged = mergeSettings(current, ask.settings);
    if ('unknown' in merged) {
      return failed('the variables', failure(`${merged.unknown}: ${MERGE_UNREAD}`));
    }
    const { settings, change } = merged;
    if (change) {
      changes.push(...describeChange(change));
      const bytes = environmentBytes(settings.environment ?? new Map());
      if (bytes > MAX_ENVIRONMENT_BYTES) {
        const errmsg = `the variables, those in the cloud with those of the step, would take ${bytes} bytes, over the ${MAX_ENVIRONMENT_BYTES} a function may hold (\`environment-mode: replace\` drops the others)`;
        return failed('the variables', failure(errmsg));
      }
      if (!dryRun) {
        const refused = await limiter.run(() => cloud.writeSettings(name, settings));
        if (refused) return failed('writing the timeout and variables', refused);
        wrote = true;
      }
    }
  }

  const status = wrote ? 'updated' : changes.length > 0 ? 'would-update' : 'unchanged';
  return { status, changes };
}

function openapiChange(current: readonly string[] | null, wanted: readonly string[]): string {
  const had = new Set(current ?? []);
  const added = wanted.filter((api) => !had.has(api));
  const removed = [...had].filter((api) => !wanted.includes(api));
  if (current !== null && added.length === 0 && removed.length === 0) return '';
  const parts = [
    added.length > 0 ? `added ${added.join(', ')}` : '',
    removed.length > 0 ? `removed ${removed.join(', ')}` : '',
  ].filter(Boolean);
  return `cloud-call permissions: ${parts.join('; ') || 'none, as config.json says'}`;
}

/** What a settings change does, by name only: values are secrets. */
export function describeChange(change: SettingsChange): string[] {
  const lines: string[] = [];
  const variables = [
    change.added.length > 0 ? `added ${change.added.join(', ')}` : '',
    change.changed.length > 0 ? `changed ${change.changed.join(', ')}` : '',
    change.removed.length > 0 ? `removed ${change.removed.join(', ')}` : '',
  ].filter(Boolean);
  if (change.unread) {
    variables.push('any others the function held removed (they could not be read)');
  }
  if (variables.length > 0) lines.push(`variables: ${variables.join('; ')}`);
  if (change.timeout) lines.push(`timeout: ${fromTo(change.timeout, 's')}`);
  if (change.memoryMb) lines.push(`memory: ${fromTo(change.memoryMb, 'MB')}`);
  return lines;
}

/** `3 s → 20 s`, or `set to 20 s` where the cloud did not say what it held. */
function fromTo({ from, to }: { from?: number; to: number }, unit: string): string {
  return from === undefined ? `set to ${to} ${unit}` : `${from} ${unit} → ${to} ${unit}`;
}
