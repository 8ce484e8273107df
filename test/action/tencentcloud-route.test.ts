// The bundled action on `api: tencentcloud`, as the runner starts it, against the stand-in's
// CloudBase Tencent Cloud API, which checks every TC3 signature, on the same functions as the
// stand-in WeChat API. No run may show a key, a session token or a signature.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunResult, runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { SCF_ROUTES, TCB_ACTIONS } from '../../stand-in/tencentcloud.js';
import { annotations, commands, expectNoLeak, issuedSecrets, results } from '../support/leaks.js';
import { codeFolders, ENV, withAppKeys, withKeys, withToken } from '../support/steps.js';

let standIn: StandIn;
const code = codeFolders(['login', 'pay']);

beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

const TENCENT_ROUTES: readonly string[] = [...TCB_ACTIONS, ...SCF_ROUTES];
const tcbRequests = () => standIn.requests.filter((r) => TENCENT_ROUTES.includes(r.route));
const routes = () => standIn.requests.map((r) => r.route);

/** Runs the action; no key, token, signature or variable value may show. */
async function run(inputs: Record<string, string>, secrets: string[] = []): Promise<RunResult> {
  const result = await runAction({ inputs });
  const signed = tcbRequests().flatMap((r) => {
    const authorization = String(r.headers.authorization);
    const signature = /Signature=(\w+)/.exec(authorization)?.[1] ?? authorization;
    const token = r.headers['x-tc-token'];
    return [authorization, signature, ...(typeof token === 'string' ? [token] : [])];
  });
  const issued = issuedSecrets(standIn);
  expectNoLeak(result, [
    standIn.tcb.secretId,
    standIn.tcb.secretKey,
    standIn.appSecret,
    standIn.mintedToken,
    ...issued,
    ...signed,
    ...secrets,
  ]);
  expect(result.stderr).toBe('');
  return result;
}

