// `npm run bench`: times the committed dist/index.js against the floor of each case, floor and
// action interleaved run by run, and prints the medians and their ratio, the calls each made and
// the bundles' sizes. It builds the toolkit floor (bench/floor-toolkit.ts) into .bench/ with ncc
// first, untimed; it measures dist/ as it is: `npm run build` to measure the sources. It fails
// when a run does not do its job or does not make its floor's calls (see BENCHMARKS.md).
//
//   npm run bench -- --runs 31 --warmups 2 --case load,toolkit
//   npm run bench -- --action dist/index.js --action /tmp/variant/dist/index.js   (side by side)
//   npm run bench -- --runs 1 --warmups 0                                         (as CI runs it)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, cpus, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DIST, ROOT } from '../stand-in/runner.js';
import { actionCases, short } from './action-cases.js';
import type { Case, Sample, Side } from './case.js';
import { packageFolder, timeOne, ZIPPERS } from './zip.js';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    warmups: { type: 'string', default: '2' },
    case: { type: 'string', default: 'load,toolkit,one,many,deploy,zip' },
    action: { type: 'string', multiple: true, default: [DIST] },
  },
});
const RUNS = Number(options.runs);
const WARMUPS = Number(options.warmups);
const ACTIONS = options.action.map((path) => resolve(path));
const CASES = options.case.split(',');
const TOOLKIT_DIR = join(ROOT, '.bench', 'toolkit');

/** Ends the bench with a message and exit code 1, without a stack: what failed is the run. */
function stop(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}

if (!(RUNS >= 1 && WARMUPS >= 0)) stop('--runs must be 1 or more, --warmups 0 or more');
for (const action of ACTIONS) {
  if (!existsSync(action)) {
    stop(`${short(action)} is missing: build it with \`npm run build\`, then run the bench again`);
  }
}

