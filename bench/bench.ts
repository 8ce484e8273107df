// `npm run bench`: times the committed dist/index.js (it builds nothing) against the floor of
// each case, on loopback against the stand-in server, floor and action interleaved run by run,
// and prints the medians and their ratio. Every run gets a stand-in of its own, so every run
// starts from an empty environment, and the bench fails unless floor and action made the same
// calls. See BENCHMARKS.md for the figures and what moves them.
//
//   npm run bench -- --runs 31 --warmups 2 --case load,one
//   npm run bench -- --action dist/index.js --action /tmp/variant/dist/index.js   (side by side)
//   npx -y -p node@24 -- npx tsx bench/bench.ts                                   (on Node 24)
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DIST, ROOT, type RunOptions, type RunResult, startAction } from '../stand-in/runner.js';
import { type Route, type StandIn, type StandInOptions, startStandIn } from '../stand-in/server.js';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    warmups: { type: 'string', default: '2' },
    case: { type: 'string', default: 'load,one,many,deploy' },
    action: { type: 'string', multiple: true, default: [DIST] },
  },
});
const RUNS = Number(options.runs);
const WARMUPS = Number(options.warmups);
const ACTIONS = options.action.map((path) => resolve(path));
const FLOOR_CREATE = join(ROOT, 'bench', 'floor-create.mjs');
const FLOOR_DEPLOY = join(ROOT, 'bench', 'floor-deploy.mjs');
const ENV = 'test-777bb9';
if (!(RUNS >= 1 && WARMUPS >= 0)) throw new Error('--runs must be 1 or more, --warmups 0 or more');
for (const action of ACTIONS) {
  if (!existsSync(action)) throw new Error(`${action} is missing: run \`npm run build\` first`);
}

/** One run: its time, and the calls the stand-in took, per route (`listfunctions 2, …`). */
interface Sample {
  ms: number;
  calls: string;
}

interface Case {
  name: string;
  what: string;
  /** The ratio to reach; none: measured, not judged. */
  target?: number;
  /** Each runs once, checks that it did its job, and answers its time and calls. */
  floor: () => Promise<Sample>;
  action: (script: string) => Promise<Sample>;
}

/** Runs a script as the runner runs the action, times it from spawn to exit, checks it. */
async function timed(run: RunOptions, check: (result: RunResult) => void): Promise<number> {
  const t0 = process.hrtime.bigint();
  const { child, done } = startAction(run);
  const exited = once(child, 'exit').then(() => process.hrtime.bigint());
  const [t1, result] = await Promise.all([exited, done]);
  check(result);
  return Number(t1 - t0) / 1e6;
}

/** A path as short as it can be said: relative inside the repository, absolute elsewhere. */
const short = (path: string) => (path.startsWith(ROOT) ? relative(ROOT, path) : path);

function fail(what: string, result: RunResult): never {
  const log = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-5).join('\n');
  throw new Error(`${what} (exit code ${result.code}):\n${log}`);
}

let serial = 0;
/** Names never used before, so that every run really creates its functions. */
const freshNames = (count: number) => Array.from({ length: count }, () => `bench${++serial}`);

const ROUTES: Route[] = [
  'stable_token',
  'listfunctions',
  'createfunction',
  'getcodesecret',
  'getuploadsignature',
  'scf',
];

/** The requests a stand-in took, per route, as `listfunctions 2, createfunction 1`. */
function callsOf(standIn: StandIn): string {
  const counts = ROUTES.map((route) => [route, standIn.calls(route).length] as const);
  const other = standIn.requests.length - counts.reduce((sum, [, n]) => sum + n, 0);
  return [...counts, ['other', other] as const]
    .filter(([, n]) => n > 0)
    .map(([route, n]) => `${route} ${n}`)
    .join(', ');
}

/**
 * Function folders for the `deploy` case, made once: `index.js`, `package.json` and four files of
 * 256 KiB of random bytes in base64, about 1.4 MB of text that zips to about 1 MB. `for` renames
 * them to a run's fresh names.
 */
class CodeDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'bench-code-'));
  #names: string[];

  constructor(count: number) {
    this.#names = Array.from({ length: count }, (_, i) => `folder${i}`);
    for (const name of this.#names) {
      const folder = join(this.dir, name);
      mkdirSync(folder);
      writeFileSync(join(folder, 'index.js'), 'exports.main = async () => ({ ok: true });\n');
      writeFileSync(join(folder, 'package.json'), '{ "name": "bench", "version": "1.0.0" }\n');
      for (let i = 0; i < 4; i++) {
        writeFileSync(join(folder, `data-${i}.txt`), randomBytes(256 * 1024).toString('base64'));
      }
    }
  }

  /** The folder to pass as `code-dir`, its function folders named `names`. */
  for(names: string[]): string {
    for (const [i, name] of names.entries()) {
      renameSync(join(this.dir, this.#names[i]), join(this.dir, name));
    }
    this.#names = names;
    return this.dir;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const DEPLOY_FUNCTIONS = 10;
let code: CodeDir | undefined;
/** Sizes of the zips the stand-in took in the last `deploy` run, in bytes. */
let zipBytes: number[] = [];

/**
 * A run of the action (or of a floor script) that creates `count` new functions, and deploys
 * their code when `deploying`, against a stand-in of its own: an empty environment, as every run
 * finds it, and the calls of this run alone.
 */
async function creating(
  options: StandInOptions,
  count: number,
  script: string,
  isFloor: boolean,
  deploying = false,
): Promise<Sample> {
  const standIn = await startStandIn(options);
  try {
    const names = freshNames(count);
    const inputs: Record<string, string> = {
      env: ENV,
      'function-name': names.join('\n'),
      'access-token': standIn.accessToken,
      'api-base-url': standIn.url,
      parallel: '4',
    };
    if (deploying) {
      code ??= new CodeDir(DEPLOY_FUNCTIONS);
      Object.assign(inputs, { 'code-dir': code.for(names), 'install-dependencies': 'true' });
    }
    const ms = await timed({ inputs, script }, (result) => {
      const made = new Set(standIn.functions(ENV));
      if (result.code !== 0 || !names.every((name) => made.has(name))) {
        fail(`${short(script)} did not create ${count} function(s)`, result);
      }
      if (deploying) {
        const deployed = names.every(
          (name) =>
            standIn.status(ENV, name) === 'Active' &&
            standIn.installDependency(ENV, name) === 'TRUE' &&
            standIn.code(ENV, name) !== undefined,
        );
        if (!deployed) fail(`${short(script)} did not deploy ${count} function(s)`, result);
        zipBytes = names.map((name) => standIn.code(ENV, name)?.length ?? 0);
      }
      if (isFloor) return;
      const results: { status: string; state: string | null; code: string | null }[] = JSON.parse(
        result.outputs.results ?? '[]',
      );
      const done = results.filter(
        (r) =>
          r.status === 'created' && r.state === 'Active' && (!deploying || r.code === 'deployed'),
      ).length;
      if (result.outputs.status !== 'created' || done !== count) {
        const what = deploying ? 'created, deployed and Active' : 'created and Active';
        fail(`the action's outputs are not status=created, ${count} ${what}`, result);
      }
    });
    return { ms, calls: callsOf(standIn) };
  } finally {
    await standIn.close();
  }
}

/** `node -e 0` or the failing action: no stand-in, no calls. */
const failing = (script: string, check: (result: RunResult) => void) =>
  timed({ inputs: {}, script }, check).then((ms) => ({ ms, calls: '' }));

const allCases: Case[] = [
  {
    name: 'load',
    what: 'the action failing on a missing input, vs node -e 0',
    target: 1.3,
    // `node -e 0`, started as runner.ts starts the action: same environment, same pipes.
    floor: () =>
      failing('--eval=0', (result) => {
        if (result.code !== 0) fail('node -e 0 failed', result);
      }),
    action: (script) =>
      failing(script, (result) => {
        if (result.code !== 1 || !result.stdout.includes('::error::')) {
          fail(`${short(script)} did not fail on the missing input`, result);
        }
      }),
  },
  {
    name: 'one',
    what: 'creating 1 function, vs bench/floor-create.mjs',
    target: 1.3,
    floor: () => creating({}, 1, FLOOR_CREATE, true),
    action: (script) => creating({}, 1, script, false),
  },
  {
    name: 'many',
    what: 'creating 40, parallel 4, 50 ms latency, vs bench/floor-create.mjs',
    target: 1.1,
    floor: () => creating({ latencyMs: 50 }, 40, FLOOR_CREATE, true),
    action: (script) => creating({ latencyMs: 50 }, 40, script, false),
  },
  {
    name: 'deploy',
    what: `creating ${DEPLOY_FUNCTIONS} and deploying ~1 MB of zip to each, parallel 4, 50 ms latency, vs bench/floor-deploy.mjs`,
    floor: () => creating({ latencyMs: 50 }, DEPLOY_FUNCTIONS, FLOOR_DEPLOY, true, true),
    action: (script) => creating({ latencyMs: 50 }, DEPLOY_FUNCTIONS, script, false, true),
  },
];
const cases = allCases.filter((c) => options.case.split(',').includes(c.name));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

console.log(
  `Node ${process.version} (${platform()} ${arch()}); ${RUNS} runs each after ${WARMUPS} ` +
    'warm-ups, floor and action(s) interleaved; times from spawn to exit.',
);
for (const action of ACTIONS) {
  const dist = dirname(action);
  const files = readdirSync(dist).filter((file) => /\.c?js$/.test(file));
  const total = files.reduce((sum, file) => sum + statSync(join(dist, file)).size, 0);
  console.log(
    `${short(action)}: ${kib(statSync(action).size)}; ` +
      `${short(dist)}/*.js: ${kib(total)} (${files.length} files)`,
  );
}
for (const c of cases) console.log(`${c.name}: ${c.what}`);

const rows = [['case', 'action', 'action ms', 'floor ms', 'ratio', 'target', '']];
const calls: string[] = [];
try {
  for (const c of cases) {
    const floor: number[] = [];
    const times = ACTIONS.map(() => [] as number[]);
    for (let i = 0; i < WARMUPS + RUNS; i++) {
      const f = await c.floor();
      if (i >= WARMUPS) floor.push(f.ms);
      for (const [k, action] of ACTIONS.entries()) {
        const a = await c.action(action);
        if (i >= WARMUPS) times[k].push(a.ms);
        // Like with like: the floor makes the calls the action makes, no fewer and no more.
        if (a.calls !== f.calls) {
          throw new Error(
            `${c.name}: ${short(action)} made other calls than its floor\n` +
              `  action: ${a.calls}\n  floor:  ${f.calls}`,
          );
        }
      }
      if (i === 0 && f.calls) calls.push(`${c.name}: ${f.calls}`);
    }
    for (const [k, action] of ACTIONS.entries()) {
      const [a, f] = [median(times[k]), median(floor)];
      const ratio = (a / f).toFixed(2); // judged as printed: 1.304 is 1.30, a pass
      const verdict = c.target === undefined ? '' : Number(ratio) <= c.target ? 'pass' : 'miss';
      const target = c.target === undefined ? '-' : `≤ ${c.target}`;
      rows.push([c.name, short(action), a.toFixed(1), f.toFixed(1), ratio, target, verdict]);
    }
  }
} finally {
  code?.remove();
}
console.log();
if (calls.length > 0) console.log('Calls per run, the same for floor and action:');
for (const line of calls) console.log(`  ${line}`);
if (zipBytes.length > 0) {
  const mean = zipBytes.reduce((sum, n) => sum + n, 0) / zipBytes.length;
  console.log(`  deploy: zips of ${kib(mean)} on average`);
}
console.log();
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
for (const row of rows) {
  console.log(
    row.map((cell, i) => (i > 1 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  '),
  );
}