describe('a function that does not exist', () => {
  it('is created with its code, timeout and variables in one CreateFunction', async () => {
    const result = await run(
      withKeys(standIn, {
        'code-dir': code.path,
        'timeout-seconds': '20',
        environment: 'MODE=prod\nTOKEN=s3cr3t-value',
      }),
      ['s3cr3t-value'],
    );
    expect(result.code).toBe(0);
    expect(results(result)).toEqual([
      expect.objectContaining({
        status: 'created',
        state: 'Active',
        runtime: 'Nodejs20.19',
        code: 'deployed',
        config: 'updated',
      }),
    ]);
    expect(new Set(routes())).toEqual(new Set(['ListFunctions', 'CreateFunction']));
    expect(standIn.calls('CreateFunction')[0].body).toMatchObject({
      Runtime: 'Nodejs20.19',
      MemorySize: 256,
      Role: 'TCB_QcsRole',
      Stamp: 'MINI_QCBASE',
      Timeout: 20,
      InstallDependency: 'TRUE',
    });
    expect(JSON.parse(standIn.held(ENV, 'login')?.configs.get(3) ?? '')).toEqual({
      memorySize: 256,
      timeout: 20,
      environment: [
        { key: 'MODE', value: 'prod' },
        { key: 'TOKEN', value: 's3cr3t-value' },
      ],
    });
    expect(result.stdout).toContain("test-777bb9: 1 function through Tencent Cloud's API");
    expect(result.summary).toContain('Through Tencent Cloud&#39;s API');
  });

  it('is created without `code-dir`: the name and the environment are all CreateFunction needs', async () => {
    const result = await run(withKeys(standIn, { 'timeout-seconds': '20' }));
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ status: 'created', state: 'Active', code: null });
    expect(standIn.calls('CreateFunction').map((r) => r.body)).toEqual([
      {
        EnvId: ENV,
        FunctionName: 'login',
        Runtime: 'Nodejs20.19',
        MemorySize: 256,
        Role: 'TCB_QcsRole',
        Stamp: 'MINI_QCBASE',
        Timeout: 20,
      },
    ]);
    expect(standIn.calls('UpdateFunctionCode')).toEqual([]);
  });

  it('fails at once when CreateFunction answers an SCFErrorCode, with its message', async () => {
    standIn.script('CreateFunction', [
      {
        json: {
          Response: { RequestId: 'r1', SCFErrorCode: 'LimitExceeded', SCFErrorMsg: 'over quota' },
        },
      },
    ]);
    const result = await run(withKeys(standIn, { 'code-dir': code.path, 'retry-delay-ms': '1' }));
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      errmsg: 'SCFErrorCode LimitExceeded: over quota',
    });
    // Failed on its answer: no wait for a function that was never made.
    expect(standIn.calls('ListFunctions')).toHaveLength(1);
  });

  it('warns once above the 1.5 MiB Tencent’s own client sends inline, naming each function', async () => {
    for (const name of ['login', 'pay']) {
      writeFileSync(join(code.path, name, 'big.bin'), randomBytes(1024 * 1024 + 700 * 1024));
    }
    const result = await run(
      withKeys(standIn, {
        'function-name': 'login\npay',
        'code-dir': code.path,
        'install-dependencies': 'false',
      }),
    );
    for (const name of ['login', 'pay']) writeFileSync(join(code.path, name, 'big.bin'), '');
    expect(result.code).toBe(0);
    expect(annotations(result, 'warning').filter((w) => /object storage/.test(w))).toEqual([
      expect.stringMatching(
        /^::warning::Code over 1\.5 MiB zipped: login \(1\.\d MiB\), pay \(1\.\d MiB\)\. Tencent's own client sends code this large through object storage; this action sends it inline, up to the 10\.0 MiB/,
      ),
    ]);
  });

  it('fails alone when its body is over 10 MiB, with nothing sent for it', async () => {
    writeFileSync(join(code.path, 'pay', 'big.bin'), randomBytes(8 * 1024 * 1024));
    const result = await run(
      withKeys(standIn, {
        'function-name': 'login\npay',
        'code-dir': code.path,
        'install-dependencies': 'false',
      }),
    );
    expect(result.code).toBe(1);
    const [login, pay] = results(result);
    expect(login).toMatchObject({ status: 'created', code: 'deployed' });
    expect(pay).toMatchObject({ status: 'failed' });
    expect(pay.errmsg).toMatch(/its zip would be larger than \d+ bytes/);
    expect(
      standIn.calls('CreateFunction').map((r) => (r.body as { FunctionName: string }).FunctionName),
    ).toEqual(['login']);
  });

  it('is created after a busy and a lost answer, the list deciding', async () => {
    standIn.script('CreateFunction', [
      { tencentError: { code: 'RequestLimitExceeded', message: 'slow down' } },
      { reset: true, apply: true },
    ]);
    const result = await run(withKeys(standIn, { 'code-dir': code.path, 'if-exists': 'fail' }));
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ status: 'created', attempts: 3, state: 'Active' });
  });
});

