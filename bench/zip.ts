// Times the zip of one function folder, side by side with what other tools do: ours
// (zipFunction), fflate's zipSync (what the action did before), fflate's asynchronous zip (a
// worker per file), archiver on Node's zlib (CloudBase's CLI), JSZip (miniprogram-ci). Each run
// is a process of its own, timed from the call to the zip, as the action zips: once, with
// JavaScript not yet compiled and workers not yet started. Each walks the folder and reads its
// files itself. The folder is ~400 files and ~8 MiB of real package code, copied from
// node_modules. The `zip` case of bench/bench.ts runs them; this file, started with
// `--contender N --folder DIR`, is the process of one run.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { ZipArchive } from 'archiver';
import { type AsyncZippable, type Zippable, zip as zipAsync, zipSync } from 'fflate';
import JSZip from 'jszip';
import { zipFunction } from '../src/zip/code-zip.js';
import { inThreadBelow, SHARED_WORKERS } from '../src/zip/zip-pool.js';
import { ROOT } from '../stand-in/runner.js';

/** Packages whose files make the folder: 410 files, 8.1 MiB, one of them 4.5 MiB. */
const PACKAGES = ['@octokit/plugin-rest-endpoint-methods', '@bufbuild/protobuf'];

const workers = (n: number) => `${n} worker${n === 1 ? '' : 's'}`;

interface Contender {
  /** What the bench tells it by: ours is held to a target, archiver is the floor. */
  key: 'ours' | 'fflate-sync' | 'fflate-async' | 'archiver' | 'jszip';
  name: string;
  zip: (folder: string) => Promise<Uint8Array>;
}

const CONTENDERS: Contender[] = [
  {
    key: 'ours',
    // An 8 MiB folder stays on the main thread when the pool would have one worker.
    name: `ours (zipFunction, level 6, main thread${inThreadBelow(SHARED_WORKERS) > 8 * 1024 * 1024 ? '' : ` + ${workers(SHARED_WORKERS)}`})`,
    zip: async (folder) =>
      (await zipFunction(folder, { installDependencies: false, root: folder })).zip,
  },
  {
    key: 'fflate-sync',
    name: 'fflate zipSync, level 6',
    zip: async (folder) => zipSync(read(folder, (data) => data) as Zippable, { level: 6 }),
  },
  {
    key: 'fflate-async',
    name: 'fflate zip (async, a worker per file), level 6',
    zip: (folder) =>
      new Promise((done, fail) => {
        zipAsync(read(folder, (data) => data) as AsyncZippable, { level: 6 }, (error, data) =>
          error ? fail(error) : done(data),
        );
      }),
  },
  {
    key: 'archiver',
    name: "archiver 8 (Node's zlib), level 6",
    zip: async (folder) => {
      const archive = new ZipArchive({ zlib: { level: 6 } });
      const chunks: Buffer[] = [];
      archive.on('data', (chunk) => chunks.push(chunk));
      const ended = new Promise((done) => archive.on('end', done));
      archive.directory(folder, false);
      await archive.finalize();
      await ended;
      return Buffer.concat(chunks);
    },
  },
  {
    key: 'jszip',
    name: 'JSZip, level 9',
    zip: async (folder) => {
      const zip = new JSZip();
      read(folder, (data, path) => zip.file(path, data));
      return zip.generateAsync({
        type: 'uint8array',
        compression: 'DEFLATE',
        compressionOptions: { level: 9 },
      });
    },
  },
];

/** Every file under `folder`, read, handed to `take` with its posix path; the paths → data. */
function read(
  folder: string,
  take: (data: Buffer, path: string) => unknown,
): Record<string, unknown> {
  const files: Record<string, unknown> = {};
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = join(entry.parentPath, entry.name);
    const path = relative(folder, absolute).split(sep).join('/');
    files[path] = take(readFileSync(absolute), path);
  }
  return files;
}

/** A function folder of real package code, in a new temporary folder. */
export function packageFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'zip-bench-'));
  for (const name of PACKAGES) {
    const from = join(ROOT, 'node_modules', name);
    if (!existsSync(from)) throw new Error(`${from} is missing: run \`npm ci\` first`);
    cpSync(from, join(folder, name), { recursive: true, dereference: true });
  }
  writeFileSync(join(folder, 'index.js'), 'exports.main = async () => "bench";\n');
  return folder;
}

/** The contenders, in the order timeOne() takes them. */
export const ZIPPERS: readonly Pick<Contender, 'key' | 'name'>[] = CONTENDERS.map(
  ({ key, name }) => ({ key, name }),
);

/** One run of one contender, in a new process: its time and the zip's size. */
export function timeOne(contender: number, folder: string): { ms: number; bytes: number } {
  const child = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      import.meta.filename,
      '--contender',
      String(contender),
      '--folder',
      folder,
    ],
    { encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(`${CONTENDERS[contender].name}: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({
    options: { contender: { type: 'string' }, folder: { type: 'string' } },
  });
  if (values.contender === undefined || values.folder === undefined) {
    throw new Error('usage: bench/zip.ts --contender N --folder DIR (npm run bench runs it)');
  }
  const t0 = performance.now();
  const zip = await CONTENDERS[Number(values.contender)].zip(values.folder);
  console.log(JSON.stringify({ ms: performance.now() - t0, bytes: zip.length }));
}
