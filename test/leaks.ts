import { expect } from 'vitest';

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
