// Walks a function's folder and says what goes into its zip: the files, the paths they take
// there, and their sizes, before anything is read. The rules are stated in code-zip.ts.
import { isUtf8 } from 'node:buffer';
import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import ignore from 'ignore';
import { mapLimit } from './map-limit.js';
import { headerBytes } from './zip-container.js';
import { Refusal, shown } from './zip-refusal.js';

export const IGNORE_FILE = '.wechatignore';

export const ALWAYS_LEFT_OUT = [
  '.git/',
  '.DS_Store',
  '.vscode/',
  '.idea/',
  '*.swp',
  '*~',
  'Thumbs.db',
  'desktop.ini',
];

// Enough stats in flight to keep the disk busy.
const STAT_CONCURRENCY = 32;

export interface FolderFile {
  /** Its path in the zip: posix, relative to the folder. */
  path: string;
  /** `path` as UTF-8. */
  name: Buffer;
  /** Where to read it: a real, absolute path (a link's target for a link). */
  real: string;
  size: number;
}

export interface WalkOptions {
  installDependencies: boolean;
  /** The walk stops once the files' headers alone would pass this. */
  maxZipBytes: number;
  /** Says why the zip cannot fit, when the walk stops for that. */
  tooLarge: (files: number) => Refusal;
}

/** The repository's real path. */
export function realRoot(root: string): Promise<string> {
  return realpath(root).catch((error: unknown) => {
    throw new Refusal(`the repository ${root} cannot be resolved (${codeOf(error)})`);
  });
}

/**
 * The files of a function folder, in byte order of their paths.
 * @param folder The folder's real path (realFolder).
 * @param root The repository's real path: links may lead anywhere inside it, or the folder.
 */
