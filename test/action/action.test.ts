// The bundled dist/index.js, started as the runner starts it, against the stand-in server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAction, startAction } from '../../stand-in/runner.js';
import { type Fault, type StandIn, startStandIn } from '../../stand-in/server.js';
import { commands, expectNoLeak } from '../support/leaks.js';
import { closedPort } from '../support/net.js';
import { withApp as appStep, ENV, withToken as tokenStep } from '../support/steps.js';

let standIn: StandIn;

beforeEach(async () => {
  standIn = await startStandIn({ existing: { [ENV]: ['existing'] } });
});
afterEach(() => standIn.close());

const withToken = (inputs: Record<string, string> = {}) => tokenStep(standIn, inputs);
const withApp = (inputs: Record<string, string> = {}) => appStep(standIn, inputs);

/** No stack trace and no crash: whatever happened is said in one `::error::` at most. */
function expectCleanFailure(result: { stdout: string; stderr: string }) {
  expect(result.stdout + result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(result.stderr).toBe('');
}

describe('dist/index.js', () => {
  it('creates a function, retrying a busy answer, with outputs and a summary', async () => {
    standIn.script('createfunction', [{ errcode: -1, errmsg: 'system busy' }]);
    const result = await runAction({ inputs: withToken() });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      status: 'created',
      errcode: '0',
      errmsg: 'ok',
      attempts: '2',
    });
    expect(result.stdout).toMatch(
      /login: createfunction attempt 1 of 5: errcode -1 \(system busy\).*retrying in \d+ ms/,
    );
    expect(result.summary).toMatch(
      /<tr><td><code>login<\/code><\/td><td>created<\/td><td>Active<\/td><td>Nodejs8\.9<\/td>/,
    );
    expect(standIn.functions(ENV)).toContain('login');
    expect(standIn.requests[0].headers['user-agent']).toMatch(
      /^wechat-cloud-function-action\/\d+\.\d+\.\d+/,
    );
    expect(commands(result.stdout)[0]).toBe(`::add-mask::${standIn.accessToken}`);
    expectNoLeak(result, [standIn.accessToken]);
  });

  it('fails on a missing input before any request, naming it', async () => {
    const result = await runAction({ inputs: { 'api-base-url': standIn.url } });
    expect(result.code).toBe(1);
    expect(commands(result.stdout)).toContain('::error::Input `env` is required and was not given');
    expect(result.outputs).toMatchObject({ status: 'failed', attempts: '0' });
    expect(standIn.requests).toEqual([]);
    expectCleanFailure(result);
  });

  it('refuses plain http to a host other than loopback, before any request', async () => {
    const result = await runAction({
      inputs: withToken({ 'api-base-url': 'http://api.weixin.qq.com' }),
    });
    expect(result.code).toBe(1);
    expect(commands(result.stdout).join('\n')).toMatch(
      /::error::Input `api-base-url` uses plain http.*clear text/,
    );
    expectNoLeak(result, [standIn.accessToken]);
  });

  it('mints a stable token from app-id and app-secret and creates with it', async () => {
    const result = await runAction({ inputs: withApp({ 'function-name': 'login\npay' }) });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.outputs.results)).toHaveLength(2);
    expect(standIn.calls('stable_token')).toHaveLength(1);
    expect(standIn.calls('token')).toEqual([]);
    expect(standIn.functions(ENV)).toEqual(['existing', 'login', 'pay']);
    expectNoLeak(result, [standIn.appSecret, standIn.mintedToken]);
  });

  it('ends promptly when the runner cancels the job during a backoff wait', async () => {
    standIn.script('createfunction', Array(20).fill({ errcode: -1, errmsg: 'system busy' }));
    const action = startAction({
      inputs: withToken({ 'max-attempts': '20', 'retry-delay-ms': '30000' }),
    });
    await until(() => /retrying in/.test(action.stdout()));
    action.child.kill('SIGTERM');
    const result = await action.done;
    expect(result.signal ?? result.code).toBeTruthy();
    expect(standIn.calls('createfunction').length).toBeLessThan(20);
  });

  it('keeps a very large answer out of memory and out of the log', async () => {
    standIn.script('createfunction', [{ bytes: 16 * 1024 * 1024 }]);
    const result = await runAction({ inputs: withToken() });
    expect(result.code).toBe(1);
    expect(result.outputs.errmsg).toBe('answer larger than 65536 bytes');
    expect(result.stdout.length).toBeLessThan(4096);
    expect(result.summary.length).toBeLessThan(4096);
  });

  it('bounds a server that never answers by request-timeout-ms on every attempt', async () => {
    standIn.script('createfunction', Array(3).fill({ hang: true }));
    const result = await runAction({
      inputs: withToken({ 'max-attempts': '3', 'request-timeout-ms': '200' }),
    });
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ status: 'failed', attempts: '3' });
    expect(result.outputs.errmsg).toMatch(/no answer within 200 ms|timeout/i);
    expectNoLeak(result, [standIn.accessToken]);
  });
});

