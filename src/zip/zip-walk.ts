// Walks a function's folder and says what goes into its zip: the files, the paths they take
// there, and their sizes, before anything is read. The rules are stated in code-zip.ts.
import { isUtf8 } from 'node:buffer';
import {
  type Dirent,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  type Stats,
  statSync,
} from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import ignore from 'ignore';
import { headerBytes } from './zip-container.js';
import { Refusal, shown } from './zip-refusal.js';

export const IGNORE_FILE = '.wechatignore';

const ALWAYS_LEFT_OUT = [
  '.DS_Store',
  '.vscode/',
  '.idea/',
  '*.swp',
  '*~',
  'Thumbs.db',
  'desktop.ini',
];

/**
 * Is this name git's own folder? Any case, as git reads it on case-insensitive systems and
 * refuses it as a tracked path on all (verify_path).
 */
const isGit = (name: string) => name.toLowerCase() === '.git';

// More `**` segments than this in one line of `.wechatignore` are refused: the `ignore` package
// matches a pattern by backtracking, in time that grows as the folder depth to the power of the
// count: four took 2 s against a folder 100 deep, ten took 15 s against one 36 deep. None of
// GitHub's gitignore templates has more than two in a line.
const MAX_GLOBSTARS = 3;

interface FolderFile {
  /** Its path in the zip: posix, relative to the folder. */
  path: string;
  /** `path` as UTF-8. */
  name: Buffer;
  /** Where to read it: a real, absolute path (a link's target for a link). */
  real: string;
  size: number;
}

interface WalkOptions {
  installDependencies: boolean;
  /** The walk stops once the files' headers alone would pass this. */
  maxZipBytes: number;
  /** Says why the zip cannot fit, when the walk stops for that. */
  tooLarge: (files: number) => Refusal;
  /** Hears of each file that goes in, by its size, as soon as it is found. */
  onFile: (size: number) => void;
}

/** The repository's real path. */
export function realRoot(root: string): string {
  try {
    return realpathSync.native(root);
  } catch (error) {
    throw new Refusal(`the repository ${root} cannot be resolved (${codeOf(error)})`);
  }
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
  const bounds = [root, folder];

  const fixed = ignore({ ignorecase: false }).add(ALWAYS_LEFT_OUT).add(`/${IGNORE_FILE}`);
  if (options.installDependencies) fixed.add('node_modules/');
  const own = ignore({ ignorecase: false }).add(readIgnoreFile(folder, bounds));
  const leftOut = (path: string) => fixed.ignores(path) || own.ignores(path);

  const files: FolderFile[] = [];
  let floor = 0;
  const add = (path: string, real: string, size: number) => {
    const name = Buffer.from(path);
    files.push({ path, name, real, size });
    options.onFile(size);
    floor += headerBytes(name.length);
    if (floor > options.maxZipBytes) throw options.tooLarge(files.length);
  };

  // Folders to walk, the last first, each with the real paths of the folders from the function
  // folder down to it: a link to one of those is a loop, a link to any other folder is not.
  const folders = [{ real: folder, prefix: '', stack: [folder] }];
  for (let walked = 0; folders.length > 0; walked++) {
    const { real, prefix, stack } = folders.pop() as (typeof folders)[number];
    // Synchronous calls, many times faster than a promise each; the event loop gets a turn now
    // and then all the same.
    if (walked % 64 === 63) await new Promise(setImmediate);
    let children: Dirent<Buffer>[];
    try {
      children = readdirSync(real, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      throw new Refusal(`${prefix || 'the folder'} cannot be read (${codeOf(error)})`);
    }
    // In byte order, files then folders, so that the first failure is always the same one.
    children.sort((a, b) => Buffer.compare(a.name, b.name));
    const subfolders: typeof folders = [];
    for (const child of children) {
      const name = child.name.toString('utf8');
      // `.git` in any form, folder, file (a submodule's) or link, is never uploaded.
      if (isGit(name)) continue;
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
        subfolders.push({ real: folderPath, prefix: `${path}/`, stack: [...stack, folderPath] });
      } else if (child.isFile()) {
        if (leftOut(path)) continue;
        const file = valid();
        add(path, file, sizeOf(file, path));
      } else if (child.isSymbolicLink()) {
        // A pattern that names the path leaves it out, whatever it leads to.
        if (leftOut(path)) continue;
        let target: { real: string; stats: Stats };
        try {
          target = follow(valid(), `the link ${path}`, bounds);
        } catch (error) {
          // One for folders only (`cache/`) may leave out a link that leads nowhere.
          if (leftOut(`${path}/`)) continue;
          throw error;
        }
        if (target.stats.isDirectory()) {
          if (leftOut(`${path}/`)) continue;
          if (stack.some((folderPath) => inside(target.real, folderPath))) {
            throw new Refusal(
              `the link ${path} leads to ${target.real}, a folder that holds the link: a loop`,
            );
          }
          subfolders.push({
            real: target.real,
            prefix: `${path}/`,
            stack: [...stack, target.real],
          });
        } else if (target.stats.isFile()) {
          add(path, target.real, target.stats.size);
        }
      }
      // Sockets, FIFOs and devices have no content to ship.
    }
    folders.push(...subfolders.reverse());
  }
  return files.sort((a, b) => Buffer.compare(a.name, b.name));
}