export async function walkFolder(
  folder: string,
  root: string,
  options: WalkOptions,
): Promise<FolderFile[]> {
  const confined = (target: string) => inside(root, target) || inside(folder, target);

  const fixed = ignore({ ignorecase: false }).add(ALWAYS_LEFT_OUT).add(`/${IGNORE_FILE}`);
  if (options.installDependencies) fixed.add('node_modules/');
  const own = ignore({ ignorecase: false }).add(await readIgnoreFile(folder, confined));
  const leftOut = (path: string) => fixed.ignores(path) || own.ignores(path);

  const found: (FolderFile & { unsized?: boolean })[] = [];
  let floor = 0;
  const add = (path: string, real: string, size?: number) => {
    const name = Buffer.from(path);
    found.push({ path, name, real, size: size ?? 0, unsized: size === undefined });
    floor += headerBytes(name.length);
    if (floor > options.maxZipBytes) throw options.tooLarge(found.length);
  };

  // `stack`: the real paths of the folders from the function folder down to `real`, to tell a
  // link to one of them (a loop) from a link to any other folder.
  const walk = async (real: string, prefix: string, stack: string[]): Promise<void> => {
    let children: Dirent<Buffer>[];
    try {
      children = await readdir(real, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      throw new Refusal(`${prefix || 'the folder'} cannot be read (${codeOf(error)})`);
    }
    children.sort((a, b) => Buffer.compare(a.name, b.name));
    for (const child of children) {
      const name = child.name.toString('utf8');
      const path = prefix + name;
      const valid = () => {
        if (!isUtf8(child.name)) {
          throw new Refusal(
            `the name of ${prefix}${shown(child.name)} is not valid UTF-8, as names in a zip must be`,
          );
        }
        return join(real, name);
      };
      if (child.isDirectory()) {
        if (leftOut(`${path}/`)) continue;
        const folderPath = valid();
        await walk(folderPath, `${path}/`, [...stack, folderPath]);
      } else if (child.isFile()) {
        if (!leftOut(path)) add(path, valid());
      } else if (child.isSymbolicLink()) {
        // A pattern that names the path leaves it out, whatever it leads to.
        if (leftOut(path)) continue;
        const link = valid();
        const target = await follow(link, `the link ${path}`, confined).catch((error: unknown) => {
          // One for folders only (`cache/`) may leave out a link that leads nowhere.
          if (leftOut(`${path}/`)) return undefined;
          throw error;
        });
        if (target === undefined) continue;
        if (target.stats.isDirectory()) {
          if (leftOut(`${path}/`)) continue;
          if (stack.some((folderPath) => inside(target.real, folderPath))) {
            throw new Refusal(
              `the link ${path} leads to ${target.real}, a folder that holds the link: a loop`,
            );
          }
          await walk(target.real, `${path}/`, [...stack, target.real]);
        } else if (target.stats.isFile()) {
          add(path, target.real, target.stats.size);
        }
      }
      // Sockets, FIFOs and devices have no content to ship.
    }
  };
  await walk(folder, '', [folder]);

  const sizes = await mapLimit(found, STAT_CONCURRENCY, async (file) =>
    file.unsized ? stat(file.real).catch((error: unknown) => error as Error) : undefined,
  );
  const files: FolderFile[] = found.map(({ path, name, real, size }, i) => {
    const stats = sizes[i];
    if (stats instanceof Error) throw new Refusal(`${path} cannot be read (${codeOf(stats)})`);
    if (stats && !stats.isFile()) throw new Refusal(`${path} changed while it was zipped`);
    return { path, name, real, size: stats ? stats.size : size };
  });
  return files.sort((a, b) => Buffer.compare(a.name, b.name));
}

/** The function folder's real path; it may be a link, to a folder inside the repository. */
export async function realFolder(dir: string, root: string): Promise<string> {
  let stats: Stats;
  try {
    stats = await lstat(dir);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new Refusal('does not exist', false);
    throw new Refusal(`it cannot be read (${code})`);
  }
  if (stats.isSymbolicLink()) {
    const target = await follow(dir, 'it is a link that', (real) => inside(root, real));
    if (!target.stats.isDirectory()) throw new Refusal('is not a folder', false);
    return target.real;
  }
  if (!stats.isDirectory()) throw new Refusal('is not a folder', false);
  return realpath(dir);
}

/** The rules of the folder's own ignore file, which may be a link to a file but nothing else. */
async function readIgnoreFile(
  folder: string,
  confined: (real: string) => boolean,
): Promise<string> {
  let path = join(folder, IGNORE_FILE);
  const stats = await lstat(path).catch((error: unknown) => {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw new Refusal(`${IGNORE_FILE} cannot be read (${codeOf(error)})`);
  });
  if (stats === undefined) return '';
  if (stats.isSymbolicLink()) {
    const target = await follow(path, `the link ${IGNORE_FILE}`, confined);
    if (!target.stats.isFile()) {
      throw new Refusal(`the link ${IGNORE_FILE} leads to ${target.real}, which is not a file`);
    }
    path = target.real;
  } else if (!stats.isFile()) {
    throw new Refusal(`${IGNORE_FILE} is not a file`);
  }
  // A leading BOM and CRLF line ends are handled by `ignore`, as git does.
  return readFile(path, 'utf8').catch((error: unknown) => {
    throw new Refusal(`${IGNORE_FILE} cannot be read (${codeOf(error)})`);
  });
}

/**
 * Where a link leads: a real path inside what `confined` allows, that exists.
 * @param subject The link, as the messages name it: `the link lib/common`.
 */
async function follow(
  link: string,
  subject: string,
  confined: (real: string) => boolean,
): Promise<{ real: string; stats: Stats }> {
  let real: string;
  try {
    real = await realpath(link);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ELOOP') throw new Refusal(`${subject} leads to itself through other links`);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      throw new Refusal(`${subject} cannot be followed (${code})`);
    }
    const written = await readlink(link, { encoding: 'buffer' }).then(shown, () => '?');
    throw new Refusal(`${subject} leads to ${written}, which does not exist`);
  }
  if (!confined(real)) throw new Refusal(`${subject} leads to ${real}, outside the repository`);
  const stats = await stat(real).catch((error: unknown) => {
    throw new Refusal(`${subject} cannot be followed (${codeOf(error)})`);
  });
  return { real, stats };
}

/** Is `path` `folder` or inside it? Both real; never fooled by `..x` names or by case on Windows. */
export function inside(folder: string, path: string): boolean {
  const fromFolder = relative(folder, path);
  return (
    fromFolder === '' ||
    (fromFolder !== '..' && !fromFolder.startsWith(`..${sep}`) && !isAbsolute(fromFolder))
  );
}

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);