describe('a function that exists', () => {
  const configured = JSON.stringify({
    timeout: 5,
    environment: [
      { key: 'KEEP', value: 'k' },
      { key: 'MODE', value: 'dev' },
    ],
  });

  it('gets its code, and variables merged into those it has', async () => {
    standIn.put(ENV, 'login', { configs: { 3: configured } });
    const result = await run(
      withKeys(standIn, { 'code-dir': code.path, environment: 'MODE=prod\nNEW=n' }),
    );
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({
      status: 'exists',
      state: 'Active',
      code: 'deployed',
      config: 'updated',
    });
    expect(result.stdout).toMatch(
      /^login: exists · .*config updated \(variables: added NEW; changed MODE\)/m,
    );
    expect(JSON.parse(standIn.held(ENV, 'login')?.configs.get(3) ?? '')).toMatchObject({
      timeout: 5,
      environment: [
        { key: 'KEEP', value: 'k' },
        { key: 'MODE', value: 'prod' },
        { key: 'NEW', value: 'n' },
      ],
    });
    expect(new Set(routes())).toEqual(
      new Set([
        'ListFunctions',
        'UpdateFunctionCode',
        'GetFunction',
        'scf.GetFunction',
        'UpdateFunctionConfiguration',
      ]),
    );
    // Only the variables are read from SCF, in the region the inputs name.
    const [scf] = standIn.calls('scf.GetFunction');
    expect(scf.body).toEqual({ FunctionName: 'login', Namespace: ENV });
    expect(scf.headers['x-tc-region']).toBe('ap-shanghai');
    // No timeout was asked, and none is written.
    expect(standIn.calls('UpdateFunctionConfiguration')[0].body).not.toHaveProperty('Timeout');
  });

  it.each([
    ['refuses', { tencentError: { code: 'AuthFailure.UnauthorizedOperation', message: 'no CAM' } }],
    [
      'says the function is not there',
      { tencentError: { code: 'ResourceNotFound.Function', message: 'gone' } },
    ],
    ['answers no Environment', { json: { Response: { RequestId: 'r', Timeout: 5 } } }],
  ])('when SCF %s, merge writes no variable and fails naming replace', async (_how, fault) => {
    standIn.put(ENV, 'login', { configs: { 3: configured } });
    standIn.script('scf.GetFunction', [fault]);
    const result = await run(withKeys(standIn, { environment: 'NEW=n', 'max-attempts': '1' }));
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({ status: 'failed', config: 'failed' });
    expect(results(result)[0].errmsg).toMatch(
      /^configuration: the variables: the variables could not be read: .*none were written; `environment-mode: replace` writes exactly the step's variables/,
    );
    expect(standIn.calls('UpdateFunctionConfiguration')).toEqual([]);
    expect(JSON.parse(standIn.held(ENV, 'login')?.configs.get(3) ?? '')).toEqual(
      JSON.parse(configured),
    );
  });

  it('when SCF refuses, replace still writes, saying the others are removed', async () => {
    standIn.put(ENV, 'login', { configs: { 3: configured } });
    standIn.script('scf.GetFunction', [
      { tencentError: { code: 'UnauthorizedOperation', message: 'no CAM' } },
    ]);
    const result = await run(
      withKeys(standIn, { environment: 'NEW=n', 'environment-mode': 'replace' }),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /config updated \(variables: added NEW; any others the function held removed \(they could not be read\)\)/,
    );
    expect(result.summary).toMatch(/any others the function held removed/);
    expect(JSON.parse(standIn.held(ENV, 'login')?.configs.get(3) ?? '').environment).toEqual([
      { key: 'NEW', value: 'n' },
    ]);
  });

  it('a timeout or memory alone asks SCF nothing and sends no Environment', async () => {
    standIn.put(ENV, 'login', { configs: { 3: configured } });
    const result = await run(withKeys(standIn, { 'timeout-seconds': '9', 'memory-mb': '512' }));
    expect(result.code).toBe(0);
    expect(standIn.calls('scf.GetFunction')).toEqual([]);
    expect(standIn.calls('UpdateFunctionConfiguration').map((r) => r.body)).toEqual([
      { FunctionName: 'login', EnvId: ENV, Timeout: 9, MemorySize: 512 },
    ]);
    expect(result.stdout).toMatch(/config updated \(timeout: 5 s → 9 s; memory: 256 MB → 512 MB\)/);
    const held = JSON.parse(standIn.held(ENV, 'login')?.configs.get(3) ?? '');
    expect(held).toMatchObject({
      timeout: 9,
      memorySize: 512,
      environment: JSON.parse(configured).environment,
    });
    // The same again: nothing differs, nothing is written.
    const again = await run(withKeys(standIn, { 'timeout-seconds': '9', 'memory-mb': '512' }));
    expect(results(again)[0]).toMatchObject({ config: 'unchanged' });
    expect(standIn.calls('UpdateFunctionConfiguration')).toHaveLength(1);
  });

  it('a timeout and memory the answer leaves out are unknown: written only when asked, and said so', async () => {
    standIn.put(ENV, 'login', { configs: { 3: configured } });
    standIn.script('GetFunction', [{ json: { Response: { RequestId: 'r' } } }]);
    const result = await run(withKeys(standIn, { 'memory-mb': '512' }));
    expect(result.code).toBe(0);
    expect(standIn.calls('UpdateFunctionConfiguration').map((r) => r.body)).toEqual([
      { FunctionName: 'login', EnvId: ENV, MemorySize: 512 },
    ]);
    expect(result.stdout).toMatch(/config updated \(memory: set to 512 MB\)/);
  });

  it('gets its variables replaced and its timeout changed', async () => {
    standIn.put(ENV, 'login', { configs: { 3: configured } });
    const result = await run(
      withKeys(standIn, {
        environment: 'MODE=prod',
        'environment-mode': 'replace',
        'timeout-seconds': '9',
      }),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/variables: changed MODE; removed KEEP; timeout: 5 s → 9 s/);
    expect(result.summary).toMatch(/removed KEEP/);
    expect(JSON.parse(standIn.held(ENV, 'login')?.configs.get(3) ?? '')).toEqual({
      memorySize: 256,
      timeout: 9,
      environment: [{ key: 'MODE', value: 'prod' }],
    });
  });

  it('gets its code again after a stale signature, signed anew', async () => {
    standIn.put(ENV, 'login');
    standIn.script('UpdateFunctionCode', [
      { tencentError: { code: 'AuthFailure.SignatureExpire', message: 'Signature expired.' } },
    ]);
    const result = await run(withKeys(standIn, { 'code-dir': code.path }));
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ code: 'deployed' });
    expect(standIn.calls('UpdateFunctionCode')).toHaveLength(2);
    expect(result.stdout).toMatch(
      /login: upload attempt 1 of 5: AuthFailure\.SignatureExpire.*signing again/,
    );
  });
});