/** Every way a call can go wrong, with both kinds of credentials: no secret ever shows. */
describe('secrets on every path', () => {
  const echo = () =>
    `token ${standIn.accessToken} ${standIn.mintedToken} secret ${standIn.appSecret}`;
  const createFaults: [string, () => Fault[], Record<string, string>?][] = [
    [
      'a busy API until attempts run out',
      () => Array(3).fill({ errcode: -1, errmsg: echo() }),
      { 'max-attempts': '3' },
    ],
    ['an invalid token echoed back', () => [{ errcode: 40014, errmsg: echo() }]],
    ['a 502 page, then ok', () => [{ status: 502, body: `<html>${echo()}</html>` }]],
    ['a persistent 503', () => Array(2).fill({ status: 503 }), { 'max-attempts': '2' }],
    ['a body that is not JSON', () => [{ body: echo() }]],
    ['JSON without errcode', () => [{ json: { errmsg: echo() } }]],
    ['an errcode that is a string', () => [{ json: { errcode: '-1', errmsg: echo() } }]],
    ['a truncated body', () => [{ truncate: true }]],
    ['a connection reset', () => [{ reset: true }]],
    ['no answer', () => [{ hang: true }], { 'request-timeout-ms': '150', 'max-attempts': '1' }],
    ['a huge answer', () => [{ bytes: 2 * 1024 * 1024 }]],
    ['a lost answer', () => [{ reset: true, apply: true }], { 'if-exists': 'fail' }],
    ['an existing function', () => [], { 'function-name': 'existing', 'if-exists': 'fail' }],
  ];

  it.each(createFaults)('createfunction: %s', async (_name, faults, inputs = {}) => {
    const runs = [
      { inputs: withToken(inputs), known: [standIn.accessToken] },
      { inputs: withApp(inputs), known: [standIn.appSecret, standIn.mintedToken] },
    ];
    for (const run of runs) {
      standIn.script('createfunction', faults());
      const result = await runAction({ inputs: run.inputs });
      expectNoLeak(result, run.known);
      expectCleanFailure(result);
    }
  });

  it.each<[string, () => Fault[], Record<string, string>?]>([
    ['an IP outside the whitelist', () => [{ errcode: 40164, errmsg: echo() }]],
    [
      'a busy API until attempts run out',
      () => Array(2).fill({ errcode: -1, errmsg: echo() }),
      { 'max-attempts': '2' },
    ],
    ['a reset', () => [{ reset: true }], { 'max-attempts': '1' }],
    ['no answer', () => [{ hang: true }], { 'request-timeout-ms': '150', 'max-attempts': '1' }],
    ['a body that is not JSON', () => [{ body: echo() }], { 'max-attempts': '1' }],
  ])('stable_token: %s', async (_name, faults, inputs = {}) => {
    standIn.script('stable_token', faults());
    const result = await runAction({ inputs: withApp(inputs) });
    expect(result.code).toBe(1);
    expect(standIn.calls('createfunction')).toEqual([]);
    expectNoLeak(result, [standIn.appSecret]);
    expectCleanFailure(result);
  });

  it('connection refused', async () => {
    const url = await closedPort();
    for (const inputs of [withToken({ 'api-base-url': url }), withApp({ 'api-base-url': url })]) {
      const result = await runAction({ inputs: { ...inputs, 'max-attempts': '2' } });
      expect(result.code).toBe(1);
      expect(result.outputs.errmsg).toMatch(/ECONNREFUSED/);
      expectNoLeak(result, [standIn.accessToken, standIn.appSecret]);
    }
  });

  it('a bad input', async () => {
    const result = await runAction({
      inputs: withApp({ 'access-token': standIn.accessToken, 'max-attempts': 'x' }),
    });
    expect(result.code).toBe(1);
    expectNoLeak(result, [standIn.accessToken, standIn.appSecret]);
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
