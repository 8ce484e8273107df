// Which files are executable, as git records them: mode 100755 in the index of the work tree
// that holds the file. Never the file system's mode bits: Windows has none, and umask and
// checkouts differ, while the index is the same wherever the commit is checked out.
// A file in no work tree, or not in the index, is not executable.
//
// The work tree is found as git finds it (the nearest `.git` above, a folder, or a file naming
// one: a linked work tree, a submodule), and its index read here (zip-git-index.ts), trusting
// nothing of the repository: git refuses a repository that another user owns (`safe.directory`,
// as in a container job), and what it refuses would be zipped with other modes and another hash.
// Git itself is asked only for an index read here cannot (split, sparse); when it fails too,
// a warning says so and names the fix.
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { readIndex } from './zip-git-index.js';

interface WorkTree {
  top: string;
  /** Paths relative to `top`, posix, of the files recorded as executable. */
  executables: Set<string>;
  /** Paths of the submodules: their files are in their own index. */
  submodules: string[];
  /** Why the modes are unknown, when they are: every file is taken as not executable. */
  warning?: string;
}

/** Lists of an index, by work tree, kept while the index file is unchanged. */
const listed = new Map<string, { stamp: string; tree: Promise<WorkTree> }>();

/** Where a work tree, or no work tree, holds every file: a folder, and what holds it. */
interface Region {
  folder: string;
  tree: WorkTree | undefined;
}

/**
 * The modes of the files of one function folder. The index is read once for the folder, at once,
 * while the files are deflated; and once more only for a file that a link takes out of every
 * work tree found so far.
 */
export class GitModes {
  readonly #regions: Promise<Region>[];

  /** @param folder The function folder's real path. */
  constructor(folder: string) {
    this.#regions = [regionOf(folder)];
  }

  /**
   * For each file (a real, absolute path): is it executable? And why the modes of some could not
   * be known, once for each work tree.
   */
  async executables(
    files: readonly string[],
  ): Promise<{ executable: boolean[]; warnings: string[] }> {
    const regions = await Promise.all(this.#regions);
    const executable: boolean[] = [];
    const warnings = new Set<string>();
    for (const file of files) {
      let region = regions.find((r) => posixWithin(r.folder, file) !== undefined);
      if (!region) {
        region = await regionOf(dirname(file));
        regions.push(region);
      }
      executable.push(await isExecutable(region.tree, file, warnings));
    }
    return { executable, warnings: [...warnings] };
  }
}

async function isExecutable(
  tree: WorkTree | undefined,
  file: string,
  warnings: Set<string>,
): Promise<boolean> {
  while (tree) {
    const path = posixWithin(tree.top, file);
    if (path === undefined) return false;
    if (tree.warning) warnings.add(tree.warning);
    const submodule = tree.submodules.find((sub) => path.startsWith(`${sub}/`));
    if (submodule === undefined) return tree.executables.has(path);
    const inner = (await regionOf(resolve(tree.top, submodule))).tree;
    // A submodule not checked out answers for the work tree around it: no index of its own.
    tree = inner?.top === tree.top ? undefined : inner;
  }
  return false;
}

async function regionOf(folder: string): Promise<Region> {
  const found = await workTreeOf(folder);
  if (found === undefined) return { folder, tree: undefined };
  const { top, index } = found;
  const stats = await stat(index).catch(() => undefined);
  const stamp = stats ? `${index} ${stats.ino} ${stats.size} ${stats.mtimeMs}` : index;
  let known = listed.get(top);
  if (known?.stamp !== stamp) {
    known = { stamp, tree: listIndex(top, index) };
    listed.set(top, known);
  }
  return { folder: top, tree: await known.tree };
}

/** The work tree that holds `folder` (a real path) and its index, as git would find them. */
async function workTreeOf(folder: string): Promise<{ top: string; index: string } | undefined> {
  for (let dir = folder; ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    const stats = await stat(dotGit).catch(() => undefined);
    let gitDir: string | undefined;
    if (stats?.isDirectory()) gitDir = dotGit;
    else if (stats?.isFile()) {
      const named = /^gitdir: (.+)$/.exec((await readFile(dotGit, 'utf8').catch(() => '')).trim());
      if (named) gitDir = resolve(dir, named[1]);
    }
    // As for git, a `.git` without a HEAD is no repository: the search goes on above it.
    if (gitDir && (await stat(join(gitDir, 'HEAD')).catch(() => undefined))) {
      return { top: dir, index: join(gitDir, 'index') };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

async function listIndex(top: string, index: string): Promise<WorkTree> {
  let why: string;
  try {
    const read = readIndex(await readFile(index));
    if (!('unreadable' in read)) {
      return { top, executables: new Set(read.executables), submodules: read.submodules };
    }
    why = `its index ${read.unreadable}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Nothing was ever added.
    if (code === 'ENOENT') return { top, executables: new Set(), submodules: [] };
    why = `its index cannot be read (${code ?? error})`;
  }
  const tree: WorkTree = { top, executables: new Set(), submodules: [] };
  const list = await git(top, ['ls-files', '--stage', '-z']);
  if ('failed' in list) {
    tree.warning =
      `The modes of the files in ${top} are unknown: ${why}, and git cannot read it either ` +
      `(${list.failed}). Its files are zipped as 0644: executables lose +x, and code_sha256 ` +
      'differs from a run that knows the modes. If the repository belongs to another user, as ' +
      `in a container job, run \`git config --global --add safe.directory ${top}\` first.`;
    return tree;
  }
  // Each record: "<mode> <object> <stage>\t<path>\0".
  for (const record of list.stdout.toString('utf8').split('\0')) {
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

/** Git's stdout, or why it failed: its first line of error, or that it is missing. */
function git(cwd: string, args: string[]): Promise<{ stdout: Buffer } | { failed: string }> {
  return new Promise((done) => {
    execFile(
      'git',
      args,
      { cwd, encoding: 'buffer', maxBuffer: 1 << 30, windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) return done({ stdout });
        const line = stderr.toString('utf8').trim().split('\n')[0];
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        done({ failed: missing ? 'git is not installed' : line || error.message });
      },
    );
  });
}