describe('the state a re-run finds', () => {
  const reason = { errcode: 'ResourceNotFound.File', errmsg: 'no index.js' };

  it('CreateFailed: fails, sending nothing to it', async () => {
    standIn.put(ENV, 'login', { status: 'CreateFailed', reason });
    const result = await run(withKeys(standIn, { 'code-dir': code.path }));
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({
      status: 'failed',
      state: 'CreateFailed',
      errmsg: 'CreateFailed: ResourceNotFound.File: no index.js',
    });
    expect(annotations(result, 'error').join('\n')).toMatch(
      /delete it in the cloud development console/,
    );
    expect(new Set(routes())).toEqual(new Set(['ListFunctions']));
  });

  it('UpdateFailed with code: repaired by the upload', async () => {
    standIn.put(ENV, 'login', { status: 'UpdateFailed', reason });
    const result = await run(withKeys(standIn, { 'code-dir': code.path }));
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({
      status: 'exists',
      state: 'Active',
      code: 'deployed',
    });
  });

  it('UpdateFailed without code: fails, saying to deploy the code', async () => {
    standIn.put(ENV, 'login', { status: 'UpdateFailed', reason });
    const result = await run(withKeys(standIn));
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({ status: 'failed', state: 'UpdateFailed' });
    expect(annotations(result, 'error').join('\n')).toMatch(/deploy the code again \(`code-dir`\)/);
  });

  it('Updating: waited for until Active', async () => {
    standIn.put(ENV, 'login', { status: 'Updating', settles: { ms: 100, status: 'Active' } });
    const result = await run(withKeys(standIn, { 'retry-delay-ms': '20' }));
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ status: 'exists', state: 'Active' });
    expect(standIn.calls('ListFunctions').length).toBeGreaterThan(1);
  });

  it.each(['UpdatingAndPublishing', 'Publishing'])('%s: waited for until Active', async (state) => {
    standIn.put(ENV, 'login', { status: state, settles: { ms: 100, status: 'Active' } });
    const result = await run(withKeys(standIn, { 'code-dir': code.path, 'retry-delay-ms': '20' }));
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({
      status: 'exists',
      state: 'Active',
      code: 'deployed',
    });
  });

  it('a state it does not know: fails, naming it', async () => {
    standIn.put(ENV, 'login', 'Frozen');
    const result = await run(withKeys(standIn, { 'code-dir': code.path }));
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({ status: 'failed', state: 'Frozen' });
    expect(annotations(result, 'error').join('\n')).toMatch(
      /The state "Frozen" is not one the action knows/,
    );
    expect(standIn.calls('UpdateFunctionCode')).toEqual([]);
  });

  it('wait-timeout-seconds: 0: created, not waited for, and said so', async () => {
    await standIn.close();
    standIn = await startStandIn({ createMs: 60_000 });
    const result = await run(
      withKeys(standIn, { 'code-dir': code.path, 'wait-timeout-seconds': '0' }),
    );
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ status: 'created', state: 'Creating' });
    expect(commands(result.stdout)).toContain(
      '::warning::Not Active, and not waited for (wait-timeout-seconds is 0): login (Creating).',
    );
  });
});

