// Links in a function's folder: followed inside the repository, refused elsewhere, never dropped
// in silence. Windows makes links only with a privilege that a test cannot count on.
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZip } from '../../stand-in/zip-reader.js';
import { temporaryFolder, writeTree } from '../support/folders.js';
import { zipping } from '../support/zip-fixtures.js';

const tmp = temporaryFolder();
/** The repository: `root` of every zip here. */
const repo = () => join(tmp.path, 'repo');
const write = (path: string, files: Record<string, string>) =>
  writeTree(join(tmp.path, path), files);
const link = (target: string, path: string) => symlinkSync(target, join(tmp.path, path));
const { zip, refusal } = zipping(repo);
const real = (path: string) => realpathSync(join(tmp.path, path));

describe.skipIf(process.platform === 'win32')('links', () => {
  it('are followed to files and folders inside the repository, stored under their own paths', async () => {
    const fn = write('repo/fn', { 'index.js': 'x', 'src/a.js': 'a', 'src/deep/b.js': 'b' });
    write('repo/common', { 'util.js': 'util', 'more/c.js': 'c' });
    write('repo/..config', { 'dots.json': '{}' });
    link(join(fn, 'src', 'a.js'), 'repo/fn/absolute.js');
    link(join('src', 'deep', '..', 'a.js'), 'repo/fn/relative.js');
    link('src', 'repo/fn/lib');
    link(join('..', 'common'), 'repo/fn/common');
    link(join('..', 'common', 'util.js'), 'repo/fn/util.js');
    // A name that starts with two dots is inside, whatever a prefix test would say.
    link(join('..', '..config'), 'repo/fn/config');

    const { files, zip: bytes } = await zip(fn);
    expect(files).toEqual([
      'absolute.js',
      'common/more/c.js',
      'common/util.js',
      'config/dots.json',
      'index.js',
      'lib/a.js',
      'lib/deep/b.js',
      'relative.js',
      'src/a.js',
      'src/deep/b.js',
      'util.js',
    ]);
    const read = readZip(bytes);
    expect(read.read('lib/deep/b.js').toString()).toBe('b');
    expect(read.read('common/more/c.js').toString()).toBe('c');
    expect(read.read('util.js').toString()).toBe('util');
  });

  it("follow pnpm's node_modules when they are uploaded, and are not looked at otherwise", async () => {
    const fn = write('repo/fn', {
      'index.js': 'x',
      'node_modules/.pnpm/dep@1.0.0/node_modules/dep/index.js': 'dep',
      'node_modules/.pnpm/other@2.0.0/node_modules/other/index.js': 'other',
    });
    link('.pnpm/dep@1.0.0/node_modules/dep', 'repo/fn/node_modules/dep');
    link(
      '../../other@2.0.0/node_modules/other',
      'repo/fn/node_modules/.pnpm/dep@1.0.0/node_modules/other',
    );
    link('/nowhere/at/all', 'repo/fn/node_modules/broken');

    expect((await zip(fn, { installDependencies: true })).files).toEqual(['index.js']);
    expect(await refusal(fn)).toBe(
      `Function folder ${fn}: the link node_modules/broken leads to /nowhere/at/all, which does not exist.`,
    );
    link('.pnpm/other@2.0.0/node_modules/other', 'repo/fn/node_modules/other');
    unlinkSync(join(fn, 'node_modules', 'broken'));
    const { files, zip: bytes } = await zip(fn);
    expect(files).toEqual([
      'index.js',
      'node_modules/.pnpm/dep@1.0.0/node_modules/dep/index.js',
      'node_modules/.pnpm/dep@1.0.0/node_modules/other/index.js',
      'node_modules/.pnpm/other@2.0.0/node_modules/other/index.js',
      'node_modules/dep/index.js',
      'node_modules/other/index.js',
    ]);
    expect(readZip(bytes).read('node_modules/dep/index.js').toString()).toBe('dep');
  });

  describe('fail the function, naming the link and why', () => {
    it('when one leads outside the repository, to a file or a folder', async () => {
      const fn = write('repo/fn', { 'index.js': 'x' });
      write('outside', { 'secret.txt': 'secret' });
      write('repo-evil', { 'secret.txt': 'secret' });
      link(join(tmp.path, 'outside', 'secret.txt'), 'repo/fn/secret.txt');
      expect(await refusal(fn)).toBe(
        `Function folder ${fn}: the link secret.txt leads to ${real('outside/secret.txt')}, outside the repository.`,
      );
      unlinkSync(join(fn, 'secret.txt'));
      // `repo-evil` starts like `repo`: still outside.
      link('../../repo-evil', 'repo/fn/lib');
      expect(await refusal(fn)).toBe(
        `Function folder ${fn}: the link lib leads to ${real('repo-evil')}, outside the repository.`,
      );
    });

    it('when one leads into a .git folder, at any depth, the .wechatignore and the folder too', async () => {
      const fn = write('repo/fn', { 'index.js': 'x' });
      write('repo/.git', { HEAD: 'ref', config: 'token', 'hooks/run': 'h' });
      write('repo/fn/.git', { config: 'the function folder holds a repository of its own' });
      const inGit = (path: string, target: string) =>
        `Function folder ${fn}: the link ${path} leads to ${real(target)}, inside a .git folder, which is never uploaded.`;
      for (const [target, path, shown] of [
        ['../.git', 'repo/fn/repository', 'repo/.git'],
        ['../../../.git/config', 'repo/fn/lib/deep/settings.ini', 'repo/.git/config'],
        ['../.git/hooks', 'repo/fn/hooks', 'repo/.git/hooks'],
        ['.git/config', 'repo/fn/own.ini', 'repo/fn/.git/config'],
      ]) {
        mkdirSync(join(tmp.path, path, '..'), { recursive: true });
        link(target, path);
        expect(await refusal(fn)).toBe(inGit(path.slice('repo/fn/'.length), shown));
        unlinkSync(join(tmp.path, path));
      }
      link('../.git/config', 'repo/fn/.wechatignore');
      expect(await refusal(fn)).toBe(inGit('.wechatignore', 'repo/.git/config'));
      link('.git', 'repo/folder');
      expect(await refusal(join(tmp.path, 'repo', 'folder'))).toBe(
        `Function folder ${join(tmp.path, 'repo', 'folder')}: it is a link that leads to ${real('repo/.git')}, inside a .git folder, which is never uploaded.`,
      );
    });

    it('when one leads nowhere, or to itself through others', async () => {
      const fn = write('repo/fn', { 'index.js': 'x' });
      link('missing.js', 'repo/fn/dangling.js');
      expect(await refusal(fn)).toBe(
        `Function folder ${fn}: the link dangling.js leads to missing.js, which does not exist.`,
      );
      unlinkSync(join(fn, 'dangling.js'));
      link('b', 'repo/fn/a');
      link('a', 'repo/fn/b');
      expect(await refusal(fn)).toBe(
        `Function folder ${fn}: the link a leads to itself through other links.`,
      );
    });

    it('when one leads to a folder that holds it: a loop', async () => {
      const fn = write('repo/fn', { 'index.js': 'x', 'lib/a.js': 'a' });
      link('..', 'repo/fn/lib/up');
      expect(await refusal(fn)).toBe(
        `Function folder ${fn}: the link lib/up leads to ${real('repo/fn')}, a folder that holds the link: a loop.`,
      );
    });

    it('when two folders lead to each other', async () => {
      const fn = write('repo/fn', { 'index.js': 'x', 'a/x.js': 'x', 'b/y.js': 'y' });
      link('../b', 'repo/fn/a/to-b');
      link('../a', 'repo/fn/b/to-a');
      expect(await refusal(fn)).toBe(
        `Function folder ${fn}: the link a/to-b/to-a leads to ${real('repo/fn/a')}, a folder that holds the link: a loop.`,
      );
    });

    it('when index.js leads outside, rather than say .wechatignore leaves it out', async () => {
      const fn = write('repo/fn', { 'lib.js': 'x' });
      write('outside', { 'index.js': 'exports.main = () => 1;' });
      link(join(tmp.path, 'outside', 'index.js'), 'repo/fn/index.js');
      expect(await refusal(fn)).toBe(
        `Function folder ${fn}: the link index.js leads to ${real('outside/index.js')}, outside the repository.`,
      );
    });
  });

  it('that the rules leave out are not followed, wherever they lead', async () => {
    const fn = write('repo/fn', { 'index.js': 'x', '.wechatignore': 'vendor/\ncache\n' });
    link('/etc', 'repo/fn/vendor');
    link('/nowhere', 'repo/fn/cache');
    link('/nowhere', 'repo/fn/.DS_Store');
    expect((await zip(fn)).files).toEqual(['index.js']);
  });

  describe('.wechatignore', () => {
    it('is followed when it is a link inside the repository: what it leaves out stays out', async () => {
      const fn = write('repo/fn', { 'index.js': 'x', 'secret.env': 'TOKEN=1', 'a.js': 'a' });
      write('repo/shared', { wechatignore: '*.env\n' });
      link('../shared/wechatignore', 'repo/fn/.wechatignore');
      expect((await zip(fn)).files).toEqual(['a.js', 'index.js']);
    });

    it('fails the function when it leads outside, nowhere, or to a folder', async () => {
      const fn = write('repo/fn', { 'index.js': 'x', 'secret.env': 'TOKEN=1' });
      write('outside', { rules: '*.env\n' });
      link(join(tmp.path, 'outside', 'rules'), 'repo/fn/.wechatignore');
      expect(await refusal(fn)).toBe(
        `Function folder ${fn}: the link .wechatignore leads to ${real('outside/rules')}, outside the repository.`,
      );
      unlinkSync(join(fn, '.wechatignore'));
      link('gone', 'repo/fn/.wechatignore');
      expect(await refusal(fn)).toBe(
        `Function folder ${fn}: the link .wechatignore leads to gone, which does not exist.`,
      );
      unlinkSync(join(fn, '.wechatignore'));
      mkdirSync(join(fn, 'rules'));
      link('rules', 'repo/fn/.wechatignore');
      expect(await refusal(fn)).toBe(
        `Function folder ${fn}: the link .wechatignore leads to ${real('repo/fn/rules')}, which is not a file.`,
      );
    });
  });

  describe('the function folder itself', () => {
    it('is followed when it leads inside the repository', async () => {
      write('repo/build/fn', { 'index.js': 'x' });
      link('build/fn', 'repo/fn');
      expect((await zip(join(repo(), 'fn'))).files).toEqual(['index.js']);
    });

    it('fails when it leads outside', async () => {
      write('repo', {});
      write('elsewhere/fn', { 'index.js': 'x' });
      link(join(tmp.path, 'elsewhere', 'fn'), 'repo/fn');
      const fn = join(repo(), 'fn');
      expect(await refusal(fn)).toBe(
        `Function folder ${fn}: it is a link that leads to ${real('elsewhere/fn')}, outside the repository.`,
      );
    });
  });

  it('to what has no content to ship (a FIFO) are skipped, as the FIFO is', async () => {
    const fn = write('repo/fn', { 'index.js': 'x' });
    execFileSync('mkfifo', [join(fn, 'pipe')]);
    link('pipe', 'repo/fn/to-pipe');
    expect((await zip(fn)).files).toEqual(['index.js']);
  });
});
