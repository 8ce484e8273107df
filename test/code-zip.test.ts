import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync as writeFileNow } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodeFolderError, zipFunction } from '../src/code-zip.js';

const HELLO = join(import.meta.dirname, '..', 'examples', 'cloudfunctions', 'hello');
const hasUnzip = spawnSync('unzip', ['-v']).status === 0;

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'code-zip-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Writes `files` (path → content) under a new folder of `tmp`, in the order given. */
async function folder(name: string, files: Record<string, string>): Promise<string> {
  const root = join(tmp, name);
  await mkdir(root, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

const contents = (zip: Buffer) =>
  Object.fromEntries(Object.entries(unzipSync(zip)).map(([path, data]) => [path, strFromU8(data)]));

interface CentralEntry {
  name: string;
  madeBy: number;
  mode: number;
  dosTime: number;
  dosDate: number;
}

// Read from the central directory by hand: fflate's unzip does not show modes or times.
function centralDirectory(zip: Buffer): CentralEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: CentralEntry[] = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      madeBy: zip.readUInt8(at + 5),
      mode: zip.readUInt32LE(at + 38) >>> 16,
      dosTime: zip.readUInt16LE(at + 12),
      dosDate: zip.readUInt16LE(at + 14),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const noInstall = { installDependencies: false };
const install = { installDependencies: true };

describe('zipFunction', () => {
  it("puts the folder's content at the zip root, in byte order of the paths", async () => {
    const dir = await folder('fn', {
      'lib/util.js': 'u',
      'lib/ünïcode.js': 'ü',
      'index.js': 'exports.main = async () => 1;',
      'a/z.js': 'z',
      'B.js': 'B',
      'a.js': 'a',
      'a-b.js': 'ab',
    });
    const { zip, files } = await zipFunction(dir, noInstall);
    // '-' < '.' < '/' < 'B' < 'a' < 'u' < 'ü' in bytes; a locale sort would differ.
    const expected = [
      'B.js',
      'a-b.js',
      'a.js',
      'a/z.js',
      'index.js',
      'lib/util.js',
      'lib/ünïcode.js',
    ];
    expect(files).toEqual(expected);
    expect(centralDirectory(zip).map((entry) => entry.name)).toEqual(expected);
    expect(contents(zip)).toEqual({
      'B.js': 'B',
      'a-b.js': 'ab',
      'a.js': 'a',
      'a/z.js': 'z',
      'index.js': 'exports.main = async () => 1;',
      'lib/util.js': 'u',
      'lib/ünïcode.js': 'ü',
    });
  });

  it('stores root files named only by digits first, and says so in files', async () => {
    const dir = await folder('fn', { 'index.js': 'x', '10': 'ten', a: 'a', '9': 'nine' });
    const { zip, files } = await zipFunction(dir, noInstall);
    expect(files).toEqual(['9', '10', 'a', 'index.js']);
    expect(centralDirectory(zip).map((entry) => entry.name)).toEqual(files);
  });

  it('gives its sha256 as the lowercase hex of the zip bytes', async () => {
    const dir = await folder('fn', { 'index.js': 'x' });
    const { zip, sha256 } = await zipFunction(dir, noInstall);
    expect(sha256).toBe(createHash('sha256').update(zip).digest('hex'));
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same bytes for the same content, whatever the mtimes, modes and creation order', async () => {
    const files = {
      'index.js': 'exports.main = async () => ({ ok: true });',
      'package.json': '{"name":"fn"}',
      'lib/a.js': 'a'.repeat(5000),
      'lib/deep/b.js': 'b',
      'z.txt': 'z',
    };
    const first = await folder('first', files);
    const reversed = Object.fromEntries(Object.entries(files).reverse());
    const second = await folder('second', reversed);
    await utimes(join(second, 'index.js'), new Date('2011-03-04T05:06:07Z'), new Date(1e12));
    await utimes(join(second, 'lib', 'a.js'), 0, 0);
    await chmod(join(first, 'z.txt'), 0o600);
    await chmod(join(second, 'z.txt'), 0o664);
    await chmod(join(second, 'lib', 'deep', 'b.js'), 0o444);

    const a = await zipFunction(first, noInstall);
    const b = await zipFunction(second, noInstall);
    expect(b.files).toEqual(a.files);
    expect(b.sha256).toBe(a.sha256);
    expect(b.zip.equals(a.zip)).toBe(true);
  });

  it('stores one timestamp, 1980-01-01 00:00, in every time zone', async () => {
    const dir = await folder('fn', { 'index.js': 'x', 'lib/a.js': 'a' });
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Kiritimati';
      const east = await zipFunction(dir, noInstall);
      process.env.TZ = 'America/Los_Angeles';
      const west = await zipFunction(dir, noInstall);
      expect(west.zip.equals(east.zip)).toBe(true);
      for (const entry of centralDirectory(west.zip)) {
        expect([entry.dosDate, entry.dosTime]).toEqual([(0 << 9) | (1 << 5) | 1, 0]);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('stores 0644 for files and 0755 for executables (none on Windows), made by Unix', async () => {
    const dir = await folder('fn', { 'index.js': 'x', 'bin/tool': '#!/bin/sh\n', 'data.txt': 'd' });
    await chmod(join(dir, 'bin', 'tool'), 0o700);
    await chmod(join(dir, 'data.txt'), 0o600);
    const modes = Object.fromEntries(
      centralDirectory((await zipFunction(dir, noInstall)).zip).map((entry) => {
        expect(entry.madeBy).toBe(3);
        return [entry.name, entry.mode.toString(8)];
      }),
    );
    expect(modes).toEqual({
      'bin/tool': process.platform === 'win32' ? '100644' : '100755',
      'data.txt': '100644',
      'index.js': '100644',
    });
  });

  it('leaves out .git/ at any depth and editor and OS litter', async () => {
    const dir = await folder('fn', {
      'index.js': 'x',
      '.git/HEAD': 'ref',
      'lib/.git/config': 'c',
      '.DS_Store': 'ds',
      'lib/.DS_Store': 'ds',
      '.vscode/settings.json': '{}',
      '.idea/workspace.xml': '<x/>',
      'lib/index.js.swp': 'swap',
      'lib/a.js~': 'backup',
      'Thumbs.db': 't',
      'lib/a.js': 'a',
      '.env.example': 'kept: not litter',
      'lib/.gitkeep': '',
    });
    const { files } = await zipFunction(dir, noInstall);
    expect(files).toEqual(['.env.example', 'index.js', 'lib/.gitkeep', 'lib/a.js']);
  });

  describe('node_modules', () => {
    const tree = {
      'index.js': 'x',
      'node_modules/dep/index.js': 'dep',
      'lib/node_modules/inner/index.js': 'inner',
      'lib/a.js': 'a',
    };

    it('is left out at any depth when the cloud installs the dependencies', async () => {
      const { files } = await zipFunction(await folder('fn', tree), install);
      expect(files).toEqual(['index.js', 'lib/a.js']);
    });

    it('is kept as it is otherwise', async () => {
      const { files, zip } = await zipFunction(await folder('fn', tree), noInstall);
      expect(files).toEqual([
        'index.js',
        'lib/a.js',
        'lib/node_modules/inner/index.js',
        'node_modules/dep/index.js',
      ]);
      expect(contents(zip)['node_modules/dep/index.js']).toBe('dep');
    });
  });

  describe('.wechatignore', () => {
    it('leaves out what it names, in gitignore syntax, and itself', async () => {
      const dir = await folder('fn', {
        '.wechatignore': '\uFEFF*.log\r\n# comment\n!keep.log\ndocs/\n/secret.txt\n*.TXT\n',
        'index.js': 'x',
        'debug.log': 'l',
        'lib/trace.log': 'l',
        'keep.log': 'kept',
        'docs/readme.md': 'd',
        'lib/docs/notes.md': 'd',
        'secret.txt': 's',
        'lib/secret.txt': 'kept: the pattern is anchored at the root',
        'notes.txt': 'kept: matching is case-sensitive',
      });
      const { files, zip } = await zipFunction(dir, noInstall);
      expect(files).toEqual(['index.js', 'keep.log', 'lib/secret.txt', 'notes.txt']);
      expect(contents(zip)['keep.log']).toBe('kept');
    });

    it('cannot bring back what the fixed rules leave out', async () => {
      const dir = await folder('fn', {
        '.wechatignore': '!.DS_Store\n!node_modules/\n!.wechatignore\n',
        'index.js': 'x',
        '.DS_Store': 'ds',
        'node_modules/dep/index.js': 'dep',
      });
      expect((await zipFunction(dir, install)).files).toEqual(['index.js']);
    });

    it('is read only at the folder root', async () => {
      const dir = await folder('fn', {
        'index.js': 'x',
        'lib/.wechatignore': '*.js\n',
        'lib/a.js': 'a',
      });
      expect((await zipFunction(dir, noInstall)).files).toEqual([
        'index.js',
        'lib/.wechatignore',
        'lib/a.js',
      ]);
    });
  });

  describe('refuses a folder that cannot be a function', () => {
    it('when it is missing', async () => {
      const dir = join(tmp, 'nope');
      const error = await zipFunction(dir, noInstall).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CodeFolderError);
      expect((error as Error).message).toBe(`Function folder ${dir} does not exist.`);
    });

    it('when it is a file', async () => {
      const dir = await folder('fn', { 'index.js': 'x' });
      const file = join(dir, 'index.js');
      await expect(zipFunction(file, noInstall)).rejects.toThrow(
        new CodeFolderError(`Function folder ${file} is not a folder.`),
      );
    });

    it('when it has no index.js at its root', async () => {
      const dir = await folder('fn', { 'lib/index.js': 'x', 'main.js': 'y' });
      const error = await zipFunction(dir, noInstall).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CodeFolderError);
      const { message } = error as Error;
      expect(message).toContain(dir);
      expect(message).toContain('no index.js at its root');
      expect(message).toContain('index.main');
      expect(message).not.toContain('\n');
    });

    it('when its index.js is a folder', async () => {
      const dir = await folder('fn', { 'index.js/a.js': 'x' });
      await expect(zipFunction(dir, noInstall)).rejects.toThrow(/no index\.js at its root/);
    });

    it('when its .wechatignore leaves index.js out', async () => {
      const dir = await folder('fn', { 'index.js': 'x', '.wechatignore': '*.js\n' });
      await expect(zipFunction(dir, noInstall)).rejects.toThrow(
        `Function folder ${dir}: its .wechatignore leaves out index.js; WeChat's handler index.main needs index.js.`,
      );
    });
  });

  // Windows makes links only with a privilege that a test cannot count on.
  describe.skipIf(process.platform === 'win32')('symlinks', () => {
    it('follows one to a file inside the folder and skips the others', async () => {
      const outside = await folder('outside', { 'secret.txt': 'outside' });
      const dir = await folder('fn', { 'index.js': 'x', 'lib/real.js': 'real' });
      await symlink(join(dir, 'lib', 'real.js'), join(dir, 'absolute.js'));
      await symlink(join('..', 'lib', 'real.js'), join(dir, 'lib', 'relative.js'));
      await symlink(join(outside, 'secret.txt'), join(dir, 'secret.txt'));
      await symlink(join('..', '..', 'outside', 'secret.txt'), join(dir, 'lib', 'up.txt'));
      await symlink(join(dir, 'lib'), join(dir, 'loop'));
      await symlink(outside, join(dir, 'outside-dir'));
      await symlink(join(dir, 'missing.js'), join(dir, 'dangling.js'));

      const { files, zip } = await zipFunction(dir, noInstall);
      expect(files).toEqual(['absolute.js', 'index.js', 'lib/real.js', 'lib/relative.js']);
      expect(contents(zip)['absolute.js']).toBe('real');
      expect(contents(zip)['lib/relative.js']).toBe('real');
    });
  });

  it.skipIf(!hasUnzip)('makes a zip that unzip lists and tests clean', async () => {
    const dir = await folder('fn', {
      'index.js': 'exports.main = async () => 1;',
      'lib/a.js': 'a',
      'big.bin': 'x'.repeat(200_000),
    });
    const { zip, files } = await zipFunction(dir, noInstall);
    const path = join(tmp, 'fn.zip');
    await writeFile(path, zip);
    const listed = spawnSync('unzip', ['-Z1', path], { encoding: 'utf8' });
    expect(listed.status).toBe(0);
    expect(listed.stdout.trim().split('\n')).toEqual(files);
    expect(spawnSync('unzip', ['-tq', path]).status).toBe(0);
  });

  it('zips the example function, which answers through main', async () => {
    const { files } = await zipFunction(HELLO, install);
    expect(files).toEqual(['index.js', 'package.json']);
    const hello = createRequire(import.meta.url)(join(HELLO, 'index.js'));
    const answer = await hello.main({ name: 'WeChat' }, { request_id: 'r-1' });
    expect(answer).toMatchObject({ message: 'Hello, WeChat!', requestId: 'r-1' });
  });

  it.skipIf(process.platform === 'win32')(
    'reads a large tree within a small file-handle limit',
    async () => {
      const dir = join(tmp, 'many');
      for (let i = 0; i < 2000; i++) {
        mkdirSync(join(dir, `d${i % 10}`), { recursive: true });
        writeFileNow(join(dir, `d${i % 10}`, `f${i}.js`), `module.exports = ${i};`);
      }
      writeFileNow(join(dir, 'index.js'), 'x');
      // 100 handles: room for Node itself, far too few for 2000 reads at once.
      const script = `import('./src/code-zip.ts')
        .then((m) => m.zipFunction(process.env.DIR, { installDependencies: false }))
        .then((z) => console.log(z.files.length), (e) => console.log(e.code ?? e.message))`;
      const run = spawnSync(
        'bash',
        ['-c', 'ulimit -n 100 && exec node --import tsx -e "$SCRIPT"'],
        {
          cwd: join(import.meta.dirname, '..'),
          env: { ...process.env, DIR: dir, SCRIPT: script },
          encoding: 'utf8',
        },
      );
      expect(run.stdout.trim()).toBe('2001');
    },
  );
});
