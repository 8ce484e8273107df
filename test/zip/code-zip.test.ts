import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CodeFolderError, MAX_UNZIPPED_BYTES, zipFunction } from '../../src/zip/code-zip.js';
import { DeflatePool } from '../../src/zip/zip-pool.js';
import { readZip } from '../../stand-in/zip-reader.js';
import { temporaryFolder, writeTree } from '../support/folders.js';
import {
  centralDirectory,
  codeLike,
  gitIndex,
  hasUnzip,
  unzipNames,
  zipping,
} from '../support/zip-fixtures.js';

const REPOSITORY = join(import.meta.dirname, '..', '..');
const EXAMPLES = join(REPOSITORY, 'examples', 'cloudfunctions');
const windows = process.platform === 'win32';
const linux = process.platform === 'linux';
// Root reads whatever a file's mode says.
const asRoot = process.getuid?.() === 0;

const tmp = temporaryFolder();
const folder = (name: string, files: Record<string, string | Uint8Array>) =>
  writeTree(join(tmp.path, name), files);
const { zip, refusal } = zipping(() => tmp.path);

/**
 * A pool on this thread alone that removes `path` when the walk hears of a file, or once the walk
 * is done, before a byte is read: as another process might, and root could not prevent.
 */
class RemovingPool extends DeflatePool {
  readonly #path: string;
  readonly #when: 'walking' | 'deflating';

  constructor(path: string, when: 'walking' | 'deflating') {
    super({ workers: 0, onMainThread: true, mainThreadBelow: Number.POSITIVE_INFINITY });
    this.#path = path;
    this.#when = when;
  }

