// What a run shows, read as a person or a workflow reads it: no secret anywhere, its workflow
// commands, its annotations, its results.
import { expect } from 'vitest';
import type { RunResult } from '../stand-in/runner.js';

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
