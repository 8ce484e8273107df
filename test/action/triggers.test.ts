// Timer triggers of config.json on `api: tencentcloud`, through the bundled action against the
// stand-in, which holds each function's triggers and reads a timer back as `{"cron":"…"}`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cronProblem, heldCron, normalCron, readTriggers } from '../../src/clouds/triggers.js';
import { type RunResult, runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import type { HeldTrigger } from '../../stand-in/tencentcloud.js';
import { annotations, expectNoLeak, results } from '../support/leaks.js';
import { codeFolders, ENV, withKeys, withToken } from '../support/steps.js';

let standIn: StandIn;
const code = codeFolders(['login']);

beforeEach(async () => {
  standIn = await startStandIn({ existing: { [ENV]: ['login'] } });
});
afterEach(() => standIn.close());

const DAILY = { name: 'daily', type: 'timer', config: '0 0 2 * * * *' };

function triggersInFolder(triggers: unknown[]): void {
  writeFileSync(join(code.path, 'login', 'config.json'), JSON.stringify({ triggers }));
}

/** The triggers the stand-in holds for login, by name. */
function held(): Map<string, HeldTrigger> {
  const fn = standIn.held(ENV, 'login');
  if (!fn) throw new Error('login is not held');
  return standIn.tcb.triggers(fn);
}

function hold(name: string, cron: string): void {
  held().set(name, { cron, addTime: '2026-01-01 00:00:00', modTime: '2026-01-01 00:00:00' });
}

const crons = () => Object.fromEntries([...held()].map(([name, t]) => [name, t.cron]));
/** The warnings of a run that speak of triggers (the runtime's may come too). */
const triggerWarnings = (result: RunResult) =>
  annotations(result, 'warning').filter((w) => /trigger/i.test(w));
const routes = () => standIn.requests.map((r) => r.route);
const triggerWrites = () =>
  standIn.requests.filter(
    (r) => r.route === 'scf.CreateTrigger' || r.route === 'scf.UpdateTrigger',
  );

async function run(inputs: Record<string, string> = {}): Promise<RunResult> {
  const result = await runAction({
    inputs: withKeys(standIn, { 'function-name': 'login', 'code-dir': code.path, ...inputs }),
  });
  expectNoLeak(result, [standIn.tcb.secretId, standIn.tcb.secretKey]);
  expect(result.stderr).toBe('');
  return result;
}

describe('timer triggers on Tencent Cloud', () => {
  it('creates a missing one with SCF CreateTrigger, the cron posted plain, in the namespace', async () => {
    triggersInFolder([DAILY]);
    const result = await run();
    expect(result.code).toBe(0);
    expect(results(result)[0].triggers).toEqual([{ name: 'daily', action: 'created' }]);
    expect(crons()).toEqual({ daily: '0 0 2 * * * *' });
    const [sent] = standIn.calls('scf.CreateTrigger');
    expect(sent.body).toEqual({
      FunctionName: 'login',
      Namespace: ENV,
      TriggerName: 'daily',
      Type: 'timer',
      TriggerDesc: '0 0 2 * * * *',
    });
    expect(sent.headers['x-tc-region']).toBe('ap-shanghai');
    expect(result.stdout).toMatch(/login: exists · .*triggers daily created/);
    expect(result.summary).toContain('Timer triggers: daily created.');
    expect(triggerWarnings(result)).toEqual([]);
  });

  it('creates them on a new function once it is Active, not while it is Creating', async () => {
    await standIn.close();
    standIn = await startStandIn({ createMs: 300 });
    triggersInFolder([DAILY]);
    const result = await run({ 'retry-delay-ms': '50' });
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({
      status: 'created',
      triggers: [{ name: 'daily', action: 'created' }],
    });
    expect(crons()).toEqual({ daily: '0 0 2 * * * *' });
  });

  it('updates one whose cron differs with UpdateTrigger, and leaves alone one it does not name', async () => {
    hold('daily', '0 0 1 * * * *');
    hold('legacy', '0 30 * * * * *');
    triggersInFolder([DAILY]);
    const result = await run();
    expect(result.code).toBe(0);
    expect(results(result)[0].triggers).toEqual([
      { name: 'daily', action: 'updated' },
      { name: 'legacy', action: 'left-alone' },
    ]);
    expect(crons()).toEqual({ daily: '0 0 2 * * * *', legacy: '0 30 * * * * *' });
    expect(routes()).not.toContain('scf.CreateTrigger');
    expect(triggerWarnings(result)).toEqual([
      '::warning::Triggers in the cloud that config.json does not name, left alone: login (legacy). Delete them in the console if they should go.',
    ]);
  });

  it('sends nothing on a re-run: the cron read back as {"cron":"…"} is the one posted', async () => {
    triggersInFolder([{ ...DAILY, config: '0  0 2 * * *   *' }]);
    await run();
    expect(triggerWrites()).toHaveLength(1);
    standIn.requests.length = 0;
    const again = await run();
    expect(again.code).toBe(0);
    expect(results(again)[0].triggers).toEqual([{ name: 'daily', action: 'unchanged' }]);
    expect(triggerWrites()).toEqual([]);
  });

  it('says on a dry run what it would do, and sends only reads', async () => {
    hold('daily', '0 0 1 * * * *');
    triggersInFolder([DAILY, { name: 'weekly', type: 'timer', config: '0 0 3 * * MON *' }]);
    const result = await run({ 'dry-run': 'true' });
    expect(result.code).toBe(0);
    expect(results(result)[0].triggers).toEqual([
      { name: 'daily', action: 'would-update' },
      { name: 'weekly', action: 'would-create' },
    ]);
    expect(new Set(routes())).toEqual(new Set(['ListFunctions', 'GetFunction']));
    expect(crons()).toEqual({ daily: '0 0 1 * * * *' });
  });

  it('fails the function with a hint when SCF refuses a trigger', async () => {
    triggersInFolder([DAILY]);
    standIn.script('scf.CreateTrigger', [
      { tencentError: { code: 'InvalidParameterValue.TriggerDesc', message: 'bad cron' } },
    ]);
    const result = await run();
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({
      config: 'failed',
      triggers: [{ name: 'daily', action: 'failed' }],
    });
    const [error] = annotations(result, 'error');
    expect(error).toMatch(/triggers: creating daily: InvalidParameterValue\.TriggerDesc/);
    expect(error).toMatch(/a cron of seven fields/);
  });

  it('reads them with SCF ListTriggers when GetFunction answers no `Triggers` list', async () => {
    hold('daily', '0 0 1 * * * *');
    triggersInFolder([DAILY, { name: 'weekly', type: 'timer', config: '0 0 3 * * MON *' }]);
    standIn.script('GetFunction', [{ omit: ['Triggers'] }]);
    const result = await run();
    expect(result.code).toBe(0);
    expect(results(result)[0].triggers).toEqual([
      { name: 'daily', action: 'updated' },
      { name: 'weekly', action: 'created' },
    ]);
    const [listed] = standIn.calls('scf.ListTriggers');
    expect(listed.body).toEqual({ FunctionName: 'login', Namespace: ENV, Offset: 0, Limit: 20 });
    expect(routes().filter((r) => r.startsWith('scf.'))).toEqual([
      'scf.ListTriggers',
      'scf.UpdateTrigger',
      'scf.CreateTrigger',
    ]);
    expect(crons()).toEqual({ daily: '0 0 2 * * * *', weekly: '0 0 3 * * MON *' });
  });

  it('reads every page of ListTriggers, 20 at a time', async () => {
    for (let n = 0; n < 20; n++) hold(`kept${n}`, '0 0 4 * * * *');
    hold('daily', '0 0 1 * * * *');
    triggersInFolder([DAILY]);
    standIn.script('GetFunction', [{ omit: ['Triggers'] }]);
    const result = await run();
    expect(result.code).toBe(0);
    expect(
      standIn.calls('scf.ListTriggers').map((r) => (r.body as { Offset: number }).Offset),
    ).toEqual([0, 20]);
    expect(results(result)[0].triggers?.[0]).toEqual({ name: 'daily', action: 'updated' });
    expect(crons().daily).toBe('0 0 2 * * * *');
  });

  it('writes none when neither read gives the triggers held, so that none is made twice', async () => {
    triggersInFolder([DAILY]);
    standIn.script('GetFunction', [{ json: { Response: { Timeout: 3, RequestId: 'r1' } } }]);
    standIn.script('scf.ListTriggers', [
      { tencentError: { code: 'UnauthorizedOperation', message: 'no CAM permission' } },
    ]);
    const result = await run();
    expect(result.code).toBe(1);
    expect(results(result)[0].config).toBe('failed');
    expect(annotations(result, 'error')[0]).toMatch(
      /GetFunction answered no `Triggers` list, and ListTriggers: UnauthorizedOperation/,
    );
    expect(triggerWrites()).toEqual([]);
  });

  it('keeps the warning on WeChat’s route, which documents no format for them', async () => {
    triggersInFolder([DAILY]);
    const result = await runAction({
      inputs: withToken(standIn, { 'function-name': 'login', 'code-dir': code.path }),
    });
    expect(result.code).toBe(0);
    expect(triggerWarnings(result)[0]).toMatch(
      /timer triggers of its config\.json were not deployed/,
    );
    expect(results(result)[0].triggers).toBeNull();
  });

  it.each([
    ['a type other than timer', [{ ...DAILY, type: 'cos' }], /type "cos" is not deployed/],
    ['six fields', [{ ...DAILY, config: '0 0 2 * * *' }], /has 6 fields, not SCF's 7/],
    ['a second out of range', [{ ...DAILY, config: '60 0 2 * * * *' }], /"60" in its second field/],
    ['a bad character', [{ ...DAILY, config: '0 0 2 ? * * *' }], /"\?" in its day field/],
    ['a name given twice', [DAILY, DAILY], /the name daily is given twice/],
    ['a bad name', [{ ...DAILY, name: 'daily run' }], /the name "daily run" must be/],
    ['no cron', [{ name: 'daily', type: 'timer' }], /`config` must be the cron/],
  ])('refuses %s as an input error before any request', async (_, triggers, says) => {
    triggersInFolder(triggers);
    const result = await runAction({
      inputs: withKeys(standIn, { 'function-name': 'login', 'code-dir': code.path }),
    });
    expect(result.code).toBe(1);
    const errors = annotations(result, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error::Input `code-dir`/);
    expect(errors[0]).toMatch(says);
    expect(standIn.requests).toEqual([]);
  });
});

describe('crons', () => {
  it('takes SCF’s seven fields, with names, ranges, lists and steps', () => {
    for (const cron of [
      '0 0 2 * * * *',
      '*/5 1-10/2 0,12 1 JAN-MAR mon-fri 2026',
      '0 0 0 31 12 6 2099',
    ]) {
      expect(cronProblem(cron), cron).toBeUndefined();
    }
    for (const cron of [
      '0 0 24 * * * *',
      '0 0 2 0 * * *',
      '0 0 2 * 13 * *',
      '0 0 2 * * 7 *',
      '0 0 2 * * * 1969',
      '0 0 2 * * * */0',
      '0 5-1 2 * * * *',
    ]) {
      expect(cronProblem(cron), cron).toBeDefined();
    }
  });

  it('reads a timer back wrapped or plain, as the same normalised cron', () => {
    expect(heldCron('{"cron":"0 0 2 * * * *"}')).toBe(normalCron(' 0 0  2 * * * * '));
    expect(heldCron('0 0 2 * * * *')).toBe('0 0 2 * * * *');
    expect(heldCron('{"cron":')).toBeUndefined();
    expect(heldCron(undefined)).toBeUndefined();
  });

  it('names the file and the entry of what is wrong', () => {
    expect(() => readTriggers(['daily'], 'f/config.json')).toThrow(
      /^f\/config\.json: `triggers\[0\]` must be/,
    );
  });
});
