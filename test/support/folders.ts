// Temporary folders for the tests, removed after each, and the trees written into them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** A new temporary folder for each test (its real path), removed after it. */
export function temporaryFolder(): { readonly path: string } {
  const folder = { path: '' };
  beforeEach(() => {
    folder.path = mkdtempSync(join(tmpdir(), 'test-'));
  });
  // A folder of 70,001 files takes longer to remove than a hook's default 10 s on a busy machine.
  afterEach(() => {
    rmSync(folder.path, { recursive: true, force: true });
  }, 60_000);
  return folder;
}

/** Writes `files` (path → content) under `root`, in the order given; answers `root`. */
export function writeTree(root: string, files: Record<string, string | Uint8Array>): string {
  mkdirSync(root, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}