describe('credentials', () => {
  it('refused (AuthFailure.SecretIdNotFound): nothing tried, saying which key', async () => {
    const result = await run(withKeys(standIn, { 'tencentcloud-secret-id': 'AKIDnobody' }));
    expect(result.code).toBe(1);
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(
        /^::error::Nothing was sent after the list: the list of the functions in test-777bb9 was refused: AuthFailure\.SecretIdNotFound: .*check `tencentcloud-secret-id`/,
      ),
    ]);
    expect(routes()).toEqual(['ListFunctions']);
  });

  it('a signature expired on arrival (AuthFailure.SignatureExpire): check the clock', async () => {
    standIn.script('ListFunctions', [
      { tencentError: { code: 'AuthFailure.SignatureExpire', message: 'Signature expired.' } },
    ]);
    const result = await run(withKeys(standIn, { 'code-dir': code.path }));
    expect(result.code).toBe(1);
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(/AuthFailure\.SignatureExpire: Signature expired\..*runner's clock/),
    ]);
    expect(standIn.calls('CreateFunction')).toEqual([]);
  });

  it('exchanged for the token from the app id and secret: once, and invoked through WeChat', async () => {
    const result = await run(
      withAppKeys(standIn, { 'code-dir': code.path, invoke: '{"ping":true}' }),
    );
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ status: 'created', code: 'deployed', invoke: 'ok' });
    expect(standIn.calls('stable_token')).toHaveLength(1);
    expect(standIn.calls('getqcloudtoken')).toHaveLength(1);
    expect(standIn.calls('invokecloudfunction')).toHaveLength(1);
    const [keys] = standIn.tcb.issued;
    for (const request of tcbRequests()) expect(request.headers['x-tc-token']).toBe(keys.token);
    expect(JSON.parse(result.outputs['invoke-results']).login.response).toContain('"ping":true');
  });

  // No answer of this route is a WeChat one but the exchange and the invocation: whichever
  // function comes first, created or listed, errcode is empty.
  it.each([
    ['login\npay', 'the new one first'],
    ['pay\nlogin', 'the listed one first'],
  ])('errcode is empty on one rule: %s (%s)', async (names) => {
    standIn.put(ENV, 'pay');
    const result = await run(withKeys(standIn, { 'code-dir': code.path, 'function-name': names }));
    expect(result.code).toBe(0);
    expect(result.outputs.errcode).toBe('');
    expect(results(result).map((r: { errcode: unknown }) => r.errcode)).toEqual([null, null]);
  });

  it('45009 from getqcloudtoken: nothing tried, naming the hourly limit', async () => {
    for (let i = 0; i < 10; i++) standIn.tcb.issue(60);
    const result = await run(withAppKeys(standIn, { 'code-dir': code.path }));
    expect(result.code).toBe(1);
    // The log, the error and the README's table name it alike: 10 calls an hour, no daily quota.
    expect(result.stdout).toMatch(
      /errcode 45009 \(getqcloudtoken limit reached \(10 calls an hour\)\)/,
    );
    // WeChat’s errmsg says "daily"; the meaning said beside it is the hourly limit.
    expect(result.stdout).not.toMatch(/daily quota reached/);
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(
        /^::error::Nothing was tried: could not get Tencent Cloud keys from tcb\/getqcloudtoken: errcode 45009 .*10 times an hour/,
      ),
    ]);
    expect(tcbRequests()).toEqual([]);
  });

  it.each<[string, Record<string, string>, Record<string, string>, RegExp]>([
    [
      'a secret id without its key',
      { 'tencentcloud-secret-key': '' },
      {},
      /^Input `tencentcloud-secret-key` is required with tencentcloud-secret-id/,
    ],
    [
      'a session token alone',
      {
        'tencentcloud-secret-id': '',
        'tencentcloud-secret-key': '',
        'tencentcloud-session-token': 'a-session-token',
      },
      {},
      /^Input `tencentcloud-session-token` goes with a secret id and key/,
    ],
    [
      'a key pasted with a space',
      { 'tencentcloud-secret-key': 'two words' },
      {},
      /^Input `tencentcloud-secret-key` contains spaces/,
    ],
    [
      'a variable with its key missing',
      { 'tencentcloud-secret-id': '', 'tencentcloud-secret-key': '' },
      { TENCENTCLOUD_SECRET_ID: 'AKIDx' },
      /^Input `TENCENTCLOUD_SECRET_KEY` is required with TENCENTCLOUD_SECRET_ID/,
    ],
    [
      'a plain-http endpoint off loopback',
      { 'tencentcloud-endpoint': 'http://tcb.tencentcloudapi.com' },
      {},
      /^Input `tencentcloud-endpoint` uses plain http to "tcb\.tencentcloudapi\.com"/,
    ],
  ])('%s: an input error, nothing sent', async (_what, inputs, env, message) => {
    const result = await runAction({ inputs: withKeys(standIn, inputs), env });
    expect(result.code).toBe(1);
    expect(result.outputs.errmsg).toMatch(message);
    expect(standIn.requests).toEqual([]);
    expectNoLeak(result, [standIn.tcb.secretKey, 'two words']);
  });
});

