// What a run shows, read as a person or a workflow reads it: no secret anywhere, its workflow
// commands, its annotations, its results.
import { expect } from 'vitest';
import type { RunResult } from '../../stand-in/runner.js';
import type { StandIn } from '../../stand-in/server.js';

export interface Seen {
  stdout: string;
  stderr?: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Asserts that no secret, raw or URL-encoded, shows anywhere but in `::add-mask::` commands. */
export function expectNoLeak(seen: Seen, secrets: string[]): void {
  const forms = secrets.flatMap((s) => [s, encodeURIComponent(s)]);
  const places = {
    stdout: seen.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
    stderr: seen.stderr ?? '',
    outputs: JSON.stringify(seen.outputs),
    summary: seen.summary,
  };
  for (const [place, text] of Object.entries(places)) {
    for (const form of forms) expect(text, `${place} shows a secret`).not.toContain(form);
  }
}

/** Every temporary key the stand-in handed out (getqcloudtoken's and STS's), as secrets. */
export function issuedSecrets(standIn: StandIn): string[] {
  return standIn.tcb.issued.flatMap((k) => [k.secretId, k.secretKey, k.token]);
}

/** The workflow commands a log issues: lines that start with `::`. */
export function commands(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('::'));
}

/** The annotations of one kind, `error` or `warning`, or those that start `::KIND`. */
export function annotations(seen: { stdout: string }, kind: string): string[] {
  return commands(seen.stdout).filter((line) => line.startsWith(`::${kind}`));
}

/** The `results` output: one object per function, in the order of `function-name`. */
export function results(seen: { outputs: Record<string, string> }) {
  return JSON.parse(seen.outputs.results);
}

/**
 * Exit code 1, one `::error` that says `says`, and not a word on stderr: no stack trace, no
 * line of the bundle. Answers that error.
 */
export function expectOneError(result: RunResult, says = /^::error/): string {
  const errors = annotations(result, 'error');
  expect(errors).toEqual([expect.stringMatching(says)]);
  expect(result.code).toBe(1);
  expect(result.stderr).toBe('');
  return errors[0];
}

/** A command the runner obeyed: its form, name and data, and the line it came from. */
export interface Obeyed {
  form: '::' | '##[';
  command: string;
  data: string;
  line: string;
}

/** The commands the runner knows (actions/runner, ActionCommandManager's extensions). */
const RUNNER_COMMANDS = [
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
];
/** What .NET's String.TrimStart() takes for white space. */
const DOTNET_SPACE = /^[\s\u0085]*/;

/**
 * The commands the runner obeys in a log, as actions/runner's ActionCommandManager reads them:
 * lines split at \r and \n; each line tried as `::name props::data` after its leading white
 * space, then as `##[name props]data` anywhere in it; names compared without case;
 * `stop-commands` ignoring every command until its token comes back.
 */
export function obeyedCommands(stdout: string): Obeyed[] {
  const registered = new Set(RUNNER_COMMANDS);
  const obeyed: Obeyed[] = [];
  let stopToken: string | undefined;
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const parsed = parseV2(line, registered) ?? parseV1(line, registered);
    if (!parsed) continue;
    if (stopToken !== undefined) {
      if (parsed.command === stopToken) {
        registered.delete(stopToken);
        stopToken = undefined;
      }
      continue;
    }
    obeyed.push({ ...parsed, line });
    if (parsed.command === 'stop-commands') {
      stopToken = parsed.data.toLowerCase();
      registered.add(stopToken);
    }
  }
  return obeyed;
}

function parseV2(line: string, registered: Set<string>) {
  const message = line.replace(DOTNET_SPACE, '');
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const command = message.slice(2, end).split(' ')[0].toLowerCase();
  if (!registered.has(command)) return undefined;
  const data = message
    .slice(end + 2)
    .replace(/%0D|%0A|%25/g, (code) => (code === '%25' ? '%' : code === '%0D' ? '\r' : '\n'));
  return { form: '::' as const, command, data };
}

function parseV1(line: string, registered: Set<string>) {
  const at = line.indexOf('##[');
  if (at < 0) return undefined;
  const end = line.indexOf(']', at);
  if (end < 0) return undefined;
  const command = line
    .slice(at + 3, end)
    .split(' ')[0]
    .toLowerCase();
  if (!registered.has(command)) return undefined;
  return { form: '##[' as const, command, data: line.slice(end + 1) };
}
