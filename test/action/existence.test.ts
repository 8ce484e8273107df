// How the bundled action decides that a function exists, was created, or failed: by asking
// WeChat's list, never by the wording of an answer or the history of attempts. Each case runs
// dist/index.js as the runner starts it, against the stand-in.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunResult, runAction } from '../../stand-in/runner.js';
import { type Fault, type StandIn, startStandIn } from '../../stand-in/server.js';
import { annotations, commands, expectNoLeak, results } from '../support/leaks.js';
import { ENV, withToken } from '../support/steps.js';

let standIn: StandIn;

beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

async function run(inputs: Record<string, string> = {}): Promise<RunResult> {
  const result = await runAction({ inputs: withToken(standIn, inputs) });
  expect(result.stderr).toBe('');
  expectNoLeak(result, [standIn.accessToken]);
  return result;
}

describe('a function listed before the run', () => {
  it('is `exists` with no create request, whatever else happens', async () => {
    standIn.put(ENV, 'login');
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'exists', errcode: '0', attempts: '0' });
    expect(results(result)).toEqual([
      {
        function_name: 'login',
        status: 'exists',
        state: 'Active',
        runtime: 'Nodejs8.9',
        errcode: 0,
        errmsg: 'ok',
        attempts: 0,
        code: null,
        code_sha256: null,
        config: null,
        triggers: null,
        invoke: null,
      },
    ]);
    expect(standIn.calls('createfunction')).toEqual([]);
  });

  it('fails with if-exists: fail, while the other functions are still created', async () => {
    standIn.put(ENV, 'login');
    const result = await run({ 'function-name': 'login\npay', 'if-exists': 'fail' });
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({
      status: 'failed',
      errcode: '',
      errmsg: `already exists in ${ENV}, and \`if-exists\` is \`fail\``,
    });
    // A function has one status, `failed` exactly when it fails the step; its state says it is there.
    expect(results(result)).toMatchObject([
      { status: 'failed', state: 'Active' },
      { status: 'created' },
    ]);
    expect(standIn.functions(ENV)).toContain('pay');
    expect(annotations(result, 'error')).toHaveLength(1);
  });

  // Each of these, met by a create, once made a function that existed before the run look
  // `created`; met by the list now, it is retried, and no create is sent.
  it.each<[string, Fault[]]>([
    ['a refused CONNECT or gateway error', [{ status: 502 }]],
    ['a reset keep-alive connection', [{ reset: true }]],
    ['a lost answer', [{ hang: true }]],
  ])('is never `created`, even when the list first meets %s', async (_name, faults) => {
    standIn.put(ENV, 'login');
    standIn.script('listfunctions', faults);
    const result = await run({ 'if-exists': 'fail' });
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({
      status: 'failed',
      errmsg: expect.stringMatching(/^already exists/),
    });
    expect(standIn.calls('createfunction')).toEqual([]);
  });
});

describe('a create answer that hints at existence is checked against the list', () => {
  it.each([
    [-501000, '[ResourceInUse] 资源被占用'],
    [-501000, '[ResourceInUse.Namespace] namespace busy'],
    [-501000, '函数已经存在'],
    [-1, 'Function login exists'],
  ])('errcode %i %j, and the function is not there: `failed`', async (errcode, errmsg) => {
    standIn.script('createfunction', [{ errcode, errmsg }]);
    const result = await run({ 'max-attempts': '1' });
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({ status: 'failed', errcode, errmsg, state: null });
    expect(standIn.calls('listfunctions')).toHaveLength(2);
  });

  it.each([
    [-501000, '函数已经存在'],
    [-501000, 'Function login exists'],
  ])('errcode %i %j, and another run created it meanwhile: `exists`', async (errcode, errmsg) => {
    standIn.script('createfunction', [{ apply: true, errcode, errmsg }]);
    const result = await run();
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('exists');
    expect(results(result)[0]).toMatchObject({ status: 'exists', state: 'Active', attempts: 1 });
    expect(result.summary).toMatch(/another run created it meanwhile/);
  });
});

