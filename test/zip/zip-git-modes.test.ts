// The modes of a zip's entries come from git's index, read here whatever git thinks of the
// repository's owner: each index version, both object formats, and what is left to git.
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { readIndex } from '../../src/zip/zip-git-index.js';
import { temporaryFolder, writeTree } from '../support/folders.js';
import {
  canChown,
  centralDirectory,
  listedModes,
  refusedBy,
  zipping,
} from '../support/zip-fixtures.js';

const tmp = temporaryFolder();
const repo = () => join(tmp.path, 'repo');
const { zip } = zipping(repo);
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo(), stdio: 'pipe' });
const index = () => readFileSync(join(repo(), '.git', 'index'));

/**
 * A work tree whose paths share prefixes (version 4 compresses them), with executables, a file
 * added with intent only (an extended flag) and a submodule's entry; `init` adds to `git init`.
 */
function workTree(init: string[] = []): string {
  const fn = writeTree(join(repo(), 'fn'), {
    'index.js': 'x',
    'bin/run.sh': '#!/bin/sh\n',
    'bin/run-too.sh': '#!/bin/sh\n',
    'bin/runner.js': 'r',
    'lib/a.js': 'a',
    'lib/ab/tool': '#!/bin/sh\n',
    'lib/ab/tool.txt': 't',
    'ünïcode/run.sh': '#!/bin/sh\n',
    'later.js': 'l',
  });
  execFileSync('git', ['init', '--quiet', ...init], { cwd: repo() });
  git('add', 'fn/index.js', 'fn/bin', 'fn/lib', 'fn/ünïcode');
  git('add', '--intent-to-add', 'fn/later.js');
  for (const path of [
    'fn/bin/run.sh',
    'fn/bin/run-too.sh',
    'fn/lib/ab/tool',
    'fn/ünïcode/run.sh',
  ]) {
    git('update-index', '--chmod=+x', path);
  }
  const blob = git('hash-object', 'fn/lib/a.js').toString().trim();
  git('update-index', '--add', '--cacheinfo', `160000,${blob},fn/vendor/sub`);
  return fn;
}

/** What a trusted git lists of the index: its executables and submodules. */
function listed() {
  const modes = Object.entries(listedModes(repo()));
  const having = (mode: string) => modes.filter(([, m]) => m === mode).map(([path]) => path);
  return { executables: having('100755'), submodules: having('160000') };
}

const modes = (bytes: Buffer) =>
  Object.fromEntries(centralDirectory(bytes).map((e) => [e.name, e.mode.toString(8)]));

describe('the index', () => {
  it.each([2, 3, 4])('of version %i is read as git lists it', (version) => {
    workTree();
    // Version 2 has no room for the flag of a file added with intent only.
    if (version === 2) git('rm', '--cached', '--quiet', 'fn/later.js');
    git('update-index', '--index-version', String(version));
    expect(index().readUInt32BE(4)).toBe(version);
    expect(readIndex(index())).toEqual(listed());
  });

  it('without its checksum (zeros, as `index.skipHash` writes) is read as git lists it', () => {
    workTree();
    git('update-index', '--index-version', '4');
    const data = index();
    data.fill(0, data.length - 20);
    expect(readIndex(data)).toEqual(listed());
  });

  it('of a SHA-256 repository is read as git lists it', () => {
    workTree(['--object-format=sha256']);
    git('update-index', '--index-version', '4');
    expect(readIndex(index())).toEqual(listed());
  });

  it('says why it is not read: damaged, not an index, split or sparse', () => {
    workTree();
    const whole = index();
    const damaged = Buffer.from(whole);
    damaged[40] ^= 1;
    expect(readIndex(damaged)).toEqual({ unreadable: 'is damaged' });
    expect(readIndex(Buffer.from('gitdir: x\n'))).toEqual({ unreadable: 'is not an index file' });
    git('update-index', '--split-index');
    expect(readIndex(index())).toEqual({ unreadable: 'is a split index' });
    git('update-index', '--no-split-index');
    git('rm', '--cached', '--quiet', 'fn/later.js', 'fn/vendor/sub');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 't');
    // A folder with changes is kept whole: the files take the modes committed.
    git('reset', '--hard', '--quiet');
    git('sparse-checkout', 'set', '--cone', '--sparse-index', 'fn/bin');
    expect(readIndex(index())).toEqual({ unreadable: 'is a sparse index' });
  });

  it('split, is listed by git when git trusts the repository, without a warning', async () => {
    const fn = workTree();
    git('update-index', '--split-index');
    const zipped = await zip(fn);
    expect(zipped.warnings).toEqual([]);
    expect(modes(zipped.zip)).toMatchObject({
      'bin/run.sh': '100755',
      'lib/ab/tool': '100755',
      'lib/a.js': '100644',
    });
  });
});

describe.skipIf(!canChown)('a repository git refuses (another owner, no safe.directory)', () => {
  const refuse = () => {
    for (const [name, value] of Object.entries(refusedBy(repo(), tmp.path))) {
      vi.stubEnv(name, value);
    }
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
  };

  it('gets the modes a trusted git lists, from an index of version 4', async () => {
    const fn = workTree();
    git('update-index', '--index-version', '4');
    const trusted = listedModes(repo());
    refuse();
    const zipped = await zip(fn);
    expect(zipped.warnings).toEqual([]);
    for (const [name, mode] of Object.entries(modes(zipped.zip))) {
      expect([name, mode]).toEqual([name, trusted[`fn/${name}`] ?? '100644']);
    }
    expect(modes(zipped.zip)['ünïcode/run.sh']).toBe('100755');
  });

  it('with a split index, warns once, naming the fix, and zips every file as 0644', async () => {
    const fn = workTree();
    git('update-index', '--split-index');
    refuse();
    const zipped = await zip(fn);
    expect(new Set(Object.values(modes(zipped.zip)))).toEqual(new Set(['100644']));
    expect(zipped.warnings).toEqual([
      expect.stringContaining(
        `git config --global --add safe.directory ${realpathSync(repo())}\` first.`,
      ),
    ]);
    expect(zipped.warnings[0]).toMatch(/its index is a split index, .*dubious ownership/);
  });
});
