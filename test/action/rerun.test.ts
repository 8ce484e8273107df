// A re-run tells the truth: a function the list shows is judged by its state, before the run and
// once a wait ends; a list refused for good stops the run before anything else is sent; the
// outputs say one thing. Each case runs dist/index.js as the runner starts it, against the
// stand-in.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunResult, runAction } from '../../stand-in/runner.js';
import { type Fault, type Placed, type StandIn, startStandIn } from '../../stand-in/server.js';
import { annotations, expectNoLeak, results } from '../support/leaks.js';
import { codeFolders, ENV, withApp, withToken } from '../support/steps.js';

let standIn: StandIn;
const code = codeFolders(['login', 'pay']);

beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

/** Nothing on stderr, and no credential anywhere. */
function expectQuiet(result: RunResult): void {
  expect(result.stderr).toBe('');
  expectNoLeak(result, [standIn.accessToken, standIn.appSecret, standIn.mintedToken]);
}

async function run(inputs: Record<string, string> = {}): Promise<RunResult> {
  const result = await runAction({ inputs: withToken(standIn, inputs) });
  expectQuiet(result);
  return result;
}

const withCode = (inputs: Record<string, string> = {}) => ({ 'code-dir': code.path, ...inputs });
const place = (status: string, more: Placed = {}) => standIn.put(ENV, 'login', { status, ...more });
const reason = { errcode: 'ResourceNotFound.File', errmsg: 'no index.js found' };

describe('a function the list shows before the run, with if-exists: skip', () => {
  it('Active: `exists`, nothing sent to it', async () => {
    place('Active');
    const result = await run();
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ status: 'exists', state: 'Active', errcode: 0 });
    expect(standIn.requests.map((r) => r.route)).toEqual(['listfunctions']);
  });

  it.each(['Creating', 'Updating', 'Publishing', 'UpdatingAndPublishing'])(
    '%s: waited for like a function this run created, then `exists` when Active',
    async (status) => {
      place('Active');
      // Listed settling before the run and at the first look; Active from then on.
      const settling: Fault = {
        json: { errcode: 0, errmsg: 'ok', functions: [{ name: 'login', status, mod_time: 't' }] },
      };
      standIn.script('listfunctions', [settling, settling]);
      const result = await run({ 'retry-delay-ms': '20' });
      expect(result.code).toBe(0);
      expect(results(result)[0]).toMatchObject({ status: 'exists', state: 'Active' });
      expect(result.stdout).toMatch(
        new RegExp(`^waiting for login \\(${status}\\): \\d+ s of 60$`, 'm'),
      );
      expect(standIn.calls('createfunction')).toEqual([]);
    },
  );

  it('Updating until the wait runs out: `failed`, saying so', async () => {
    place('Updating', { settles: { ms: 60_000, status: 'Active' } });
    const result = await run({ 'wait-timeout-seconds': '1' });
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({
      status: 'failed',
      state: 'Updating',
      errcode: null,
      errmsg: 'still Updating after waiting 1 s (wait-timeout-seconds)',
    });
  });

  it('Updating, reaching UpdateFailed while waited for: `failed` with its status_reason', async () => {
    place('Updating', { settles: { ms: 50, status: 'UpdateFailed', reason } });
    const result = await run({ 'retry-delay-ms': '20' });
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({
      status: 'failed',
      state: 'UpdateFailed',
      errmsg: 'UpdateFailed: ResourceNotFound.File: no index.js found',
    });
  });

  it.each([[false], [true]])(
    'CreateFailed: `failed` with its reason and what to do; nothing sent to it (code-dir: %s)',
    async (code) => {
      place('CreateFailed', { reason });
      const result = await run(code ? withCode() : {});
      expect(result.code).toBe(1);
      expect(results(result)[0]).toMatchObject({
        status: 'failed',
        state: 'CreateFailed',
        errmsg: 'CreateFailed: ResourceNotFound.File: no index.js found',
        code: null,
      });
      expect(annotations(result, 'error')).toEqual([
        expect.stringMatching(
          /^::error::login: CreateFailed: ResourceNotFound\.File: no index\.js found\. This API has no call that deletes a function: delete it in the cloud development console, then run again/,
        ),
      ]);
      expect(standIn.requests.map((r) => r.route)).toEqual(['listfunctions']);
    },
  );

  it('UpdateFailed, without code-dir: `failed`: the code in the cloud is not the code last sent', async () => {
    place('UpdateFailed', { reason });
    const result = await run();
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({ status: 'failed', state: 'UpdateFailed' });
    expect(result.outputs.errmsg).toBe('UpdateFailed: ResourceNotFound.File: no index.js found');
    expect(annotations(result, 'error')[0]).toMatch(/deploy the code again \(`code-dir`\)/);
  });

  it('UpdateFailed, with code-dir: the upload repairs it, and the state after decides', async () => {
    place('UpdateFailed', { reason });
    const result = await run(withCode());
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({
      status: 'exists',
      state: 'Active',
      code: 'deployed',
    });
    expect(standIn.calls('scf')).toHaveLength(1);
  });

  it.each([
    ['Deleting', /^Deleting$/, /being deleted/],
    ['Frozen', /^Frozen$/, /not one the action knows/],
  ])('%s: `failed`, naming the state', async (status, errmsg, hint) => {
    place(status);
    const result = await run(withCode());
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({ status: 'failed', state: status, code: null });
    expect(results(result)[0].errmsg).toMatch(errmsg);
    expect(annotations(result, 'error')[0]).toMatch(hint);
    expect(standIn.calls('scf')).toEqual([]);
  });

  it('wait-timeout-seconds: 0: a settling function is `exists` with its state, one warning names it', async () => {
    place('Updating', { settles: { ms: 60_000, status: 'Active' } });
    standIn.put(ENV, 'pay', { status: 'Creating', settles: { ms: 60_000, status: 'Active' } });
    const result = await run({ 'function-name': 'login\npay', 'wait-timeout-seconds': '0' });
    expect(result.code).toBe(0);
    expect(
      results(result).map((r: { status: string; state: string }) => [r.status, r.state]),
    ).toEqual([
      ['exists', 'Updating'],
      ['exists', 'Creating'],
    ]);
    expect(annotations(result, 'warning::Not Active')).toEqual([
      '::warning::Not Active, and not waited for (wait-timeout-seconds is 0): login (Updating), pay (Creating).',
    ]);
  });

  it('with code-dir, a settling function is waited for before its upload, even with 0', async () => {
    place('Updating', { settles: { ms: 100, status: 'Active' } });
    const result = await run(withCode({ 'wait-timeout-seconds': '0', 'retry-delay-ms': '20' }));
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ code: 'deployed' });
    // Sent once, when it could take the code.
    expect(standIn.calls('scf')).toHaveLength(1);
  });
});

