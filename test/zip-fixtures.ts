// Folders to zip, and what the zip tests read back, shared by test/code-zip.test.ts and
// test/zip-*.test.ts.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** A new temporary folder for each test (its real path), removed after it. */
export function temporaryFolder(): { readonly path: string } {
  const folder = { path: '' };
  beforeEach(() => {
    folder.path = mkdtempSync(join(tmpdir(), 'zip-test-'));
  });
  afterEach(() => {
    rmSync(folder.path, { recursive: true, force: true });
  });
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

export const hasUnzip = spawnSync('unzip', ['-v']).status === 0;

/** The names Info-ZIP's unzip lists in `zip`, written to `folder` first; throws if it fails. */
export function unzipNames(zip: Uint8Array, folder: string): string[] {
  const path = join(folder, 'listed.zip');
  writeFileSync(path, zip);
  const listed = spawnSync('unzip', ['-Z1', path], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (listed.status !== 0) throw new Error(`unzip -Z1: ${listed.stderr}`);
  return listed.stdout.trim().split('\n');
}

/** Makes `root` a git work tree whose index holds its files, `executables` as mode 100755. */
export function gitIndex(root: string, executables: string[] = []): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
  git('init', '--quiet');
  git('add', '--all');
  for (const path of executables) git('update-index', '--chmod=+x', path);
}

/**
 * `bytes` of text like code, the same on every run and system: words drawn by a seeded
 * generator, so that it deflates about as source code does.
 */
export function codeLike(bytes: number, seed: number): Buffer {
  const words = ['const', 'return', 'function', '=>', '{', '}', '(', ')', ';\n', 'value', 'await'];
  let state = seed >>> 0 || 1;
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const word = state % 4 === 0 ? `name${state % 997}` : words[state % words.length];
    parts.push(word, ' ');
    length += word.length + 1;
  }
  return Buffer.from(parts.join('')).subarray(0, bytes);
}

/** `bytes` that do not compress, the same on every run: a seeded xorshift32. */
export function noise(bytes: number, seed: number): Buffer {
  const out = Buffer.alloc(bytes);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < bytes; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

export interface CentralEntry {
  name: string;
  madeBy: number;
  mode: number;
  dosTime: number;
  dosDate: number;
  flags: number;
}

/** The central directory as stored, read by hand: the reader does not show modes or times. */
export function centralDirectory(zip: Buffer): CentralEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: CentralEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`no central header at ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      madeBy: zip.readUInt8(at + 5),
      mode: zip.readUInt32LE(at + 38) >>> 16,
      dosTime: zip.readUInt16LE(at + 12),
      dosDate: zip.readUInt16LE(at + 14),
      flags: zip.readUInt16LE(at + 8),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}