describe('one set of functions for both routes', () => {
  it('a function created through Tencent Cloud exists for WeChat, and the reverse', async () => {
    expect((await run(withKeys(standIn, { 'code-dir': code.path }))).code).toBe(0);
    const wechat = await run(withToken(standIn, { 'code-dir': code.path }));
    expect(results(wechat)[0]).toMatchObject({ status: 'exists', code: 'deployed' });

    const pay = await run(withToken(standIn, { 'function-name': 'pay' }));
    expect(results(pay)[0]).toMatchObject({ status: 'created' });
    const tencent = await run(withKeys(standIn, { 'function-name': 'pay', 'code-dir': code.path }));
    expect(results(tencent)[0]).toMatchObject({
      status: 'exists',
      runtime: 'Nodejs8.9',
      code: 'deployed',
    });
    expect(standIn.calls('UpdateFunctionCode')).toHaveLength(1);
  });
});

describe('what this route cannot deploy', () => {
  it.each([
    [['wxacode.get'], 1],
    [[], 0],
  ])('cloud-call permissions %j of config.json: %i warning(s)', async (openapi, count) => {
    writeFileSync(
      join(code.path, 'login', 'config.json'),
      JSON.stringify({ permissions: { openapi } }),
    );
    const result = await run(withKeys(standIn, { 'code-dir': code.path, 'timeout-seconds': '20' }));
    expect(result.code).toBe(0);
    const warnings = annotations(result, 'warning::login: the cloud-call permissions');
    expect(warnings).toHaveLength(count);
    // Created with its settings, the run says what they set.
    expect(result.stdout).toMatch(
      /^login: created · .* · config updated \(timeout: set to 20 s\) · /m,
    );
  });
});
