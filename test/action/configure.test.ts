// A working function, the way WeChat DevTools deploys one: the cloud-call permissions of its
// config.json, its timeout and variables, its runtime, a smoke test. Through dist/index.js as
// the runner starts it, against the stand-in.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunResult, runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { writeTree } from '../support/folders.js';
import { annotations, commands, expectNoLeak, results } from '../support/leaks.js';
import { codeFolders, ENV, withToken } from '../support/steps.js';

let standIn: StandIn;
const code = codeFolders(['login']);

const SECRET_VALUE = 'p@ss w/"quote"\\back+plus%41&=';

beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

/** Writes `files` into the folder of function `name`, making it if need be. */
const folder = (name: string, files: Record<string, string>) =>
  writeTree(join(code.path, name), files);

const permissions = (openapi: string[]) => JSON.stringify({ permissions: { openapi } });

async function run(inputs: Record<string, string> = {}): Promise<RunResult> {
  const result = await runAction({
    inputs: withToken(standIn, { 'code-dir': code.path, ...inputs }),
  });
  expect(result.stderr).toBe('');
  expectNoLeak(result, [standIn.accessToken, standIn.codeSecret]);
  return result;
}

const config = (name: string, type: number) => standIn.held(ENV, name)?.configs.get(type);
const writes = () =>
  standIn.calls('uploadfuncconfig').map((c) => (c.body as { type: number }).type);

describe('cloud-call permissions from config.json', () => {
  it('are written as type 1, and a re-run that changes nothing writes nothing', async () => {
    folder('login', { 'config.json': permissions(['wxacode.get', 'subscribeMessage.send']) });
    const first = await run();
    expect(first.code).toBe(0);
    expect(JSON.parse(config('login', 1) ?? '')).toEqual({
      permissions: { openapi: ['subscribeMessage.send', 'wxacode.get'] },
    });
    expect(results(first)[0]).toMatchObject({ config: 'updated' });
    expect(first.stdout).toMatch(
      /^login: created · .* · config updated \(cloud-call permissions: added subscribeMessage\.send, wxacode\.get\) · /m,
    );

    const again = await run();
    expect(results(again)[0]).toMatchObject({ status: 'exists', config: 'unchanged' });
    expect(writes()).toEqual([1]);
  });

  it('are written in the order of the run: create, code, Active, configuration', async () => {
    folder('login', { 'config.json': permissions(['wxacode.get']) });
    await run();
    const routes = standIn.requests.map((r) => r.route);
    expect(routes.indexOf('scf')).toBeLessThan(routes.indexOf('getfuncconfig'));
    expect(routes.lastIndexOf('listfunctions', routes.indexOf('getfuncconfig'))).toBeGreaterThan(
      routes.indexOf('scf'),
    );
  });

  it.each([
    ['not JSON', '{ "permissions": '],
    ['not an object', '[]'],
    ['permissions not an object', '{"permissions": ["wxacode.get"]}'],
    ['openapi not a list of names', '{"permissions": {"openapi": "wxacode.get"}}'],
    ['an unknown permission', '{"permissions": {"openapi": [], "cloudfunction": true}}'],
    ['triggers not a list', '{"triggers": {}}'],
  ])('%s: an input error before any request', async (_name, text) => {
    folder('login', { 'config.json': text });
    const result = await run();
    expect(result.code).toBe(1);
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(
        /^::error::Input `code-dir` has a config\.json that cannot be deployed: .*config\.json/,
      ),
    ]);
    expect(standIn.requests).toEqual([]);
  });

  it('triggers are not deployed: one warning per function says so', async () => {
    folder('login', {
      'config.json': JSON.stringify({
        triggers: [{ name: 'daily', type: 'timer', config: '0 0 2 * * * *' }],
      }),
    });
    const result = await run();
    expect(result.code).toBe(0);
    expect(commands(result.stdout)).toContain(
      '::warning::login: the timer triggers of its config.json were not deployed: WeChat documents no format for them in this API. Set them in WeChat DevTools or the console.',
    );
    expect(writes()).toEqual([]);
  });
});

