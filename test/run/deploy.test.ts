// The orchestrator in-process, against the stand-in, on a clock of its own: how it waits.
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { ScfClient } from '../../src/clouds/wechat/scf-client.js';
import { MAX_ANSWER_BYTES, WeChatClient } from '../../src/clouds/wechat/wechat-client.js';
import { WeChatCloud } from '../../src/clouds/wechat/wechat-cloud.js';
import { Transport } from '../../src/net/http-transport.js';
import { deploy } from '../../src/run/deploy.js';
import type { Deployment, Plan } from '../../src/run/result.js';
import { Secrets } from '../../src/secrets/secrets.js';
import { type Fault, type StandIn, startStandIn } from '../../stand-in/server.js';
import { codeFolders, ENV } from '../support/steps.js';

let standIn: StandIn;
beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

/** Runs a deployment on a fake clock: sleeping moves it on at once. */
async function run(
  plan: Partial<Plan> = {},
): Promise<{ deployment: Deployment; sleeps: number[] }> {
  const transport = new Transport({
    userAgent: 't/1',
    timeoutMs: 2000,
    maxAnswerBytes: MAX_ANSWER_BYTES,
  });
  onTestFinished(() => transport.close());
  const secrets = new Secrets();
  const retry = { maxAttempts: 3, baseDelayMs: 1000, random: () => 0 };
  const wechat = new WeChatClient({
    baseUrl: standIn.url,
    transport,
    credentials: { kind: 'access-token', accessToken: standIn.accessToken },
    retry: { ...retry, sleep: async () => {} },
    secrets,
  });
  const scf = new ScfClient({ transport, secrets, apiBaseUrl: standIn.url });
  let clock = 0;
  const sleeps: number[] = [];
  const deployment = await deploy(
    {
      env: ENV,
      functionNames: ['login'],
      ifExists: 'skip',
      parallel: 4,
      dryRun: false,
      waitTimeoutMs: 60_000,
      retry,
      ...plan,
    },
    new WeChatCloud(wechat, scf, ENV),
    {
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    },
  );
  return { deployment, sleeps };
}

const listed = (status: string): Fault => ({
  json: { errcode: 0, errmsg: 'ok', total_count: 1, functions: [{ name: 'login', status }] },
});
const empty: Fault = { json: { errcode: 0, errmsg: 'ok', total_count: 0, functions: [] } };

describe('waiting until Active', () => {
  it('pauses between lists, doubling from the retry delay up to 5 s', async () => {
    standIn.script('listfunctions', [empty, ...Array(6).fill(listed('Creating'))]);
    const { deployment, sleeps } = await run();
    expect(sleeps).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
    expect(deployment.results[0]).toMatchObject({ status: 'created', state: 'Active' });
  });

  it('stops at the timeout, the last pause cut to what is left', async () => {
    standIn.script('listfunctions', [empty, ...Array(20).fill(listed('Creating'))]);
    const { deployment, sleeps } = await run({ waitTimeoutMs: 9000 });
    expect(sleeps).toEqual([1000, 2000, 4000, 2000]);
    expect(deployment.results[0]).toMatchObject({
      status: 'failed',
      state: 'Creating',
      errmsg: 'still Creating after waiting 9 s for Active (wait-timeout-seconds)',
    });
  });

  it('fails a function it cannot see Active because the list fails while waiting', async () => {
    standIn.script('listfunctions', [empty, ...Array(3).fill({ errcode: -1 })]);
    const { deployment } = await run();
    expect(deployment.results[0]).toMatchObject({
      status: 'failed',
      errcode: null,
      errmsg: expect.stringMatching(/^could not list the functions to see it Active: /),
    });
  });

  it('waits for a created function that the list does not show yet', async () => {
    standIn.script('listfunctions', [empty, empty, empty]);
    const { deployment, sleeps } = await run();
    expect(sleeps).toEqual([1000, 2000]);
    expect(deployment.results[0]).toMatchObject({ status: 'created', state: 'Active' });
  });

  it('fails a created function the list never shows', async () => {
    standIn.script('listfunctions', Array(10).fill(empty));
    const { deployment } = await run({ waitTimeoutMs: 3000 });
    expect(deployment.results[0]).toMatchObject({
      status: 'failed',
      state: null,
      errmsg: 'still not listed after waiting 3 s for Active (wait-timeout-seconds)',
    });
  });
});

describe('waits that overlap', () => {
  const names = ['a1', 'b2', 'c3', 'd4'];
  const code = codeFolders(names);

  it('share one list: the uploads of functions created together wait on the same answers', async () => {
    const creating = {
      json: {
        errcode: 0,
        errmsg: 'ok',
        total_count: 4,
        functions: names.map((name) => ({ name, status: 'Creating' })),
      },
    };
    standIn.script('listfunctions', [empty, creating]);
    const { deployment } = await run({
      functionNames: names,
      code: { dir: code.path, installDependencies: true, root: code.path, folders: new Map() },
    });
    expect(deployment.results.map((r) => r.code)).toEqual(Array(4).fill('deployed'));
    // Waiting on its own, each function would list at least three times: until it is
    // listed Active, to see its upload take, to see it Active again.
    expect(standIn.calls('listfunctions').length).toBeLessThan(1 + 3 * names.length);
    expect(standIn.calls('scf')).toHaveLength(4);
  });
});

describe('functions created in turns', () => {
  it('are served by one list once the creates in flight are over, not one list a turn', async () => {
    const names = ['a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'g7', 'h8'];
    const { deployment } = await run({ functionNames: names, parallel: 2 });
    expect(deployment.results.map((r) => r.status)).toEqual(Array(8).fill('created'));
    // The first list, then one that sees all eight Active: as if created all at once.
    expect(standIn.calls('listfunctions')).toHaveLength(2);
  });
});
