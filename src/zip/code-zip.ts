// Turns one cloud function's folder into the zip that WeChat's code upload takes: the folder's
// content at the zip root, so that `index.js` is there for the handler `index.main`.
//
// What goes in: every regular file under the folder, except
// - `.git` at any depth, folder, file or link, and editor and OS litter (ALWAYS_LEFT_OUT in
//   zip-walk.ts);
// - `node_modules/` at any depth when the cloud installs the dependencies from package.json;
// - whatever the folder's own `.wechatignore` names (the file itself is left out too). It is read
//   with gitignore syntax, as `.gitignore` is, relative to the folder: `*.log`, `/docs/`,
//   `!keep.log`; matching is case-sensitive on every platform, and as in git a file inside a
//   left-out folder cannot be brought back by a negation. The fixed rules above cannot be undone
//   by it either. A line with more than 3 `**` segments fails the function (zip-walk.ts).
// Sockets, FIFOs and devices are skipped: they have no content to ship.
//
// Links (to a file or a folder, the `.wechatignore`, the function folder itself) are followed when
// they lead inside the repository (`root`) or inside the folder: the content is stored under the
// link's path, a folder's as a folder (pnpm's `node_modules/dep -> .pnpm/…`, `lib -> ../common`).
// A link that leads outside, into a `.git` folder, to nothing, or to a folder that holds it (a
// loop) fails the function, naming the link. A link that the rules leave out is not followed.
//
// What fails it, before anything is read: a name that is not valid UTF-8 (zip names are), files
// that total more than SCF takes unzipped, or more files than `maxZipBytes` has room for headers.
// While deflating, it stops as soon as the zip grows past `maxZipBytes`; a large file is read and
// deflated a megabyte at a time, never whole. Every failure is a CodeFolderError that names the
// folder and the file or link, in one sentence.
//
// The same content gives the same bytes on every system, so the zip's hash tells whether the code
// changed: entries in byte order of their posix paths, only files (folders are implied by the
// paths; empty ones are dropped), one timestamp, one deflate (fflate, level 6, see
// zip-deflate.ts), no extra fields, ZIP64 end records past 65,534 entries (zip-container.ts), and
// a mode that is what git records: 0755 for a file the index of its work tree marks executable
// (mode 100755), 0644 for every other file and everywhere outside git (zip-git-modes.ts, which
// reads the index itself, so that a repository git refuses gets the same modes). Mtimes,
// umask, file system modes, the order a directory lists in, the time zone, the Node version and
// the number of threads that deflate (zip-pool.ts: every core) make no difference.

import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf } from '../text/text.js';
import { endBytes, headerBytes, zipContainer } from './zip-container.js';
import { GitModes } from './zip-git-modes.js';
import { type DeflatePool, PoolError, sharedPool } from './zip-pool.js';
import { Refusal } from './zip-refusal.js';
import { IGNORE_FILE, realFolder, realRoot, walkFolder } from './zip-walk.js';

export interface FunctionZip {
  zip: Buffer;
  /** Lowercase hex SHA-256 of `zip`. */
  sha256: string;
  /** The entries, as posix paths, in the order stored. */
  files: string[];
  /** What the user should know of a zip made all the same: modes that could not be read. */
  warnings: string[];
}

/** Every way a folder cannot become a function's code; its message says what and where. */
export class CodeFolderError extends Error {
  override name = 'CodeFolderError';