describe('timeout-seconds and environment', () => {
  beforeEach(() => {
    standIn.put(ENV, 'login', {
      configs: {
        3: JSON.stringify({
          timeout: 5,
          environment: [
            { key: 'KEEP', value: 'kept-value' },
            { key: 'CHANGE', value: 'old-value' },
          ],
        }),
      },
    });
  });

  const variables = () =>
    Object.fromEntries(
      (JSON.parse(config('login', 3) ?? '{}').environment ?? []).map(
        ({ key, value }: { key: string; value: string }) => [key, value],
      ),
    );

  it('merge: named keys set, the others kept, the timeout kept unless given', async () => {
    const result = await run({ environment: `CHANGE=new-value\nADD=${SECRET_VALUE}` });
    expect(result.code).toBe(0);
    expect(variables()).toEqual({ KEEP: 'kept-value', CHANGE: 'new-value', ADD: SECRET_VALUE });
    expect(JSON.parse(config('login', 3) ?? '').timeout).toBe(5);
    expect(result.stdout).toMatch(/config updated \(variables: added ADD; changed CHANGE\)/);
  });

  it('replace: exactly what the step says; the keys removed are named', async () => {
    const result = await run({
      environment: 'CHANGE=new-value',
      'environment-mode': 'replace',
      'timeout-seconds': '20',
    });
    expect(result.code).toBe(0);
    expect(variables()).toEqual({ CHANGE: 'new-value' });
    expect(JSON.parse(config('login', 3) ?? '').timeout).toBe(20);
    expect(result.stdout).toMatch(
      /config updated \(variables: changed CHANGE; removed KEEP; timeout: 5 s → 20 s\)/,
    );
  });

  it('keeps every field of the configuration it does not set, as read', async () => {
    const held = { timeout: 5, memorySize: 512, vpc: { vpcId: 'vpc-1', subnetId: 'subnet-1' } };
    standIn.put(ENV, 'login', { configs: { 3: JSON.stringify({ ...held, environment: [] }) } });
    const result = await run({ environment: 'ADD=x' });
    expect(result.code).toBe(0);
    expect(JSON.parse(config('login', 3) ?? '')).toEqual({
      ...held,
      environment: [{ key: 'ADD', value: 'x' }],
    });
  });

  it('sets no timeout the step does not name and the read did not have', async () => {
    standIn.put(ENV, 'login', { configs: { 3: JSON.stringify({ memorySize: 256 }) } });
    const result = await run({ environment: 'ADD=x' });
    expect(result.code).toBe(0);
    expect(JSON.parse(config('login', 3) ?? '')).toEqual({
      memorySize: 256,
      environment: [{ key: 'ADD', value: 'x' }],
    });
    const timed = await run({ 'timeout-seconds': '20' });
    expect(JSON.parse(config('login', 3) ?? '').timeout).toBe(20);
    expect(timed.stdout).toMatch(/config updated \(timeout: set to 20 s\)/);
  });

  it('the same again: unchanged, nothing written', async () => {
    await run({ environment: 'CHANGE=new-value' });
    const again = await run({ environment: 'CHANGE=new-value' });
    expect(results(again)[0]).toMatchObject({ config: 'unchanged' });
    expect(writes()).toEqual([3]);
  });

  it('waits until Active again after the write, which sets the function updating', async () => {
    const result = await run({ 'timeout-seconds': '10' });
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ config: 'updated', state: 'Active' });
    const routes = standIn.requests.map((r) => r.route);
    expect(routes.slice(routes.indexOf('uploadfuncconfig') + 1)).toContain('listfunctions');
  });

  it('a dry run reads, compares, reports what would change, and writes nothing', async () => {
    const result = await run({ environment: 'ADD=x', 'dry-run': 'true' });
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ config: 'would-update' });
    expect(result.stdout).toMatch(/config would-update \(variables: added ADD\)/);
    expect(writes()).toEqual([]);
    expect(standIn.calls('scf')).toEqual([]);
  });

  it('never shows a value: not in the log, the outputs or the summary, in any encoding', async () => {
    standIn.script('uploadfuncconfig', [
      { errcode: -1, errmsg: `busy with ${SECRET_VALUE} and kept-value` },
    ]);
    const result = await run({ environment: `ADD=${SECRET_VALUE}` });
    expect(result.code).toBe(0);
    expectNoLeak(result, [
      SECRET_VALUE,
      JSON.stringify(SECRET_VALUE).slice(1, -1),
      Buffer.from(SECRET_VALUE).toString('base64'),
      'kept-value',
    ]);
    // Masked for the runner at once (a workflow command escapes `%`).
    expect(commands(result.stdout)).toContain(`::add-mask::${SECRET_VALUE.replaceAll('%', '%25')}`);
  });

  // Each value is one of its own, so that an error quoting any of them shows.
  it.each<[string, string, string[], RegExp]>([
    [
      'a line without =',
      'ghp_pastedWithoutAName7c1e',
      ['ghp_pastedWithoutAName7c1e'],
      /line 1 does not start with a variable name/,
    ],
    ['a bad name', '1BAD=value-bad-name', ['value-bad-name'], /line 1 does not start with a/],
    ['a reserved prefix', 'SCF_X=value-scf', ['value-scf'], /keeps for itself/],
    [
      'a name twice',
      'A=value-one\nA=value-two',
      ['value-one', 'value-two'],
      /line 2 names the variable of line 1 again/,
    ],
    ['over 4 KB', `BIG=${'x'.repeat(5000)}`, ['xxxx'], /over|may take 4096/],
  ])('%s: an input error that never quotes a value', async (_name, environment, values, says) => {
    const result = await run({ environment });
    expect(result.code).toBe(1);
    const [error] = annotations(result, 'error');
    expect(error).toMatch(/Input `environment`/);
    expect(error).toMatch(says);
    expectNoLeak(result, values);
    // Values are masked before the lines are read: one quoted would show as `***`.
    expect(error).not.toContain('***');
    expect(standIn.requests).toEqual([]);
  });
});