describe('a create that may have worked without saying so', () => {
  const unclear: [string, Fault][] = [
    ['no answer', { hang: true }],
    ['a reset', { reset: true }],
    ['a 502', { status: 502 }],
    ['a body that is not JSON', { body: '<html>gateway</html>' }],
    ['errcode -501002', { errcode: -501002, errmsg: 'response timeout' }],
    ['an unknown errcode', { errcode: 77777, errmsg: 'new' }],
  ];

  it.each(unclear)('%s, and the list shows it now: `created`', async (_name, fault) => {
    standIn.script('createfunction', [{ ...fault, apply: true }]);
    const result = await run({ 'if-exists': 'fail', 'max-attempts': '1' });
    expect(result.code).toBe(0);
    // The list decided, so its answer is the one the result carries.
    expect(results(result)[0]).toMatchObject({
      status: 'created',
      state: 'Active',
      attempts: 1,
      errcode: 0,
      errmsg: 'listed after attempt 1, whose answer was lost: that attempt created it',
    });
    expect(result.summary).toMatch(/listed after attempt 1, whose answer was lost/);
  });

  it.each(unclear)('%s, and the list does not show it: `failed`', async (_name, fault) => {
    standIn.script('createfunction', [fault]);
    const result = await run({ 'max-attempts': '1' });
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({ status: 'failed', state: null });
    expect(standIn.functions(ENV)).toEqual([]);
  });

  it('a lost answer, then a retry told it exists: `created`, even with if-exists: fail', async () => {
    standIn.script('createfunction', [{ reset: true, apply: true }]);
    const result = await run({ 'if-exists': 'fail' });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'created', attempts: '2' });
  });
});

it('pages through the list: 45 functions in three pages', async () => {
  const names = Array.from({ length: 45 }, (_, i) => `fn${i}`);
  for (const name of names) standIn.put(ENV, name);
  const result = await run({ 'function-name': 'fn0\nfn44\nlogin' });
  expect(result.code).toBe(0);
  expect(results(result).map((r: { status: string }) => r.status)).toEqual([
    'exists',
    'exists',
    'created',
  ]);
  expect(standIn.calls('listfunctions').map((c) => (c.body as { offset: number }).offset)).toEqual([
    0, 20, 40, 0, 20, 40,
  ]);
  expect(standIn.calls('createfunction')).toHaveLength(1);
});

describe('waiting until Active', () => {
  it('lists until a created function is Active, with a growing pause', async () => {
    await standIn.close();
    standIn = await startStandIn({ createMs: 150 });
    const result = await run({ 'retry-delay-ms': '10' });
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ status: 'created', state: 'Active' });
    const lists = standIn.calls('listfunctions').length;
    // A busy loop would list hundreds of times in 150 ms; backoff from 10 ms lists a handful.
    expect(lists).toBeGreaterThan(2);
    expect(lists).toBeLessThan(10);
  });

  it('fails a function that ends CreateFailed, with its status_reason', async () => {
    await standIn.close();
    standIn = await startStandIn({ createMs: 20 });
    standIn.failCreate('pay', { errcode: 'ResourceNotFound.File', errmsg: 'no code file' });
    const result = await run({ 'function-name': 'login\npay' });
    expect(result.code).toBe(1);
    expect(results(result)).toEqual([
      expect.objectContaining({ function_name: 'login', status: 'created', state: 'Active' }),
      expect.objectContaining({
        function_name: 'pay',
        status: 'failed',
        state: 'CreateFailed',
        errcode: null,
        errmsg: 'CreateFailed: ResourceNotFound.File: no code file',
      }),
    ]);
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(/^::error::pay: CreateFailed: ResourceNotFound\.File: no code file/),
    ]);
  });

  it('fails past wait-timeout-seconds, naming the functions still not Active', async () => {
    await standIn.close();
    standIn = await startStandIn({ createMs: 60_000 });
    const result = await run({ 'function-name': 'login\npay', 'wait-timeout-seconds': '1' });
    expect(result.code).toBe(1);
    expect(results(result).map((r: { state: string }) => r.state)).toEqual([
      'Creating',
      'Creating',
    ]);
    expect(result.outputs.errmsg).toMatch(/still Creating after waiting 1 s/);
    expect(annotations(result, 'error').join('\n')).toMatch(
      /login: still Creating[\s\S]*pay: still Creating/,
    );
  });

  it('does not wait with wait-timeout-seconds: 0, and says what is not Active yet', async () => {
    await standIn.close();
    standIn = await startStandIn({ createMs: 60_000 });
    const result = await run({ 'wait-timeout-seconds': '0' });
    expect(result.code).toBe(0);
    // The list before, and one after to tell the state as it is: no wait between.
    expect(standIn.calls('listfunctions')).toHaveLength(2);
    expect(results(result)[0]).toMatchObject({ status: 'created', state: 'Creating' });
    expect(commands(result.stdout)).toContain(
      '::warning::Not Active, and not waited for (wait-timeout-seconds is 0): login (Creating).',
    );
  });
});

