// Turns one cloud function's folder into the zip that WeChat's code upload takes: the folder's
// content at the zip root, so that `index.js` is there for the handler `index.main`.
//
// What goes in: every regular file under the folder, except
// - `.git/` at any depth, and editor and OS litter (ALWAYS_LEFT_OUT below);
// - `node_modules/` at any depth when the cloud installs the dependencies from package.json;
// - whatever the folder's own `.wechatignore` names (the file itself is left out too). It is read
//   with gitignore syntax, as `.gitignore` is, relative to the folder: `*.log`, `/docs/`,
//   `!keep.log`; matching is case-sensitive on every platform, and as in git a file inside a
//   left-out folder cannot be brought back by a negation. The fixed rules above cannot be undone
//   by it either.
// Symlinks: one that resolves to a regular file inside the folder is followed (its content is
// stored under the link's path); one that points outside the folder, to a folder (loops), or to
// nothing is skipped.
//
// The same content gives the same bytes, so the zip's hash tells whether the code changed:
// entries in byte order of their posix paths, only files (folders are implied by the paths; empty
// ones are dropped), one timestamp, one compression level, and a mode that records only what git
// records: executable (0755, for a bundled binary that must still run in the cloud) or not (0644).
// Mtimes, umask, other mode bits and the order a directory lists in make no difference. The
// deflate is fflate's, in plain JavaScript and pinned to one version: Node's zlib is faster, but
// its output may change with the Node release and the CPU's SIMD paths.

import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { lstat, open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { type ZipOptions, zipSync } from 'fflate';
import ignore, { type Ignore } from 'ignore';
import { mapLimit } from './map-limit.js';

export interface FunctionZip {
  zip: Buffer;
  /** Lowercase hex SHA-256 of `zip`. */
  sha256: string;
  /** The entries, as posix paths, in the order they are stored (see ORDER below). */
  files: string[];
}

/** The folder cannot become a function's code: missing, not a folder, or without `index.js`. */
export class CodeFolderError extends Error {
  override name = 'CodeFolderError';
}

const IGNORE_FILE = '.wechatignore';

const ALWAYS_LEFT_OUT = [
  '.git/',
  '.DS_Store',
  '.vscode/',
  '.idea/',
  '*.swp',
  '*~',
  'Thumbs.db',
  'desktop.ini',
];

// 1980-01-01 00:00:00, the earliest DOS time. fflate reads it back with local-time getters, so
// it is built from local fields too, at each call (TZ may change in a running process): the
// stored time is then the same in every time zone.
const fixedMtime = () => new Date(1980, 0, 1, 0, 0, 0);
const LEVEL = 6;
// "Made by" Unix, so that unzip tools apply the mode in the high half of the attributes.
const MADE_BY_UNIX = 3;
const FILE_MODE = 0o100644;
const EXECUTABLE_MODE = 0o100755;
// Enough reads in flight to keep the disk busy, few enough to stay far from the fd limit.
const READ_CONCURRENCY = 16;

interface Entry {
  path: string;
  absolute: string;
}

export async function zipFunction(
  dir: string,
  options: { installDependencies: boolean },
): Promise<FunctionZip> {
  const root = await realFolder(dir);
  const fixed = ignore({ ignorecase: false }).add(ALWAYS_LEFT_OUT).add(`/${IGNORE_FILE}`);
  if (options.installDependencies) fixed.add('node_modules/');
  const own = ignore({ ignorecase: false }).add(await readIgnoreFile(join(root, IGNORE_FILE)));
  const leftOut = (path: string) => fixed.ignores(path) || own.ignores(path);

  const entries: Entry[] = [];
  await walk(root, '', root, leftOut, entries);
  const keys = new Map(entries.map((entry) => [entry, Buffer.from(entry.path)]));
  entries.sort((a, b) => Buffer.compare(keys.get(a) as Buffer, keys.get(b) as Buffer));

  if (!entries.some((entry) => entry.path === 'index.js')) {
    const why = (await isFile(join(root, 'index.js')))
      ? `its ${IGNORE_FILE} leaves out index.js`
      : 'it has no index.js at its root';
    throw new CodeFolderError(
      `Function folder ${dir}: ${why}; WeChat's handler index.main needs index.js.`,
    );
  }

  const contents = await mapLimit(entries, READ_CONCURRENCY, readEntry);
  // ORDER: zipSync stores its input's keys in JS key order, which is insertion order except that
  // array-index keys come first, ascending: a root file named only by digits ("1", "20") goes
  // before the others. Still the same bytes for the same content; `files` tells the true order.
  const mtime = fixedMtime();
  const input: Record<string, [Uint8Array, ZipOptions]> = {};
  entries.forEach((entry, i) => {
    const { data, executable } = contents[i];
    input[entry.path] = [
      data,
      {
        level: LEVEL,
        mtime,
        os: MADE_BY_UNIX,
        attrs: ((executable ? EXECUTABLE_MODE : FILE_MODE) << 16) >>> 0,
      },
    ];
  });
  const bytes = zipSync(input);
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    zip,
    sha256: createHash('sha256').update(zip).digest('hex'),
    files: Object.keys(input),
  };
}

async function realFolder(dir: string): Promise<string> {
  let stats: Awaited<ReturnType<typeof stat>>;
  try {
    stats = await stat(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CodeFolderError(`Function folder ${dir} does not exist.`);
    }
    throw error;
  }
  if (!stats.isDirectory()) throw new CodeFolderError(`Function folder ${dir} is not a folder.`);
  // Resolved, so that "inside the folder" holds for links even when dir is itself reached by one.
  return realpath(dir);
}

async function readIgnoreFile(path: string): Promise<string> {
  // Only a regular file at the root counts; a link there could name rules from anywhere.
  // (A leading BOM and CRLF line ends are handled by `ignore`, as git does.)
  return (await lstat(path).catch(() => undefined))?.isFile() ? readFile(path, 'utf8') : '';
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function walk(
  folder: string,
  prefix: string,
  root: string,
  leftOut: Ignore['ignores'],
  entries: Entry[],
): Promise<void> {
  const children: Dirent[] = await readdir(folder, { withFileTypes: true });
  for (const child of children) {
    const path = prefix + child.name;
    const absolute = join(folder, child.name);
    if (child.isDirectory()) {
      // Tested with the trailing slash, so that folder-only patterns (`logs/`) match.
      if (!leftOut(`${path}/`)) await walk(absolute, `${path}/`, root, leftOut, entries);
    } else if (child.isFile()) {
      if (!leftOut(path)) entries.push({ path, absolute });
    } else if (child.isSymbolicLink()) {
      if (!leftOut(path) && (await linksToFileInside(absolute, root))) {
        entries.push({ path, absolute });
      }
    }
    // Sockets, FIFOs and devices have no content to ship.
  }
}

async function linksToFileInside(link: string, root: string): Promise<boolean> {
  const target = await realpath(link).catch(() => undefined);
  if (target === undefined) return false;
  const fromRoot = relative(root, target);
  const outside = fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot);
  if (fromRoot === '' || outside) return false;
  return isFile(target);
}

async function readEntry(entry: Entry): Promise<{ data: Uint8Array; executable: boolean }> {
  // One handle for both, so the mode and the content are those of the same file.
  const handle = await open(entry.absolute, 'r');
  try {
    const { mode } = await handle.stat();
    return { data: await handle.readFile(), executable: (mode & 0o100) !== 0 };
  } finally {
    await handle.close();
  }
}