describe('a dry run', () => {
  it('judges listed functions the same way, and fails where the real run would', async () => {
    place('CreateFailed', { reason });
    standIn.put(ENV, 'pay');
    const result = await run({ 'function-name': 'login\npay', 'dry-run': 'true' });
    expect(result.code).toBe(1);
    expect(results(result).map((r: { status: string }) => r.status)).toEqual(['failed', 'exists']);
    expect(standIn.requests.map((r) => r.route)).toEqual(['listfunctions']);
  });

  it('predicts a zip too large for the upload body, before anything is sent', async () => {
    writeFileSync(join(code.path, 'login', 'big.bin'), randomBytes(8 * 1024 * 1024));
    const result = await run(withCode({ 'function-name': 'login', 'dry-run': 'true' }));
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({ status: 'failed', code: 'failed', errcode: null });
    expect(result.outputs.errmsg).toMatch(
      /^code: Function folder .*login: its zip would be larger than \d+ bytes \(7\.5 MiB\): its largest file is big\.bin \(8\.0 MiB\)\.$/,
    );
  });
});

describe('a list refused for good stops the run', () => {
  const refusals: [string, Fault][] = [
    ['40001', { errcode: 40001, errmsg: 'invalid credential' }],
    ['40014', { errcode: 40014, errmsg: 'invalid access_token' }],
    ['41001', { errcode: 41001, errmsg: 'access_token missing' }],
    ['42001', { errcode: 42001, errmsg: 'access_token expired' }],
    ['40164', { errcode: 40164, errmsg: 'invalid ip 1.2.3.4, not in whitelist' }],
    ['61004', { errcode: 61004, errmsg: 'access clientip is not registered' }],
    ['85088', { errcode: 85088, errmsg: 'no cloud development' }],
  ];

  it.each(refusals)('%s: nothing else is sent, one error with one hint', async (_code, fault) => {
    standIn.script('listfunctions', [fault]);
    const result = await run(withCode({ 'function-name': 'login\npay' }));
    expect(result.code).toBe(1);
    expect(standIn.requests.map((r) => r.route)).toEqual(['listfunctions']);
    const errors = annotations(result, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(
        `^::error::Nothing was sent after the list: the list of the functions in ${ENV} was refused: errcode ${fault.errcode} `,
      ),
    );
    expect(annotations(result, 'warning::Could not')).toEqual([]);
    expect(result.summary).toMatch(/Nothing was sent after the list/);
    expect(results(result).map((r: { status: string }) => r.status)).toEqual(['failed', 'failed']);
    expect(result.outputs).toMatchObject({ status: 'failed', errcode: String(fault.errcode) });
  });

  it('an environment that does not exist, answered as WeChat answers it', async () => {
    const result = await run({ env: 'nope-1a2b3c' });
    expect(result.code).toBe(1);
    expect(standIn.requests.map((r) => r.route)).toEqual(['listfunctions']);
    const errors = annotations(result, 'error');
    expect(errors).toEqual([
      expect.stringMatching(
        /^::error::Nothing was sent after the list: .*errcode -501000 \(environment does not exist\): "\[100003\] env not exists \(nope-1a2b3c\) TcbCode: \[INVALID_ENV\].*`env` names no cloud environment/,
      ),
    ]);
  });

  it('42001 on a minted token: minted again once, and then the run stops', async () => {
    const expired: Fault = { errcode: 42001, errmsg: 'access_token expired' };
    standIn.script('listfunctions', [expired, expired]);
    const result = await runAction({ inputs: withApp(standIn) });
    expectQuiet(result);
    expect(result.code).toBe(1);
    expect(standIn.requests.map((r) => r.route)).toEqual([
      'stable_token',
      'listfunctions',
      'stable_token',
      'listfunctions',
    ]);
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(
        /^::error::Nothing was (tried|sent after the list): .*errcode 42001 .*minted again/,
      ),
    ]);
  });

  it('a hint is said once, however many functions the refusal stops', async () => {
    standIn.script('listfunctions', [{ errcode: 40014, errmsg: 'invalid access_token' }]);
    const result = await run({ 'function-name': 'login\npay\nnotify' });
    const said = result.stdout.split('authorizer_access_token` for the mini program').length - 1;
    expect(said).toBe(1);
  });
});