  override warmUp(): (size: number) => void {
    return () => {
      if (this.#when === 'walking') rmSync(this.#path, { recursive: true, force: true });
    };
  }

  override deflate(...args: Parameters<DeflatePool['deflate']>) {
    if (this.#when === 'deflating') rmSync(this.#path, { recursive: true, force: true });
    return super.deflate(...args);
  }
}

const contents = (bytes: Buffer) =>
  Object.fromEntries(
    Object.entries(unzipSync(bytes)).map(([path, data]) => [path, strFromU8(data)]),
  );

describe('zipFunction', () => {
  it("puts the folder's content at the zip root, in byte order of the paths", async () => {
    const dir = folder('fn', {
      'lib/util.js': 'u',
      'lib/ünïcode.js': 'ü',
      'index.js': 'exports.main = async () => 1;',
      'a/z.js': 'z',
      'B.js': 'B',
      'a.js': 'a',
      'a-b.js': 'ab',
      '10': 'ten',
      '9': 'nine',
    });
    const { zip: bytes, files } = await zip(dir);
    // '-' < '.' < '/' < digits < 'B' < 'a' < 'u' < 'ü' in bytes; a locale sort would differ, and
    // so would the key order of an object, which puts '9' before '10'.
    const expected = [
      '10',
      '9',
      'B.js',
      'a-b.js',
      'a.js',
      'a/z.js',
      'index.js',
      'lib/util.js',
      'lib/ünïcode.js',
    ];
    expect(files).toEqual(expected);
    expect(readZip(bytes).names).toEqual(expected);
    expect(contents(bytes)).toEqual({
      '10': 'ten',
      '9': 'nine',
      'B.js': 'B',
      'a-b.js': 'ab',
      'a.js': 'a',
      'a/z.js': 'z',
      'index.js': 'exports.main = async () => 1;',
      'lib/util.js': 'u',
      'lib/ünïcode.js': 'ü',
    });
    // The UTF-8 flag on the name that needs it, and on no other.
    const flagged = centralDirectory(bytes).filter((entry) => entry.flags & 0x0800);
    expect(flagged.map((entry) => entry.name)).toEqual(['lib/ünïcode.js']);
  });

  it('stores files named like properties of every object as any other file', async () => {
    const dir = folder('fn', {
      'index.js': 'x',
      ['__proto__']: 'proto', // computed: a plain `__proto__:` would set the prototype
      constructor: 'c',
      'lib/__proto__/level.js': 'deep',
      hasOwnProperty: 'h',
    });
    const { zip: bytes, files } = await zip(dir);
    const expected = ['__proto__', 'constructor', 'hasOwnProperty', 'index.js'];
    expect(files).toEqual([...expected, 'lib/__proto__/level.js']);
    const read = readZip(bytes);
    expect(read.names).toEqual(files);
    expect(read.read('__proto__').toString()).toBe('proto');
    expect(read.read('lib/__proto__/level.js').toString()).toBe('deep');
  });

  it('gives its sha256 as the lowercase hex of the zip bytes', async () => {
    const { zip: bytes, sha256 } = await zip(folder('fn', { 'index.js': 'x' }));
    expect(sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
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
    const first = folder('first', files);
    const second = folder('second', Object.fromEntries(Object.entries(files).reverse()));
    utimesSync(join(second, 'index.js'), new Date('2011-03-04T05:06:07Z'), new Date(1e12));
    utimesSync(join(second, 'lib', 'a.js'), 0, 0);
    chmodSync(join(first, 'z.txt'), 0o600);
    chmodSync(join(second, 'z.txt'), 0o775);
    chmodSync(join(second, 'lib', 'deep', 'b.js'), 0o444);

    const a = await zip(first);
    const b = await zip(second);
    expect(b.files).toEqual(a.files);
    expect(b.sha256).toBe(a.sha256);
    expect(b.zip.equals(a.zip)).toBe(true);
  });

  it('stores one timestamp, 1980-01-01 00:00, in every time zone', async () => {
    const dir = folder('fn', { 'index.js': 'x', 'lib/a.js': 'a' });
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Kiritimati';
      const east = await zip(dir);
      process.env.TZ = 'America/Los_Angeles';
      const west = await zip(dir);
      expect(west.zip.equals(east.zip)).toBe(true);
      for (const entry of centralDirectory(west.zip)) {
        expect([entry.dosDate, entry.dosTime]).toEqual([(0 << 9) | (1 << 5) | 1, 0]);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  describe('modes', () => {
    const modes = (bytes: Buffer) =>
      Object.fromEntries(
        centralDirectory(bytes).map((entry) => {
          expect(entry.madeBy).toBe(3);
          return [entry.name, entry.mode.toString(8)];
        }),
      );

    it('stores 0755 for what git records as executable, 0644 for the rest, made by Unix', async () => {
      const dir = folder('repo/fn', {
        'index.js': 'x',
        'bin/tool': '#!/bin/sh\n',
        'bin/untracked': '#!/bin/sh\n',
        'data.txt': 'd',
      });
      gitIndex(join(tmp.path, 'repo'), ['fn/bin/tool']);
      writeFileSync(join(dir, 'bin', 'later'), '#!/bin/sh\n');
      // The file system's bits count for nothing: only the index's.
      chmodSync(join(dir, 'bin', 'tool'), 0o644);
      chmodSync(join(dir, 'bin', 'later'), 0o755);
      chmodSync(join(dir, 'data.txt'), 0o700);
      expect(modes((await zip(dir)).zip)).toEqual({
        'bin/later': '100644',
        'bin/tool': '100755',
        'bin/untracked': '100644',
        'data.txt': '100644',
        'index.js': '100644',
      });
    });

    it('stores 0644 for every file outside git, whatever its bits', async () => {
      const dir = folder('fn', { 'index.js': 'x', 'bin/tool': '#!/bin/sh\n' });
      chmodSync(join(dir, 'bin', 'tool'), 0o755);
      expect(modes((await zip(dir)).zip)).toEqual({ 'bin/tool': '100644', 'index.js': '100644' });
    });

    it("reads a submodule's files in the submodule's own index", async () => {
      const dir = folder('repo/fn', { 'index.js': 'x', 'vendor/tool/run.sh': '#!/bin/sh\n' });
      const tool = join(dir, 'vendor', 'tool');
      gitIndex(tool, ['run.sh']);
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 't'], {
        cwd: tool,
      });
      // The work tree around it records the submodule as one entry (mode 160000), not its files.
      gitIndex(join(tmp.path, 'repo'));
      expect(modes((await zip(dir)).zip)).toEqual({
        'index.js': '100644',
        'vendor/tool/run.sh': '100755',
      });
    });

    it('reads the index again once it changed', async () => {
      const dir = folder('fn', { 'index.js': 'x', 'run.sh': '#!/bin/sh\n' });
      gitIndex(dir);
      expect(modes((await zip(dir)).zip)['run.sh']).toBe('100644');
      gitIndex(dir, ['run.sh']);
      expect(modes((await zip(dir)).zip)['run.sh']).toBe('100755');
    });
  });

  it('leaves out .git at any depth, folder or file, and editor and OS litter', async () => {
    const dir = folder('fn', {
      'index.js': 'x',
      '.git/HEAD': 'ref',
      'lib/.git/config': 'c',
      'sub/.git': 'gitdir: ../../.git/modules/sub\n',
      'vendor/.Git/config': 'git reads it as .git where case does not matter',
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
    const { files } = await zip(dir);
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
      const { files } = await zip(folder('fn', tree), { installDependencies: true });
      expect(files).toEqual(['index.js', 'lib/a.js']);
    });

    it('is kept as it is otherwise', async () => {
      const { files, zip: bytes } = await zip(folder('fn', tree));
      expect(files).toEqual([
        'index.js',
        'lib/a.js',
        'lib/node_modules/inner/index.js',
        'node_modules/dep/index.js',
      ]);
      expect(contents(bytes)['node_modules/dep/index.js']).toBe('dep');
    });
  });

  describe('.wechatignore', () => {
    it('leaves out what it names, in gitignore syntax, and itself', async () => {
      const dir = folder('fn', {
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
      const { files, zip: bytes } = await zip(dir);
      expect(files).toEqual(['index.js', 'keep.log', 'lib/secret.txt', 'notes.txt']);
      expect(contents(bytes)['keep.log']).toBe('kept');
    });

    it('cannot bring back what the fixed rules leave out', async () => {
      const dir = folder('fn', {
        '.wechatignore': '!.DS_Store\n!node_modules/\n!.wechatignore\n',
        'index.js': 'x',
        '.DS_Store': 'ds',
        'node_modules/dep/index.js': 'dep',
      });
      expect((await zip(dir, { installDependencies: true })).files).toEqual(['index.js']);
    });

    it('is read only at the folder root', async () => {
      const dir = folder('fn', {
        'index.js': 'x',
        'lib/.wechatignore': '*.js\n',
        'lib/a.js': 'a',
      });
      expect((await zip(dir)).files).toEqual(['index.js', 'lib/.wechatignore', 'lib/a.js']);
    });

    it('fails the function on a line with more than 3 `**` segments, naming it', async () => {
      const three = '\uFEFF**/a/**/b/**\n!**/c/***/d/**/e\n# **/**/**/**\n';
      const dir = folder('fn', { 'index.js': 'x', '.wechatignore': three, 'a/x/b/y.js': 'y' });
      expect((await zip(dir)).files).toEqual(['index.js']);
      writeFileSync(join(dir, '.wechatignore'), `${three}!**/a/**/b/**/c/**\r\n`);
      expect(await refusal(dir)).toMatch(/: line 4 of its .wechatignore has 4 /);
      writeFileSync(join(dir, '.wechatignore'), `\uFEFF**/a/**/b/**/c/**\n`);
      expect(await refusal(dir)).toBe(
        `Function folder ${dir}: line 1 of its .wechatignore has 4 \`**\` segments, more than 3: the time to match it grows as the folders' depth to that power.`,
      );
    });

    it('fails the function when it is a folder, rather than count for nothing', async () => {
      const dir = folder('fn', { 'index.js': 'x', '.wechatignore/rules': '*.js\n' });
      expect(await refusal(dir)).toBe(`Function folder ${dir}: .wechatignore is not a file.`);
    });
  });

  describe('refuses a folder that cannot be a function', () => {
    it('when it is missing', async () => {
      const dir = join(tmp.path, 'nope');
      expect(await refusal(dir)).toBe(`Function folder ${dir} does not exist.`);
    });

    it('when it is a file', async () => {
      const file = join(folder('fn', { 'index.js': 'x' }), 'index.js');
      expect(await refusal(file)).toBe(`Function folder ${file} is not a folder.`);
    });

    it('when it has no index.js at its root', async () => {
      const dir = folder('fn', { 'lib/index.js': 'x', 'main.js': 'y' });
      expect(await refusal(dir)).toBe(
        `Function folder ${dir}: it has no index.js at its root; WeChat's handler index.main needs index.js.`,
      );
    });

    it('when its index.js is a folder', async () => {
      const dir = folder('fn', { 'index.js/a.js': 'x' });
      expect(await refusal(dir)).toMatch(/no index\.js at its root/);
    });

    it('when its .wechatignore leaves index.js out', async () => {
      const dir = folder('fn', { 'index.js': 'x', '.wechatignore': '*.js\n' });
      expect(await refusal(dir)).toBe(
        `Function folder ${dir}: its .wechatignore leaves out index.js; WeChat's handler index.main needs index.js.`,
      );
    });

    // Other systems refuse such names themselves.
    it.runIf(linux)('when a name is not valid UTF-8, shown with its bytes escaped', async () => {
      const dir = folder('fn', { 'index.js': 'x', 'lib/ok.js': 'ok' });
      const name = Buffer.concat([Buffer.from(join(dir, 'lib', 'caf')), Buffer.from([0xe9, 0x2e])]);
      writeFileSync(Buffer.concat([name, Buffer.from('js')]), 'latin-1');
      expect(await refusal(dir)).toBe(
        `Function folder ${dir}: the name of lib/caf\\xe9.js is not valid UTF-8, as names in a zip must be.`,
      );
    });

    // Windows has no such mode; for root, the next test reads what is not there.
    it.skipIf(windows || asRoot)('when a file cannot be read, naming it', async () => {
      const dir = folder('fn', { 'index.js': 'x', 'lib/secret.js': 's', 'locked/a.js': 'a' });
      chmodSync(join(dir, 'lib', 'secret.js'), 0o000);
      expect(await refusal(dir)).toBe(
        `Function folder ${dir}: lib/secret.js cannot be read (EACCES).`,
      );
      chmodSync(join(dir, 'lib', 'secret.js'), 0o644);
      chmodSync(join(dir, 'locked'), 0o000);
      try {
        expect(await refusal(dir)).toBe(`Function folder ${dir}: locked/ cannot be read (EACCES).`);
      } finally {
        chmodSync(join(dir, 'locked'), 0o755);
      }
    });

    it('when a file or folder is gone by the time it is read, naming it', async () => {
      const dir = folder('fn', { 'index.js': 'x', 'lib/gone.js': 'g', 'later/a.js': 'a' });
      const gone = new RemovingPool(join(dir, 'lib', 'gone.js'), 'deflating');
      expect(await refusal(dir, {}, gone)).toBe(
        `Function folder ${dir}: lib/gone.js cannot be read (ENOENT).`,
      );
      // Removed as the walk hears of index.js, before it lists later/.
      const later = new RemovingPool(join(dir, 'later'), 'walking');
      expect(await refusal(dir, {}, later)).toBe(
        `Function folder ${dir}: later/ cannot be read (ENOENT).`,
      );
    });

    // NTFS does not make the large file sparse: it would be written.
    it.skipIf(windows)(
      'when its files total more than SCF takes unzipped, from their sizes alone',
      async () => {
        const dir = folder('fn', { 'index.js': 'x', 'data/a.bin': '' });
        truncateSync(join(dir, 'data', 'a.bin'), MAX_UNZIPPED_BYTES);
        expect(await refusal(dir)).toBe(
          `Function folder ${dir}: its files total ${MAX_UNZIPPED_BYTES + 1} bytes (500.0 MiB), ` +
            'more than the 500 MiB that SCF takes unzipped; its largest file is data/a.bin (500.0 MiB).',
        );
      },
    );

    it('when its zip grows past maxZipBytes: not a byte more', async () => {
      const dir = folder('fn', { 'index.js': 'x', 'lib/code.js': codeLike(3_000_000, 7) });
      const { zip: bytes } = await zip(dir);
      expect((await zip(dir, { maxZipBytes: bytes.length })).zip.equals(bytes)).toBe(true);
      const mib = ((bytes.length - 1) / 1024 / 1024).toFixed(1);
      expect(await refusal(dir, { maxZipBytes: bytes.length - 1 })).toBe(
        `Function folder ${dir}: its zip would be larger than ${bytes.length - 1} bytes (${mib} MiB): ` +
          'its largest file is lib/code.js (2.9 MiB).',
      );
    });

    it('when its files would not fit even empty, found while walking', async () => {
      const files = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`lib/${i}.js`, '']));
      const dir = folder('fn', { 'index.js': 'x', ...files });
      expect(await refusal(dir, { maxZipBytes: 1000 })).toBe(
        `Function folder ${dir}: its zip would be larger than 1000 bytes (0.0 MiB): ` +
          'the headers of 11 of its files already take more.',
      );
    });

    it('without ever throwing at once, whatever it is given', async () => {
      const bad = (zipFunction as (dir: unknown, options: unknown) => Promise<unknown>)(
        undefined,
        undefined,
      );
      await expect(bad).rejects.toBeInstanceOf(CodeFolderError);
      await expect(bad).rejects.toThrow(
        /^Function folder undefined: it could not be zipped \(.+\)\.$/,
      );
    });
  });

  it.skipIf(!hasUnzip)('makes a zip that unzip lists and tests clean', async () => {
    const dir = folder('fn', {
      'index.js': 'exports.main = async () => 1;',
      'lib/a.js': 'a',
      'lib/ünïcode.js': 'ü',
      'big.bin': codeLike(2_500_000, 3),
    });
    const { zip: bytes, files } = await zip(dir);
    expect(unzipNames(bytes, tmp.path)).toEqual(files);
    expect(spawnSync('unzip', ['-tq', join(tmp.path, 'listed.zip')]).status).toBe(0);
  });

  it('reads a large file in pieces, and stores it whole', async () => {
    // Over three pieces of 1 MiB, the last one short: each piece's cut and dictionary matter.
    const big = codeLike(3 * 1024 * 1024 + 12_345, 11);
    const dir = folder('fn', { 'index.js': 'x', 'big.js': big, 'empty.txt': '' });
    const read = readZip((await zip(dir)).zip);
    expect(read.read('big.js').equals(big)).toBe(true);
    expect(read.read('empty.txt').length).toBe(0);
  });

  // Windows takes minutes to write so many files; the zip is the same there.
  it.skipIf(windows)(
    'stores more than 65,535 files, counted in a ZIP64 end record',
    async () => {
      const count = 70_001;
      const dir = join(tmp.path, 'many');
      for (let d = 0; d < 70; d++) mkdirSync(join(dir, `d${d}`), { recursive: true });
      for (let i = 1; i < count; i++) writeFileSync(join(dir, `d${i % 70}`, `${i}.js`), `${i}`);
      writeFileSync(join(dir, 'index.js'), 'x');
      const { zip: bytes, files } = await zip(dir);
      expect(files).toHaveLength(count);
      const read = readZip(bytes);
      expect(read.names).toEqual(files);
      expect(read.read('d69/69.js').toString()).toBe('69');
      if (hasUnzip) expect(unzipNames(bytes, tmp.path)).toHaveLength(count);
    },
    120_000,
  );

  describe('the example functions', () => {
    // The same on Linux, macOS and Windows (CI runs this test on each): the bytes depend on the
    // committed content and git's modes alone. A change to an example must update its hash.
    const EXPECTED: Record<string, { files: string[]; sha256: string }> = {
      hello: {
        files: ['bin/hello.sh', 'config.json', 'index.js', 'package.json'],
        sha256: '33b60b4aa32f553c8b29cc458ba9da1d2552989590e98af6e6697af1c562785e',
      },
    };

    it.each(Object.keys(EXPECTED))('zips %s to the bytes it always had', async (name) => {
      const zipped = await zipFunction(join(EXAMPLES, name), {
        installDependencies: true,
        root: REPOSITORY,
      });
      expect({ files: zipped.files, sha256: zipped.sha256 }).toEqual(EXPECTED[name]);
      const modes = centralDirectory(zipped.zip).map((entry) => entry.mode.toString(8));
      expect(modes).toEqual(['100755', '100644', '100644', '100644']);
    });

    it('answers through main, once unzipped', async () => {
      const hello = createRequire(import.meta.url)(join(EXAMPLES, 'hello', 'index.js'));
      const answer = await hello.main({ name: 'WeChat' }, { request_id: 'r-1' });
      expect(answer).toMatchObject({ message: 'Hello, WeChat!', requestId: 'r-1' });
    });
  });

  it.skipIf(windows)('reads a large tree within a small file-handle limit', () => {
    const dir = join(tmp.path, 'many');
    for (let i = 0; i < 2000; i++) {
      mkdirSync(join(dir, `d${i % 10}`), { recursive: true });
      writeFileSync(join(dir, `d${i % 10}`, `f${i}.js`), `module.exports = ${i};`);
    }
    writeFileSync(join(dir, 'index.js'), 'x');
    // 100 handles: room for Node itself, far too few for 2000 reads at once.
    const script = `import('./src/zip/code-zip.ts')
      .then((m) => m.zipFunction(process.env.DIR, { installDependencies: false, root: process.env.DIR }))
      .then((z) => console.log(z.files.length), (e) => console.log(e.code ?? e.message))`;
    const run = spawnSync('bash', ['-c', 'ulimit -n 100 && exec node --import tsx -e "$SCRIPT"'], {
      cwd: REPOSITORY,
      env: { ...process.env, DIR: dir, SCRIPT: script },
      encoding: 'utf8',
    });
    expect(run.stdout.trim()).toBe('2001');
  });
});