/** Bundles the toolkit floor as `npm run build` bundles the action, source maps aside. */
function buildToolkitFloor(): void {
  rmSync(TOOLKIT_DIR, { recursive: true, force: true });
  const ncc = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js');
  const start = Date.now();
  const built = spawnSync(
    process.execPath,
    [
      ncc,
      'build',
      'bench/floor-toolkit.ts',
      '-o',
      TOOLKIT_DIR,
      '--minify',
      '--no-cache',
      '--quiet',
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (built.status !== 0) stop(`ncc could not build bench/floor-toolkit.ts:\n${built.stderr}`);
  const minified = spawnSync(process.execPath, ['scripts/minify-chunks.mjs', TOOLKIT_DIR], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (minified.status !== 0)
    stop(`terser could not minify ${short(TOOLKIT_DIR)}/:\n${minified.stderr}`);
  const seconds = ((Date.now() - start) / 1000).toFixed(1);
  console.log(`Built ${short(TOOLKIT_DIR)}/ with ncc in ${seconds} s (not timed).`);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** The JavaScript files of a bundle's folder, largest first, and their sum. */
function sizes(dir: string): string {
  const files = readdirSync(dir)
    .filter((file) => /\.c?js$/.test(file))
    .map((file) => [file, statSync(join(dir, file)).size] as const)
    .sort((a, b) => b[1] - a[1]);
  const total = files.reduce((sum, [, size]) => sum + size, 0);
  const each = files.map(([file, size]) => `${file} ${kib(size)}`).join(', ');
  return `${short(dir)}/*.js: ${kib(total)} (${each})`;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/**
 * Like with like: every route but listfunctions sees the floor's requests exactly; lists depend
 * on when each function's wait begins, and may only exceed the floor's by the case's allowance.
 */
function checkCalls(c: Case, side: Side, floor: Sample, run: Sample): void {
  if (c.extraLists === undefined) return;
  if (!floor.calls || !run.calls) throw new Error(`${c.name}: a run did not count its calls`);
  const routes = new Set([...floor.calls.perRoute.keys(), ...run.calls.perRoute.keys()]);
  routes.delete('listfunctions');
  const count = (sample: Sample, route: string) => sample.calls?.perRoute.get(route) ?? 0;
  const differ = [...routes].filter((route) => count(floor, route) !== count(run, route));
  const most = floor.calls.lists + c.extraLists;
  if (differ.length > 0 || run.calls.lists > most) {
    const say = (sample: Sample) =>
      `${[...routes].map((route) => `${route} ${count(sample, route)}`).join(', ')}; ` +
      `${sample.calls?.lists} lists`;
    throw new Error(
      `${c.name}: ${side.name} did not make its floor's calls (lists: at most ${most})\n` +
        `  ${side.name}: ${say(run)}\n  floor: ${say(floor)}`,
    );
  }
}

/** What a case measured: per side, the times and the lists of every run. */
interface Measured {
  floor: number[];
  floorLists: number[];
  sides: { times: number[]; lists: number[] }[];
  /** The floor's requests to every route but listfunctions, as `createfunction 40, …`. */
  routes: string;
}

async function measure(c: Case): Promise<Measured> {
  const m: Measured = {
    floor: [],
    floorLists: [],
    sides: c.sides.map(() => ({ times: [], lists: [] })),
    routes: '',
  };
  for (let i = 0; i < WARMUPS + RUNS; i++) {
    const floor = await c.floor.run();
    if (i >= WARMUPS) m.floor.push(floor.ms);
    if (floor.calls) {
      m.floorLists.push(floor.calls.lists);
      m.routes = [...floor.calls.perRoute]
        .filter(([route]) => route !== 'listfunctions')
        .map(([route, n]) => `${route} ${n}`)
        .join(', ');
    }
    for (const [k, side] of c.sides.entries()) {
      const run = await side.run();
      checkCalls(c, side, floor, run);
      if (i >= WARMUPS) m.sides[k].times.push(run.ms);
      if (run.calls) m.sides[k].lists.push(run.calls.lists);
    }
  }
  return m;
}

/**
 * The zippers of bench/zip.ts on one folder of real package code (~400 files, ~8 MiB), each run a
 * process of its own: the floor is archiver on Node's zlib, the zipper of CloudBase's CLI, which
 * ours must at least match; the others are shown beside it.
 */
function zipCase(): { case: Case; close: () => void } {
  let folder: string | undefined;
  const side = (index: number): Side => ({
    name: ZIPPERS[index].name,
    ...(ZIPPERS[index].key === 'ours' ? { target: 1 } : {}),
    run: async () => {
      folder ??= packageFolder();
      return { ms: timeOne(index, folder).ms };
    },
  });
  const archiver = ZIPPERS.findIndex((zipper) => zipper.key === 'archiver');
  const others = ZIPPERS.map((_, i) => i).filter((i) => i !== archiver);
  return {
    case: {
      name: 'zip',
      what: 'zipping ~400 files, ~8 MiB of real package code, in a process of its own, vs archiver',
      floor: side(archiver),
      sides: others.map(side),
    },
    close: () => {
      if (folder) rmSync(folder, { recursive: true, force: true });
    },
  };
}

const range = (xs: number[]) => {
  const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
  return lo === hi ? `${lo}` : `${lo}-${hi}`;
};

const actions = actionCases(ACTIONS, join(TOOLKIT_DIR, 'index.js'));
const zip = zipCase();
const allCases = [...actions.cases, zip.case];
const close = () => {
  actions.close();
  zip.close();
};
const cases = allCases.filter((c) => CASES.includes(c.name));
const unknown = CASES.filter((name) => !allCases.some((c) => c.name === name));
if (unknown.length > 0) stop(`no case named ${unknown.join(', ')}`);
const withToolkit = CASES.includes('toolkit');
if (withToolkit) buildToolkitFloor();

const cpu = cpus();
console.log(
  `Node ${process.version} (${platform()} ${arch()}, ${cpu.length} × ${cpu[0]?.model.trim()}); ` +
    `${RUNS} runs each after ${WARMUPS} warm-ups, floor and sides interleaved; times from spawn to exit.`,
);
for (const dir of new Set(ACTIONS.map((action) => dirname(action)))) console.log(sizes(dir));
if (withToolkit) console.log(sizes(TOOLKIT_DIR));
for (const c of cases) console.log(`${c.name}: ${c.what}`);

const rows = [['case', 'side', 'side ms', 'floor ms', 'ratio', 'target', '']];
const calls: string[] = [];
let failure: string | undefined;
try {
  for (const c of cases) {
    const m = await measure(c);
    if (c.extraLists !== undefined) {
      const lists = c.sides.map((side, k) => `${side.name} ${range(m.sides[k].lists)}`);
      calls.push(
        `${c.name}: ${m.routes}; lists: floor ${range(m.floorLists)}, ${lists.join(', ')} ` +
          `(at most ${c.extraLists} more than the floor)`,
      );
    }
    for (const [k, side] of c.sides.entries()) {
      const [s, f] = [median(m.sides[k].times), median(m.floor)];
      const ratio = (s / f).toFixed(2); // judged as printed: 1.054 is 1.05, a pass
      const goal = side.target ?? c.target;
      const verdict = goal === undefined ? '' : Number(ratio) <= goal ? 'pass' : 'miss';
      const target = goal === undefined ? '-' : `≤ ${goal}`;
      rows.push([c.name, side.name, s.toFixed(1), f.toFixed(1), ratio, target, verdict]);
    }
  }
} catch (error) {
  failure = error instanceof Error ? error.message : String(error);
} finally {
  close();
}
if (failure) stop(failure);
console.log();
if (calls.length > 0) {
  console.log('Calls per run, every route but listfunctions the same for floor and sides:');
  for (const line of calls) console.log(`  ${line}`);
  console.log();
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
for (const row of rows) {
  console.log(
    row.map((cell, i) => (i > 1 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  '),
  );
}