  /** @param tooLarge Whether the folder holds too much: leaving files out would help. */
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

export interface ZipOptions {
  /** Leave node_modules/ out: the cloud installs from package.json. */
  installDependencies: boolean;
  /** The repository: links may resolve anywhere inside it (GITHUB_WORKSPACE, else the cwd). */
  root: string;
  /** The zip may not grow past this; zipping stops as soon as it would. Default: no limit. */
  maxZipBytes?: number;
}

// What SCF takes of one function's code before compression, layers included: "单个函数（版本）的
// 代码压缩前体积（包含绑定的层）500MB", https://cloud.tencent.com/document/product/583/11637
// (配额限制说明, updated 2025-03-24; the English page says "500 MB"). Counted as MiB, the larger
// reading: a folder between the two is left for the cloud to judge.
export const MAX_UNZIPPED_BYTES = 500 * 1024 * 1024;

const MIB = 1024 * 1024;
const mib = (bytes: number) => (bytes / MIB).toFixed(1);

export async function zipFunction(dir: string, options: ZipOptions): Promise<FunctionZip> {
  return zipWith(dir, options, sharedPool());
}

/** zipFunction with a pool of one's own (the tests compare pool sizes). */
export async function zipWith(
  dir: string,
  options: ZipOptions,
  pool: DeflatePool,
): Promise<FunctionZip> {
  try {
    return await zipFolder(dir, options, pool);
  } catch (error) {
    throw new CodeFolderError(sentence(dir, error), error instanceof Refusal && error.tooLarge);
  }
}

async function zipFolder(
  dir: string,
  options: ZipOptions,
  pool: DeflatePool,
): Promise<FunctionZip> {
  const maxZipBytes = options.maxZipBytes ?? Number.POSITIVE_INFINITY;
  const tooLarge = (detail: string) =>
    new Refusal(
      `its zip would be larger than ${maxZipBytes} bytes (${mib(maxZipBytes)} MiB): ${detail}`,
      true,
      true,
    );
  const root = realRoot(options.root);
  const folder = realFolder(dir, root);
  const files = await walkFolder(folder, root, {
    installDependencies: options.installDependencies,
    maxZipBytes,
    tooLarge: (count) => tooLarge(`the headers of ${count} of its files already take more`),
    onFile: pool.warmUp(),
  });

  if (!files.some((file) => file.path === 'index.js')) {
    const left = (await stat(join(folder, 'index.js')).catch(() => undefined))?.isFile();
    const why = left ? `its ${IGNORE_FILE} leaves out index.js` : 'it has no index.js at its root';
    throw new Refusal(`${why}; WeChat's handler index.main needs index.js`);
  }
  const largest = files.reduce((a, b) => (b.size > a.size ? b : a));
  const largestIs = `its largest file is ${largest.path} (${mib(largest.size)} MiB)`;
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (total > MAX_UNZIPPED_BYTES) {
    throw new Refusal(
      `its files total ${total} bytes (${mib(total)} MiB), more than the ` +
        `${MAX_UNZIPPED_BYTES / MIB} MiB that SCF takes unzipped; ${largestIs}`,
      true,
      true,
    );
  }

  // The index is read while the files are deflated.
  const modes = new GitModes(folder);
  // The bytes the zip has reached, its headers first; the deflating threads add theirs.
  const reached = new SharedArrayBuffer(8);
  const headers = files.reduce((sum, file) => sum + headerBytes(file.name.length), 0);
  new BigInt64Array(reached)[0] = BigInt(headers + endBytes(files.length));
  const deflated = await pool.deflate(
    files.map((file) => ({ path: file.real, size: file.size })),
    reached,
    maxZipBytes,
  );
  if (deflated instanceof PoolError) throw deflated;
  if ('tooLarge' in deflated) throw tooLarge(largestIs);
  if ('failed' in deflated) {
    const { path } = files[deflated.failed];
    throw new Refusal(
      deflated.code === 'CHANGED'
        ? `${path} changed while it was zipped`
        : `${path} cannot be read (${deflated.code})`,
    );
  }

  const { executable, warnings } = await modes.executables(files.map((file) => file.real));
  const zip = zipContainer(
    files.map((file, i) => ({
      name: file.name,
      executable: executable[i],
      size: file.size,
      ...deflated[i],
    })),
  );
  return {
    zip,
    sha256: createHash('sha256').update(zip).digest('hex'),
    files: files.map((file) => file.path),
    warnings,
  };
}

/** `Function folder <dir>: <what is wrong>.`, one line and one period, whatever failed. */
function sentence(dir: string, error: unknown): string {
  if (error instanceof Refusal) {
    return `Function folder ${dir}${error.colon ? ': ' : ' '}${error.reason}.`;
  }
  const message = messageOf(error)
    .replace(/\s+/g, ' ')
    .replace(/[\s.]+$/, '');
  return `Function folder ${dir}: it could not be zipped (${message}).`;
}
