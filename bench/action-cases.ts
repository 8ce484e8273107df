// The cases that run a bundle of the action as the runner does (stand-in/runner.ts), each against
// its floor, every run checked. A run that calls the API gets a stand-in of its own: it finds an
// empty environment, and the stand-in's requests are that run's alone.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT, type RunOptions, type RunResult, startAction } from '../stand-in/runner.js';
import { type StandIn, type StandInOptions, startStandIn } from '../stand-in/server.js';
import type { Calls, Case, Sample, Side } from './case.js';

const ENV = 'test-777bb9';
const PARALLEL = 4;
/** The stand-in settles at once: with the default pause of 1 s, `deploy` would mostly time it. */
const RETRY_DELAY_MS = 100;
const MANY_FUNCTIONS = 40;
const DEPLOY_FUNCTIONS = 10;
const FLOOR_CREATE = join(ROOT, 'bench', 'floor-create.mjs');
const FLOOR_DEPLOY = join(ROOT, 'bench', 'floor-deploy.mjs');

/** A path as short as it can be said: relative inside the repository, absolute elsewhere. */
export const short = (path: string) => (path.startsWith(ROOT) ? relative(ROOT, path) : path);

/** A run that lasts this long is stuck: it is ended, and the bench fails. */
const RUN_LIMIT_MS = 60_000;

/** Runs a script as the runner runs the action, times it from spawn to exit, checks it. */
async function timed(run: RunOptions, check: (result: RunResult) => void): Promise<number> {
  const t0 = process.hrtime.bigint();
  const { child, done } = startAction(run);
  const limit = setTimeout(() => child.kill(), RUN_LIMIT_MS);
  const exited = once(child, 'exit').then(() => process.hrtime.bigint());
  const [t1, result] = await Promise.all([exited, done]);
  clearTimeout(limit);
  const script = short(run.script ?? '');
  if (result.signal) fail(`${script} did not end within ${RUN_LIMIT_MS / 1000} s`, result);
  check(result);
  return Number(t1 - t0) / 1e6;
}

function fail(what: string, result: RunResult): never {
  const log = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-5).join('\n');
  throw new Error(`${what} (exit code ${result.code}):\n${log}`);
}

/** The requests a stand-in took, per route; a list is a request for the page at offset 0. */
function callsOf(standIn: StandIn): Calls {
  const perRoute = new Map<string, number>();
  for (const { route } of standIn.requests) perRoute.set(route, (perRoute.get(route) ?? 0) + 1);
  const lists = standIn
    .calls('listfunctions')
    .filter((request) => (request.body as { offset?: unknown }).offset === 0).length;
  return { perRoute, lists };
}

let serial = 0;
/** Names never used before, so that every run really creates its functions. */
const freshNames = (count: number) => Array.from({ length: count }, () => `bench${++serial}`);

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

/** The action's cases, for the bundles `actions`; `close` removes what they made. */
export function actionCases(
  actions: readonly string[],
  toolkitFloor: string,
): { cases: Case[]; close: () => void } {
  let code: CodeDir | undefined;

  /**
   * A run of a bundle or a floor script that creates `count` new functions, and deploys their
   * code when `deploying`, against a stand-in of its own.
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
        parallel: String(PARALLEL),
        'retry-delay-ms': String(RETRY_DELAY_MS),
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
        const deployed = names.every(
          (name) =>
            standIn.status(ENV, name) === 'Active' &&
            (!deploying ||
              (standIn.installDependency(ENV, name) === 'TRUE' &&
                standIn.code(ENV, name) !== undefined)),
        );
        if (!deployed) fail(`${short(script)} did not deploy ${count} function(s)`, result);
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

  /** A run with no inputs but action.yml's defaults: the action fails on the first it needs. */
  const failing = (script: string): Side => ({
    name: short(script),
    run: async () => ({
      ms: await timed({ inputs: {}, script }, (result) => {
        const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error::'));
        if (result.code !== 1 || errors.length !== 1 || result.outputs.status !== 'failed') {
          fail(`${short(script)} did not fail on the missing input with one ::error::`, result);
        }
      }),
    }),
  });
  const creatingSides = (options: StandInOptions, count: number, deploying = false) =>
    actions.map((script) => ({
      name: short(script),
      run: () => creating(options, count, script, false, deploying),
    }));

  const cases: Case[] = [
    {
      name: 'load',
      what: 'failing on a missing input, vs node -e 0',
      target: 1.3,
      // Started as runner.ts starts the action: same environment, same pipes.
      floor: {
        name: 'node -e 0',
        run: async () => ({
          ms: await timed({ inputs: {}, script: '--eval=0' }, (result) => {
            if (result.code !== 0) fail('node -e 0 failed', result);
          }),
        }),
      },
      sides: actions.map(failing),
    },
    {
      name: 'toolkit',
      what: 'failing on a missing input, vs bench/floor-toolkit.ts bundled with ncc',
      target: 1.05,
      floor: failing(toolkitFloor),
      sides: actions.map(failing),
    },
    {
      name: 'one',
      what: 'creating 1 function, vs bench/floor-create.mjs',
      target: 1.3,
      floor: { name: 'floor-create', run: () => creating({}, 1, FLOOR_CREATE, true) },
      sides: creatingSides({}, 1),
      extraLists: 0,
    },
    {
      name: 'many',
      what: `creating ${MANY_FUNCTIONS}, parallel ${PARALLEL}, 50 ms latency, vs bench/floor-create.mjs`,
      target: 1.1,
      floor: {
        name: 'floor-create',
        run: () => creating({ latencyMs: 50 }, MANY_FUNCTIONS, FLOOR_CREATE, true),
      },
      sides: creatingSides({ latencyMs: 50 }, MANY_FUNCTIONS),
      // A round's list waits for the creates in flight: one list serves every function.
      extraLists: 0,
    },
    {
      name: 'deploy',
      what: `creating ${DEPLOY_FUNCTIONS} and deploying ~1 MB of zip to each, parallel ${PARALLEL}, 50 ms latency, vs bench/floor-deploy.mjs`,
      floor: {
        name: 'floor-deploy',
        run: () => creating({ latencyMs: 50 }, DEPLOY_FUNCTIONS, FLOOR_DEPLOY, true, true),
      },
      sides: creatingSides({ latencyMs: 50 }, DEPLOY_FUNCTIONS, true),
      // Before the uploads, and after them: one list a round, as the floor.
      extraLists: 0,
    },
  ];
  return { cases, close: () => code?.remove() };
}
