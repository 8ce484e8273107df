// What goes into the bundle: one copy of each toolkit package. @actions/github asks for an older
// @actions/http-client than the one the action uses; the override in package.json gives it ours,
// and this test notices when an update of either brings the second copy back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

interface Lock {
  packages: Record<string, { version?: string; dev?: boolean }>;
}

const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lock;

/** Where the lock file installs `name` for the action itself, dev-only copies left out. */
function runtimeCopies(name: string): string[] {
  return Object.entries(lock.packages)
    .filter(([path, spec]) => path.endsWith(`node_modules/${name}`) && spec.dev !== true)
    .map(([path, spec]) => `${path}@${spec.version}`);
}

describe('package-lock.json', () => {
  it.each(['@actions/http-client', '@actions/core'])('installs one %s for the action', (name) => {
    expect(runtimeCopies(name)).toHaveLength(1);
  });
});
