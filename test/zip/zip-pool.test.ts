// Deflating on several threads: the same bytes however many, one failure told as such, and
// workers that never hold the process.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeflatePool, inThreadBelow, PoolError, type PoolOptions } from '../../src/zip/zip-pool.js';
import { readZip } from '../../stand-in/zip-reader.js';
import { temporaryFolder, writeTree } from '../support/folders.js';
import { codeLike, noise, zipping } from '../support/zip-fixtures.js';

const REPOSITORY = join(import.meta.dirname, '..', '..');
const tmp = temporaryFolder();
const { zip } = zipping(() => tmp.path);

/** A folder worth the workers: many small files, large ones cut in pieces, an empty one. */
function bigFolder(): string {
  const files: Record<string, Uint8Array> = {
    'index.js': codeLike(2000, 1),
    'lib/bundle.js': codeLike(2_600_000, 2),
    'assets/image.bin': noise(1_200_000, 3),
    'empty.txt': new Uint8Array(0),
  };
  for (let i = 0; i < 150; i++) files[`node_modules/dep${i % 7}/file${i}.js`] = codeLike(i * 97, i);
  return writeTree(join(tmp.path, 'fn'), files);
}
// What bigFolder() zips to, on every system, with any pool. A change to the zip's format (or to
// the folder) must update it.
const BIG_FOLDER_SHA256 = 'fd66e70cddd6746cdaa5d1537bc2b16c718e28fe0b1f9c8e18ec91b8b9733f00';

const pools: DeflatePool[] = [];
const pool = (options: Partial<PoolOptions>) => {
  const made = new DeflatePool({ workers: 1, onMainThread: false, mainThreadBelow: 0, ...options });
  pools.push(made);
  return made;
};
afterAll(() => Promise.all(pools.map((made) => made.close())));
const zipIn = (dir: string, deflatePool: DeflatePool) => zip(dir, {}, deflatePool);

describe('the deflate pool', () => {
  it('gives the same bytes on the main thread alone, in one worker, in several, and shared', async () => {
    const dir = bigFolder();
    const zips = [
      await zipIn(dir, pool({ workers: 0, onMainThread: true })),
      await zipIn(dir, pool({ workers: 1 })),
      await zipIn(dir, pool({ workers: 3 })),
      await zipIn(dir, pool({ workers: 2, onMainThread: true })),
      await zip(dir),
    ];
    for (const zipped of zips) expect(zipped.sha256).toBe(BIG_FOLDER_SHA256);
    expect(readZip(zips[0].zip).read('lib/bundle.js').equals(codeLike(2_600_000, 2))).toBe(true);
  });

  it('zips several folders at once as it zips each alone', async () => {
    const shared = pool({ workers: 2, onMainThread: true });
    const dirs = [0, 1, 2, 3].map((n) =>
      writeTree(join(tmp.path, `fn${n}`), {
        'index.js': codeLike(100, n),
        'lib/big.js': codeLike(1_500_000 + n * 100_000, n),
        'lib/small.js': codeLike(3000, n + 10),
      }),
    );
    const together = await Promise.all(dirs.map((dir) => zipIn(dir, shared)));
    for (const [n, dir] of dirs.entries()) {
      const alone = await zipIn(dir, pool({ workers: 0, onMainThread: true }));
      expect(together[n].sha256).toBe(alone.sha256);
    }
  });

  it('fails one folder with a PoolError when deflating throws, in a worker or here, and goes on', async () => {
    const dir = bigFolder();
    const file = join(dir, 'index.js');
    // A size that no file has makes deflatePieces throw (a negative length), as a bug would.
    const broken = [{ path: file, size: -5 }];
    for (const options of [{ workers: 1 }, { workers: 0, onMainThread: true }]) {
      const threads = pool(options);
      const failed = await threads.deflate(broken, new SharedArrayBuffer(8), Infinity);
      expect(failed).toBeInstanceOf(PoolError);
      expect((failed as Error).message).toMatch(/Invalid typed array length/);
      const zipped = await zipIn(dir, threads);
      expect(zipped.sha256).toBe(BIG_FOLDER_SHA256);
    }
  });

  it('keeps a folder on the main thread where workers do not pay: any size an upload carries with one', () => {
    // The bench's folder, 8 MiB: slower through one worker than on the main thread alone.
    expect(inThreadBelow(1)).toBeGreaterThan(8 * 1024 * 1024);
    expect(inThreadBelow(0)).toBe(inThreadBelow(1));
    expect(inThreadBelow(3)).toBe(1024 * 1024);
  });

  it('lets the process exit once the zips are done, its workers idle', () => {
    const dir = bigFolder();
    const script = `import('./src/zip/code-zip.ts')
      .then((m) => m.zipFunction(process.env.DIR, { installDependencies: false, root: process.env.DIR }))
      .then((z) => console.log(z.sha256))`;
    // Were a worker to hold the process, it would never end: the timeout says so.
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: REPOSITORY,
      env: { ...process.env, DIR: dir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(BIG_FOLDER_SHA256);
    expect(run.status).toBe(0);
  });
});