describe('the outputs', () => {
  it('code: `deployed` when every function got its code', async () => {
    const result = await run(withCode({ 'function-name': 'login\npay' }));
    expect(result.outputs).toMatchObject({ status: 'created', code: 'deployed', errcode: '0' });
  });

  it('code: `failed` when any upload failed; errcode empty, as a Tencent Cloud answer decided', async () => {
    standIn.script(
      'scf',
      [{ tencentError: { code: 'AuthFailure.SignatureFailure', message: 'bad signature' } }],
      'pay',
    );
    const result = await run(withCode({ 'function-name': 'login\npay' }));
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({
      status: 'failed',
      code: 'failed',
      errcode: '',
      errmsg: expect.stringMatching(/^code upload: AuthFailure\.SignatureFailure: bad signature/),
    });
  });

  it('code: empty without code-dir', async () => {
    expect((await run()).outputs.code).toBe('');
  });

  it('errcode: empty when a wait ran out, errmsg saying so', async () => {
    await standIn.close();
    standIn = await startStandIn({ createMs: 60_000 });
    const result = await run({ 'wait-timeout-seconds': '1' });
    expect(result.outputs).toMatchObject({
      errcode: '',
      errmsg: 'still Creating after waiting 1 s for Active (wait-timeout-seconds)',
    });
  });
});

