// Which files are executable, as git records them: mode 100755 in the index of the work tree
// that holds the file. Never the file system's mode bits: Windows has none, and umask and
// checkouts differ, while the index is the same wherever the commit is checked out.
// A file in no work tree, not in the index, or with git missing, is not executable.
import { execFile } from 'node:child_process';
import { realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

interface WorkTree {
  top: string;
  /** Paths relative to `top`, posix, of the files recorded as executable. */
  executables: Set<string>;
  /** Paths of the submodules: their files are in their own index. */
  submodules: string[];
}

/** Lists of an index, by work tree, kept while the index file is unchanged. */
const listed = new Map<string, { stamp: string; tree: Promise<WorkTree> }>();

/** Where a work tree, or no work tree, holds every file: a folder, and what holds it. */
interface Region {
  folder: string;
  tree: WorkTree | undefined;
}

/**
 * The modes of the files of one function folder. Git is asked once for the folder, at once, so
 * that it answers while the files are deflated; and once more only for a file that a link takes
 * out of every work tree found so far.
 */
export class GitModes {
  readonly #regions: Promise<Region>[];

  /** @param folder The function folder's real path. */
  constructor(folder: string) {
    this.#regions = [regionOf(folder)];
  }

  /** For each file (a real, absolute path): is it executable? */
  async executables(files: readonly string[]): Promise<boolean[]> {
    const regions = await Promise.all(this.#regions);
    const answers: boolean[] = [];
    for (const file of files) {
      let region = regions.find((r) => posixWithin(r.folder, file) !== undefined);
      if (!region) {
        region = await regionOf(dirname(file));
        regions.push(region);
      }
      answers.push(await isExecutable(region.tree, file));
    }
    return answers;
  }
}

async function isExecutable(tree: WorkTree | undefined, file: string): Promise<boolean> {
  while (tree) {
    const path = posixWithin(tree.top, file);
    if (path === undefined) return false;
    const submodule = tree.submodules.find((sub) => path.startsWith(`${sub}/`));
    if (submodule === undefined) return tree.executables.has(path);
    const inner = (await regionOf(resolve(tree.top, submodule))).tree;
    // A submodule not checked out answers for the work tree around it: no index of its own.
    tree = inner?.top === tree.top ? undefined : inner;
  }
  return false;
}

async function regionOf(folder: string): Promise<Region> {
  const found = await git(folder, ['rev-parse', '--show-toplevel', '--git-path', 'index']);
  if (found === undefined) return { folder, tree: undefined };
  const [top, index] = found.toString('utf8').split('\n');
  const indexPath = resolve(folder, index);
  const stats = await stat(indexPath).catch(() => undefined);
  const stamp = stats ? `${indexPath} ${stats.ino} ${stats.size} ${stats.mtimeMs}` : indexPath;
  // Real, as the files' paths are (Windows' short names, macOS's /var).
  const key = await realpath(top).catch(() => resolve(top));
  let known = listed.get(key);
  if (known?.stamp !== stamp) {
    known = { stamp, tree: listIndex(key) };
    listed.set(key, known);
  }
  return { folder: key, tree: await known.tree };
}

async function listIndex(top: string): Promise<WorkTree> {
  const tree: WorkTree = { top, executables: new Set(), submodules: [] };
  const list = await git(top, ['ls-files', '--stage', '-z']);
  // Each record: "<mode> <object> <stage>\t<path>\0".
  for (const record of list?.toString('utf8').split('\0') ?? []) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const mode = record.slice(0, 6);
    const path = record.slice(tab + 1);
    if (mode === '100755') tree.executables.add(path);
    else if (mode === '160000') tree.submodules.push(path);
  }
  return tree;
}

/** `file` relative to `top`, with forward slashes; undefined when outside it. */
function posixWithin(top: string, file: string): string | undefined {
  const path = relative(top, file);
  if (path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path)) return undefined;
  return path.split(sep).join('/');
}

/** Git's stdout, or undefined when git is missing or fails (not a work tree, say). */
function git(cwd: string, args: string[]): Promise<Buffer | undefined> {
  return new Promise((done) => {
    execFile(
      'git',
      args,
      { cwd, encoding: 'buffer', maxBuffer: 1 << 30, windowsHide: true },
      (error, stdout) => done(error ? undefined : stdout),
    );
  });
}