function sizeOf(file: string, path: string): number {
  try {
    return lstatSync(file).size;
  } catch (error) {
    throw new Refusal(`${path} cannot be read (${codeOf(error)})`);
  }
}

/** The function folder's real path; it may be a link, to a folder inside the repository. */
export function realFolder(dir: string, root: string): string {
  let stats: Stats;
  try {
    stats = lstatSync(dir);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new Refusal('does not exist', false);
    throw new Refusal(`it cannot be read (${code})`);
  }
  if (stats.isSymbolicLink()) {
    const target = follow(dir, 'it is a link that', [root]);
    if (!target.stats.isDirectory()) throw new Refusal('is not a folder', false);
    return target.real;
  }
  if (!stats.isDirectory()) throw new Refusal('is not a folder', false);
  return realpathSync.native(dir);
}

/**
 * The rules of the folder's own ignore file, which may be a link to a file but nothing else, and
 * none that would take the `ignore` package too long to match.
 */
function readIgnoreFile(folder: string, bounds: readonly string[]): string {
  let path = join(folder, IGNORE_FILE);
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return '';
    throw new Refusal(`${IGNORE_FILE} cannot be read (${codeOf(error)})`);
  }
  if (stats.isSymbolicLink()) {
    const target = follow(path, `the link ${IGNORE_FILE}`, bounds);
    if (!target.stats.isFile()) {
      throw new Refusal(`the link ${IGNORE_FILE} leads to ${target.real}, which is not a file`);
    }
    path = target.real;
  } else if (!stats.isFile()) {
    throw new Refusal(`${IGNORE_FILE} is not a file`);
  }
  let rules: string;
  try {
    // A leading BOM and CRLF line ends are handled by `ignore`, as git does.
    rules = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Refusal(`${IGNORE_FILE} cannot be read (${codeOf(error)})`);
  }
  rules
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((line, i) => {
      // A segment of two stars or more is what `ignore` matches as `**`; a comment has none.
      const globstars = line.startsWith('#')
        ? 0
        : line
            .replace(/^!/, '')
            .split('/')
            .filter((segment) => /^\*{2,}\s*$/.test(segment)).length;
      if (globstars > MAX_GLOBSTARS) {
        throw new Refusal(
          `line ${i + 1} of its ${IGNORE_FILE} has ${globstars} \`**\` segments, more than ` +
            `${MAX_GLOBSTARS}: the time to match it grows as the folders' depth to that power`,
        );
      }
    });
  return rules;
}

/**
 * Where a link leads: a real path that exists inside one of `bounds`, and in no `.git` folder
 * there. A link into `.git` fails rather than being left out: what it was meant to ship is
 * unclear, and the function would be deployed without it.
 * @param subject The link, as the messages name it: `the link lib/common`.
 * @param bounds Real paths of the folders it may lead into.
 */
function follow(
  link: string,
  subject: string,
  bounds: readonly string[],
): { real: string; stats: Stats } {
  let real: string;
  try {
    real = realpathSync.native(link);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ELOOP') throw new Refusal(`${subject} leads to itself through other links`);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      throw new Refusal(`${subject} cannot be followed (${code})`);
    }
    let written = '?';
    try {
      written = shown(readlinkSync(link, { encoding: 'buffer' }));
    } catch {}
    throw new Refusal(`${subject} leads to ${written}, which does not exist`);
  }
  const bound = bounds.find((folder) => inside(folder, real));
  if (bound === undefined) throw new Refusal(`${subject} leads to ${real}, outside the repository`);
  // actions/checkout keeps a token in .git/config: no link takes it, or anything there, along.
  if (relative(bound, real).split(sep).some(isGit)) {
    throw new Refusal(`${subject} leads to ${real}, inside a .git folder, which is never uploaded`);
  }
  try {
    return { real, stats: statSync(real) };
  } catch (error) {
    throw new Refusal(`${subject} cannot be followed (${codeOf(error)})`);
  }
}

/** Is `path` `folder` or inside it? Both real; never fooled by `..x` names or by case on Windows. */
function inside(folder: string, path: string): boolean {
  const fromFolder = relative(folder, path);
  return (
    fromFolder === '' ||
    (fromFolder !== '..' && !fromFolder.startsWith(`..${sep}`) && !isAbsolute(fromFolder))
  );
}

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);