describe('the runtime', () => {
  const said = (result: RunResult, words: RegExp) =>
    annotations(result, 'warning').filter((line) => words.test(line));

  it('is reported as listed, in the results and the summary', async () => {
    standIn.put(ENV, 'login', { runtime: 'Nodejs24.11' });
    const result = await run();
    expect(results(result)[0]).toMatchObject({ runtime: 'Nodejs24.11' });
    expect(result.summary).toContain('<td>Nodejs24.11</td>');
    expect(annotations(result, 'warning')).toEqual([
      expect.stringMatching(/^::warning::Runtimes in public beta .*: login \(Nodejs24\.11\)\./),
    ]);
  });

  it('past its end of life: one warning for the run, naming every function and the input', async () => {
    standIn.put(ENV, 'login', { runtime: 'Nodejs16.13' }).put(ENV, 'pay', { runtime: 'Nodejs8.9' });
    folder('pay', { 'index.js': 'exports.main = async () => 1;\n' });
    const result = await run({ 'function-name': 'login\npay' });
    expect(result.code).toBe(0);
    expect(said(result, /end of life/)).toEqual([
      expect.stringMatching(
        /^::warning::Runtimes past their end of life: login \(Nodejs16\.13, Node\.js 16: 2023-09-11\), pay \(Nodejs8\.9, Node\.js 8: 2019-12-31\)\. A runtime cannot be changed after creation: create the function anew with the input `runtime` \(`Nodejs\d+\.\d+` is the oldest whose Node\.js line is still supported/,
      ),
    ]);
  });

  it('older than the engines.node of its package.json: a warning', async () => {
    standIn.put(ENV, 'login', { runtime: 'Nodejs24.11' });
    folder('login', { 'package.json': '{"engines": {"node": ">=26"}}' });
    const result = await run();
    expect(said(result, /older/)).toEqual([
      expect.stringMatching(
        /^::warning::Runtimes older than the function asks for: login \(Nodejs24\.11, older than the Node\.js 26 its package\.json asks for/,
      ),
    ]);
  });
});

describe('the smoke test', () => {
  it('invokes every function once all are Active, and gives what each answered', async () => {
    folder('pay', { 'index.js': 'exports.main = async () => 1;\n' });
    const result = await run({ 'function-name': 'login\npay', invoke: '{"ping": true}' });
    expect(result.code).toBe(0);
    expect(results(result).map((r: { invoke: string }) => r.invoke)).toEqual(['ok', 'ok']);
    const invoked = JSON.parse(result.outputs['invoke-results']);
    expect(invoked.login).toEqual({
      invoke: 'ok',
      response: JSON.stringify({ event: { ping: true }, function: 'login' }),
    });
    const calls = standIn.calls('invokecloudfunction');
    expect(calls.map((c) => c.query.name).sort()).toEqual(['login', 'pay']);
    expect(calls[0].body).toEqual({ ping: true });
    // After every upload and wait.
    const routes = standIn.requests.map((r) => r.route);
    expect(routes.indexOf('invokecloudfunction')).toBeGreaterThan(routes.lastIndexOf('scf'));
  });

  it('fails a function that fails when invoked, and the step', async () => {
    standIn.answerInvoke('login', {
      errcode: -504002,
      errmsg: 'functions execute fail | Error: boom',
    });
    const result = await run({ invoke: '{}' });
    expect(result.code).toBe(1);
    // The function failed the step: its status says so, not `exists`.
    expect(results(result)[0]).toMatchObject({
      status: 'failed',
      invoke: 'failed',
      errcode: -504002,
    });
    expect(result.outputs.errmsg).toBe('invoke: functions execute fail | Error: boom');
    expect(JSON.parse(result.outputs['invoke-results']).login).toMatchObject({
      invoke: 'failed',
      errcode: -504002,
    });
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(
        /^::error::login: errcode -504002 \(cloud function execution failed\).*5 s to answer/,
      ),
    ]);
  });

  it('fails a function WeChat refuses to invoke', async () => {
    standIn.script('invokecloudfunction', [{ errcode: 40101, errmsg: 'missing parameter' }]);
    const result = await run({ invoke: '{}' });
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({ invoke: 'failed', errcode: 40101 });
  });

  it('keeps what a function answers short and free of secrets', async () => {
    standIn.answerInvoke('login', { respData: `${standIn.accessToken} ${'y'.repeat(10_000)}` });
    const result = await run({ invoke: '{}' });
    const { response } = JSON.parse(result.outputs['invoke-results']).login;
    expect(response).toMatch(/^\*\*\* y+…$/);
    expect(response.length).toBeLessThan(4200);
  });

  it.each([
    ['not JSON', 'ping', /must be a JSON object/],
    ['not an object', '[1]', /must be a JSON object/],
  ])('refuses an event that is %s, before any request', async (_name, invoke, says) => {
    const result = await run({ invoke });
    expect(result.code).toBe(1);
    expect(annotations(result, 'error')[0]).toMatch(says);
    expect(standIn.requests).toEqual([]);
  });

  it('refuses wait-timeout-seconds: 0 with an invocation', async () => {
    const result = await run({ invoke: '{}', 'wait-timeout-seconds': '0' });
    expect(result.code).toBe(1);
    expect(standIn.requests).toEqual([]);
  });
});

describe('the upload body', () => {
  it('names the environment in both EnvId and Namespace, as WeChat’s own CI does', async () => {
    await run();
    const held = standIn.held(ENV, 'login');
    expect(held?.code).toMatchObject({ envId: ENV, namespace: ENV });
    const body = standIn.calls('scf')[0].body as Record<string, unknown>;
    expect(body).toMatchObject({ EnvId: ENV, Namespace: ENV });
  });
});
