// The zip tests' call of zipFunction, bytes that deflate as code does or not at all, and what
// the tests read back of a zip; and zips made by another tool, for the stand-in's tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { expect } from 'vitest';
import {
  CodeFolderError,
  type FunctionZip,
  type ZipOptions,
  zipFunction,
  zipWith,
} from '../../src/zip/code-zip.js';
import type { DeflatePool } from '../../src/zip/zip-pool.js';

/**
 * zipFunction as the zip tests call it, in `root()` (the repository, known once a test runs) and
 * with node_modules kept unless told otherwise; with `pool`, zipWith that pool. `refusal` answers
 * the message it fails with, and checks its shape: a CodeFolderError in one sentence, on one
 * line, the folder first, one period at the end.
 */
export function zipping(root: () => string) {
  const zip = (
    dir: string,
    options: Partial<ZipOptions> = {},
    pool?: DeflatePool,
  ): Promise<FunctionZip> => {
    const all = { installDependencies: false, root: root(), ...options };
    return pool ? zipWith(dir, all, pool) : zipFunction(dir, all);
  };
  const refusal = (dir: string, options: Partial<ZipOptions> = {}, pool?: DeflatePool) =>
    zip(dir, options, pool).then(
      () => expect.fail('zipped'),
      (error: unknown) => {
        expect(error).toBeInstanceOf(CodeFolderError);
        const { message } = error as Error;
        expect(message.startsWith(`Function folder ${dir}`)).toBe(true);
        expect(message).toMatch(/[^.]\.$/);
        expect(message).not.toContain('\n');
        return message;
      },
    );
  return { zip, refusal };
}

/** A zip of `files` (name → text) as any tool might make it: fflate's, not the action's. */
export function zipOf(files: Record<string, string>): Buffer {
  return Buffer.from(
    zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)]))),
  );
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

/** Mode by path, as a trusted git lists the index of the work tree at `root`. */
export function listedModes(root: string): Record<string, string> {
  const list = execFileSync('git', ['ls-files', '--stage', '-z'], { cwd: root, encoding: 'utf8' });
  return Object.fromEntries(
    list
      .split('\0')
      .filter(Boolean)
      .map((record) => [record.slice(record.indexOf('\t') + 1), record.slice(0, 6)]),
  );
}

/** Whether this process can give a folder to another user: the tests run as root. */
export const canChown = process.getuid?.() === 0;

/**
 * Gives the work tree at `root` to another user, as a container job finds its checkout, and
 * answers the environment in which git then refuses it: no `safe.directory` in any config
 * (the global one written to `folder`). Checks that git does refuse.
 */
export function refusedBy(root: string, folder: string): Record<string, string> {
  const config = join(folder, 'empty.gitconfig');
  writeFileSync(config, '');
  execFileSync('chown', ['-R', '12345:12345', root]);
  const env = { GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: '1' };
  const git = spawnSync('git', ['ls-files'], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  expect(git.stderr).toMatch(/dubious ownership/);
  return env;
}

/** A seeded xorshift32 (a seed of 0 taken as 1): its next value, unsigned, on each call. */
function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/**
 * `bytes` of text like code, the same on every run and system: words drawn by a seeded
 * generator, so that it deflates about as source code does.
 */
export function codeLike(bytes: number, seed: number): Buffer {
  const words = ['const', 'return', 'function', '=>', '{', '}', '(', ')', ';\n', 'value', 'await'];
  const next = xorshift32(seed);
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const value = next();
    const word = value % 4 === 0 ? `name${value % 997}` : words[value % words.length];
    parts.push(word, ' ');
    length += word.length + 1;
  }
  return Buffer.from(parts.join('')).subarray(0, bytes);
}

/** `bytes` that do not compress, the same on every run: the low byte of each seeded value. */
export function noise(bytes: number, seed: number): Buffer {
  const out = Buffer.alloc(bytes);
  const next = xorshift32(seed);
  for (let i = 0; i < bytes; i++) out[i] = next() & 0xff;
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
