// `npm run bench`: times the committed dist/index.js (it builds nothing) against the floor of
// each case, on loopback against the stand-in server, floor and action interleaved run by run,
// and prints the medians and their ratio. See BENCHMARKS.md for the figures and what moves them.
//
//   npm run bench -- --runs 31 --warmups 2 --case load,one
//   npm run bench -- --action dist/index.js --action /tmp/variant/dist/index.js   (side by side)
//   npx -y -p node@24 -- npx tsx bench/bench.ts                                   (on Node 24)
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DIST, ROOT, type RunOptions, type RunResult, startAction } from '../stand-in/runner.js';
import { type StandIn, startStandIn } from '../stand-in/server.js';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    warmups: { type: 'string', default: '2' },
    case: { type: 'string', default: 'load,one,many' },
    action: { type: 'string', multiple: true, default: [DIST] },
  },
});
const RUNS = Number(options.runs);
const WARMUPS = Number(options.warmups);
const ACTIONS = options.action.map((path) => resolve(path));
const FLOOR_ONE = join(ROOT, 'bench', 'floor-one.mjs');
const FLOOR_MANY = join(ROOT, 'bench', 'floor-many.mjs');
const ENV = 'test-777bb9';
if (!(RUNS >= 1 && WARMUPS >= 0)) throw new Error('--runs must be 1 or more, --warmups 0 or more');
for (const action of ACTIONS) {
  if (!existsSync(action)) throw new Error(`${action} is missing: run \`npm run build\` first`);
}

interface Case {
  name: string;
  what: string;
  target: number;
  /** Each runs once, checks that it did its job, and answers its time in ms. */
  floor: () => Promise<number>;
  action: (script: string) => Promise<number>;
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

/** A run of the action (or of a floor script) that creates `count` new functions. */
function creating(standIn: StandIn, count: number, script: string, isFloor: boolean) {
  const names = freshNames(count);
  const inputs = {
    env: ENV,
    'function-name': names.join('\n'),
    'access-token': standIn.accessToken,
    'api-base-url': standIn.url,
    parallel: '4',
  };
  return timed({ inputs, script }, (result) => {
    const made = new Set(standIn.functions(ENV));
    if (result.code !== 0 || !names.every((name) => made.has(name))) {
      fail(`${short(script)} did not create ${count} function(s)`, result);
    }
    if (isFloor) return;
    const results: { status: string }[] = JSON.parse(result.outputs.results ?? '[]');
    const created = results.filter((r) => r.status === 'created').length;
    if (result.outputs.status !== 'created' || created !== count) {
      fail(`the action's outputs are not status=created for ${count}`, result);
    }
  });
}

const one = await startStandIn();
const many = await startStandIn({ latencyMs: 50 });
const allCases: Case[] = [
  {
    name: 'load',
    what: 'the action failing on a missing input, vs node -e 0',
    target: 1.3,
    // `node -e 0`, started as runner.ts starts the action: same environment, same pipes.
    floor: () =>
      timed({ inputs: {}, script: '--eval=0' }, (result) => {
        if (result.code !== 0) fail('node -e 0 failed', result);
      }),
    action: (script) =>
      timed({ inputs: {}, script }, (result) => {
        if (result.code !== 1 || !result.stdout.includes('::error::')) {
          fail(`${short(script)} did not fail on the missing input`, result);
        }
      }),
  },
  {
    name: 'one',
    what: 'creating 1 function, vs bench/floor-one.mjs',
    target: 1.3,
    floor: () => creating(one, 1, FLOOR_ONE, true),
    action: (script) => creating(one, 1, script, false),
  },
  {
    name: 'many',
    what: 'creating 40, parallel 4, 50 ms latency, vs bench/floor-many.mjs',
    target: 1.1,
    floor: () => creating(many, 40, FLOOR_MANY, true),
    action: (script) => creating(many, 40, script, false),
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
try {
  for (const c of cases) {
    const floor: number[] = [];
    const times = ACTIONS.map(() => [] as number[]);
    for (let i = 0; i < WARMUPS + RUNS; i++) {
      const ms = await c.floor();
      if (i >= WARMUPS) floor.push(ms);
      for (const [k, action] of ACTIONS.entries()) {
        const ms = await c.action(action);
        if (i >= WARMUPS) times[k].push(ms);
      }
    }
    for (const [k, action] of ACTIONS.entries()) {
      const [a, f] = [median(times[k]), median(floor)];
      const ratio = (a / f).toFixed(2); // judged as printed: 1.304 is 1.30, a pass
      const verdict = Number(ratio) <= c.target ? 'pass' : 'miss';
      const cells = [a.toFixed(1), f.toFixed(1), ratio, `≤ ${c.target}`, verdict];
      rows.push([c.name, short(action), ...cells]);
    }
  }
} finally {
  await Promise.all([one.close(), many.close()]);
}
console.log();
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
for (const row of rows) {
  console.log(
    row.map((cell, i) => (i > 1 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  '),
  );
}