describe('dry run', () => {
  it('lists and reports what a real run would do, creating nothing', async () => {
    standIn.put(ENV, 'login');
    const result = await run({ 'function-name': 'login\npay', 'dry-run': 'true' });
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('would-create');
    expect(results(result).map((r: { status: string }) => r.status)).toEqual([
      'exists',
      'would-create',
    ]);
    expect(standIn.calls('createfunction')).toEqual([]);
    expect(result.summary).toMatch(/Dry run/);
  });

  it('says `exists` when nothing would be created', async () => {
    standIn.put(ENV, 'login');
    const result = await run({ 'dry-run': 'true' });
    expect(result.outputs.status).toBe('exists');
  });

  it('fails on if-exists: fail meeting a function that exists, and on a list it cannot read', async () => {
    standIn.put(ENV, 'login');
    expect((await run({ 'dry-run': 'true', 'if-exists': 'fail' })).code).toBe(1);
    standIn.script('listfunctions', [{ errcode: 48001, errmsg: 'api unauthorized' }]);
    const result = await run({ 'dry-run': 'true' });
    expect(result.code).toBe(1);
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(
        /^::error::Nothing was sent after the list: the list of the functions in test-777bb9 was refused: errcode 48001/,
      ),
    ]);
    expect(standIn.calls('createfunction')).toEqual([]);
  });
});

describe('when the list cannot be had', () => {
  it.each<[string, Fault[], RegExp]>([
    ['refused (48001)', [{ errcode: 48001, errmsg: 'api unauthorized' }], /errcode 48001 /],
    [
      'refused (61007)',
      [{ errcode: 61007, errmsg: 'api is unauthorized to component' }],
      /errcode 61007 /,
    ],
    [
      'busy until attempts are spent',
      Array(2).fill({ errcode: -1, errmsg: 'system busy' }),
      /errcode -1 /,
    ],
    ['a 502 until attempts are spent', Array(2).fill({ status: 502 }), /HTTP 502 /],
  ])(
    '%s: creates by the answers, then fails, as no state was seen',
    async (_name, faults, cause) => {
      standIn.script('listfunctions', faults);
      standIn.put(ENV, 'pay');
      const result = await run({ 'function-name': 'login\npay', 'max-attempts': '2' });
      // Green means runnable, and without a list nothing is known to be.
      expect(result.code).toBe(1);
      expect(results(result)).toMatchObject([
        {
          status: 'failed',
          errmsg: expect.stringMatching(/^created, but not known to be runnable/),
        },
        { status: 'failed', errmsg: expect.stringMatching(/^sent, but not known to be runnable/) },
      ]);
      expect(result.outputs.errmsg).toMatch(/the list of functions was refused/);
      const errors = annotations(result, 'error');
      expect(errors.join('\n')).toMatch(cause);
      expect(errors.join('\n')).not.toMatch(/Nothing was/);
      // One create each: the answer to it decided.
      const created = standIn
        .calls('createfunction')
        .map((c) => (c.body as { function_name: string }).function_name);
      expect(created.sort()).toEqual(['login', 'pay']);
      expect(result.summary).toMatch(/no function is known to be runnable, and the step fails/);
    },
  );
});
