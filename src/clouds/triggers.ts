// Timer triggers of a function folder's `config.json` (`[{"name", "type": "timer", "config":
// cron}]`, as WeChat DevTools writes them): read and checked before any request, then compared
// with the triggers the cloud holds, by name and normalised cron, so that a re-run sends nothing.
// A trigger the folder does not name is left alone: the run warns of it, and never deletes it.

/** A timer trigger as a folder asks for it: the cron in SCF's seven fields. */
export interface TimerTrigger {
  name: string;
  cron: string;
}

/** A trigger as the cloud holds it; `cron` is undefined where its description could not be read. */
export interface HeldTrigger {
  name: string;
  type?: string;
  cron?: string;
}

/** What was done with one trigger, or would be on a dry run. */
type TriggerAction =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'left-alone'
  | 'would-create'
  | 'would-update'
  | 'failed';

export interface TriggerResult {
  name: string;
  action: TriggerAction;
}

/** SCF: a timer trigger's name is of letters, digits, `-` and `_`, at most 100 characters. */
export const TRIGGER_NAME = /^[A-Za-z0-9_-]{1,100}$/;

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** SCF's seven cron fields, in order: their name, range, and the names a value may take. */
const CRON_FIELDS: readonly { name: string; min: number; max: number; names?: string[] }[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'weekday', min: 0, max: 6, names: DAYS },
  { name: 'year', min: 1970, max: 2099 },
];

/**
 * The folder's `triggers`, checked: a type other than `timer`, a bad or repeated name, or a cron
 * that is not SCF's seven fields throws what is wrong, naming `path`.
 */
export function readTriggers(list: unknown[], path: string): TimerTrigger[] {
  const seen = new Set<string>();
  return list.map((entry, index) => {
    const at = `${path}: \`triggers[${index}]\``;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new Error(`${at} must be {"name", "type": "timer", "config": cron}`);
    }
    const { name, type, config } = entry as Record<string, unknown>;
    if (type !== 'timer') {
      throw new Error(
        `${at}: the type ${JSON.stringify(type)} is not deployed: only \`timer\` triggers are`,
      );
    }
    if (typeof name !== 'string' || !TRIGGER_NAME.test(name)) {
      throw new Error(
        `${at}: the name ${JSON.stringify(name)} must be 1 to 100 letters, digits, \`-\` or \`_\``,
      );
    }
    if (seen.has(name)) throw new Error(`${at}: the name ${name} is given twice`);
    seen.add(name);
    if (typeof config !== 'string') throw new Error(`${at}: \`config\` must be the cron, a string`);
    const problem = cronProblem(config);
    if (problem) throw new Error(`${at}: the cron ${JSON.stringify(config)} ${problem}`);
    return { name, cron: normalCron(config) };
  });
}

/** What is wrong with a cron in SCF's seven fields; undefined when nothing is. */
export function cronProblem(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== CRON_FIELDS.length) {
    return `has ${fields.length} fields, not SCF's 7 (second minute hour day month weekday year)`;
  }
  for (const [index, field] of fields.entries()) {
    const spec = CRON_FIELDS[index];
    for (const item of field.split(',')) {
      if (!cronItem(item, spec)) {
        return `has ${JSON.stringify(item)} in its ${spec.name} field: ${spec.min}–${spec.max}${spec.names ? ` or ${spec.names[0]}–${spec.names.at(-1)}` : ''}, with \`*\`, \`,\`, \`-\` and \`/\``;
      }
    }
  }
  return undefined;
}

/** One item of a field: `*`, `v`, `a-b`, each optionally `/step`. */
function cronItem(item: string, spec: (typeof CRON_FIELDS)[number]): boolean {
  const match = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(item);
  if (!match) return false;
  const [, range, step] = match;
  if (step !== undefined && Number(step) < 1) return false;
  if (range === '*') return true;
  const [from, to = from] = range.split('-').map((v) => cronValue(v, spec));
  return from !== undefined && to !== undefined && from <= to;
}

function cronValue(text: string, spec: (typeof CRON_FIELDS)[number]): number | undefined {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + spec.min;
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= spec.min && value <= spec.max ? value : undefined;
}

/** A cron as compared: its fields single-spaced. */
export function normalCron(cron: string): string {
  return cron.trim().split(/\s+/).join(' ');
}

/**
 * A timer's description as the cloud reads it back: `{"cron":"…"}`, though it is posted as the
 * plain cron; either form gives the normalised cron, anything else undefined.
 */
export function heldCron(description: unknown): string | undefined {
  if (typeof description !== 'string') return undefined;
  if (!description.trim().startsWith('{')) return normalCron(description);
  try {
    const { cron } = JSON.parse(description) as { cron?: unknown };
    return typeof cron === 'string' ? normalCron(cron) : undefined;
  } catch {
    return undefined;
  }
}

/** What each trigger needs, against what the cloud holds: those the folder does not name last. */
export function planTriggers(
  wanted: readonly TimerTrigger[],
  held: readonly HeldTrigger[],
): { trigger: TimerTrigger; how: 'create' | 'update' | 'unchanged' }[] {
  const byName = new Map(held.map((t) => [t.name, t]));
  return wanted.map((trigger) => {
    const had = byName.get(trigger.name);
    // A description that could not be read is written again: writing the same cron is harmless.
    const how = !had ? 'create' : had.cron === trigger.cron ? 'unchanged' : 'update';
    return { trigger, how };
  });
}

/** One warning naming every trigger left alone, with its function; none when there is none. */
export function leftAloneWarning(
  results: readonly { functionName: string; triggers: readonly TriggerResult[] | null }[],
): string[] {
  const left = results.flatMap((r) =>
    (r.triggers ?? [])
      .filter((t) => t.action === 'left-alone')
      .map((t) => `${r.functionName} (${t.name})`),
  );
  if (left.length === 0) return [];
  return [
    `Triggers in the cloud that config.json does not name, left alone: ${left.join(', ')}. Delete them in the console if they should go.`,
  ];
}

/** `daily created, nightly unchanged`: what the log and the summary say of the triggers. */
export function triggerWords(triggers: readonly TriggerResult[]): string {
  return triggers.map((t) => `${t.name} ${t.action}`).join(', ');
}