describe('code sent to a function', () => {
  it('waits for a function just created and not listed yet, before its first upload', async () => {
    const empty: Fault = { json: { errcode: 0, errmsg: 'ok', total_count: 0, functions: [] } };
    const empties = [empty, empty, empty];
    standIn.script('listfunctions', empties);
    const result = await run(withCode({ 'retry-delay-ms': '5' }));
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ status: 'created', code: 'deployed' });
    expect(standIn.calls('scf')).toHaveLength(1);
    // Sent its code only once a list showed it: every empty answer was spent before the upload,
    // so the last list before it was the stand-in's own, which shows the function.
    const routes = standIn.requests.map((r) => r.route);
    const beforeUpload = routes.slice(0, routes.indexOf('scf'));
    expect(beforeUpload.slice(0, 2)).toEqual(['listfunctions', 'createfunction']);
    expect(beforeUpload.filter((route) => route === 'listfunctions').length).toBeGreaterThan(
      empties.length,
    );
  });

  it('waits for a just-created function before its upload even with wait-timeout-seconds: 0', async () => {
    await standIn.close();
    standIn = await startStandIn({ createMs: 100 });
    const result = await run(withCode({ 'wait-timeout-seconds': '0', 'retry-delay-ms': '20' }));
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ code: 'deployed' });
    expect(standIn.calls('scf')).toHaveLength(1);
  });

  it.each<[string, Fault]>([
    ['a lost answer', { hang: true, apply: true }],
    ['a reset', { reset: true, apply: true }],
    ['a 5xx', { status: 503, apply: true }],
    [
      'a rate limit',
      { tencentError: { code: 'RequestLimitExceeded', message: 'slow down' }, apply: true },
    ],
    ['an answer that is neither a success nor an error', { json: { Response: {} }, apply: true }],
  ])('is not sent again after %s, when the list shows it took', async (_name, fault) => {
    standIn.script('scf', [fault], 'login');
    const result = await run(withCode({ 'request-timeout-ms': '500' }));
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ code: 'deployed', state: 'Active' });
    expect(standIn.calls('scf')).toHaveLength(1);
  });

  it.each<[string, Fault]>([
    ['an answer that is neither a success nor an error', { json: { Response: [] } }],
    ['errors under another name', { json: { Response: { Errors: [{ Code: 'X' }] } } }],
  ])('is sent again after %s, when the list shows it did not take', async (_name, fault) => {
    standIn.script('scf', [fault], 'login');
    const result = await run(withCode());
    expect(result.code).toBe(0);
    expect(standIn.calls('scf')).toHaveLength(2);
  });

  it('fails with the state when the function ends in one the action does not know', async () => {
    standIn.put(ENV, 'login');
    standIn.script('scf', [{ apply: true }], 'login');
    const odd: Fault = {
      json: {
        errcode: 0,
        errmsg: 'ok',
        functions: [{ name: 'login', status: 'Frozen', mod_time: 'x' }],
      },
    };
    standIn.script('listfunctions', [{}, odd]);
    const result = await run(withCode());
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({ code: 'failed', state: 'Frozen' });
    expect(result.outputs.errmsg).toBe('code upload: Frozen');
  });
});

describe('uploads over slow links', () => {
  it('a 2 MiB upload read at 200 KiB/s is not cut by a request-timeout-ms of 3000', {
    timeout: 60_000,
  }, async () => {
    // Random bytes do not deflate: in base64, the body is 2 MiB.
    writeFileSync(join(code.path, 'login', 'data.bin'), randomBytes(1536 * 1024));
    standIn.put(ENV, 'login');
    standIn.readSlowly({ bytesPerSecond: 200 * 1024 });
    const result = await run(withCode({ 'request-timeout-ms': '3000' }));
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ code: 'deployed' });
    expect(standIn.calls('scf')).toHaveLength(1);
  });

  it('an upload that stops moving for longer fails that attempt as stalled; the next goes through', async () => {
    // A body larger than the socket buffers of both ends take, so that the stall shows while
    // the body is being sent.
    writeFileSync(join(code.path, 'login', 'data.bin'), randomBytes(7 * 1024 * 1024));
    standIn.put(ENV, 'login');
    standIn.readSlowly({ stallAfterBytes: 64 * 1024, stallMs: 5_000 });
    const result = await run(withCode({ 'request-timeout-ms': '500', 'retry-delay-ms': '1' }));
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ code: 'deployed' });
    expect(result.stdout).toMatch(/^login: upload attempt 1 of 5: .*sending stalled/m);
  });
});
