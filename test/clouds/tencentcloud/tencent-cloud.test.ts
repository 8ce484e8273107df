// Tencent Cloud's route against the stand-in: its keys (given, or exchanged for the WeChat token
// once), and each call of the Cloud interface as CloudBase's Tencent Cloud API carries it out on
// the functions WeChat's routes see too.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttemptEvent, PreparedCode } from '../../../src/clouds/cloud.js';
import {
  TencentCloud,
  type TencentCloudOptions,
} from '../../../src/clouds/tencentcloud/tencent-cloud.js';
import { HINTS_EXISTS, SAYS_EXISTS } from '../../../src/clouds/wechat/errcodes.js';
import { WeChatClient } from '../../../src/clouds/wechat/wechat-client.js';
import type { WeChatCredentials } from '../../../src/secrets/credentials.js';
import { Secrets } from '../../../src/secrets/secrets.js';
import { type StandIn, startStandIn } from '../../../stand-in/server.js';
import { testTransport } from '../../support/net.js';
import { ENV, recordedRetry } from '../../support/steps.js';
import { zipOf } from '../../support/zip-fixtures.js';

let standIn: StandIn;
let secrets: Secrets;
let masked: string[];
let events: AttemptEvent[];

beforeEach(async () => {
  standIn = await startStandIn();
  masked = [];
  events = [];
  secrets = new Secrets((value) => masked.push(value));
});
afterEach(() => standIn.close());

function remotes() {
  return {
    transport: testTransport(),
    secrets,
    // Sleeps recorded, not slept; none of these tests looks at them.
    retry: recordedRetry([]),
    onAttempt: (e: AttemptEvent) => events.push(e),
  };
}

function wechatClient(credentials?: WeChatCredentials): WeChatClient {
  return new WeChatClient({
    ...remotes(),
    baseUrl: standIn.url,
    credentials: credentials ?? { kind: 'access-token', accessToken: standIn.accessToken },
  });
}

/**
 * The route with the stand-in's keys, or, with `exchange`, keys from WeChat for the token (of
 * this client, or of one with the stand-in's token).
 */
function cloud(
  options: { exchange?: WeChatClient | true } & Partial<TencentCloudOptions> = {},
): TencentCloud {
  const { exchange, ...rest } = options;
  const keys = { secretId: standIn.tcb.secretId, secretKey: standIn.tcb.secretKey };
  return new TencentCloud({
    ...remotes(),
    env: ENV,
    endpoint: standIn.tcbUrl,
    region: 'ap-shanghai',
    runtime: 'Nodejs18.15',
    memoryMb: 256,
    ...(exchange ? { wechat: exchange === true ? wechatClient() : exchange } : { keys }),
    ...rest,
  });
}

function code(files: Record<string, string> = { 'index.js': 'exports.main = () => 1;' }) {
  return { zip: zipOf(files), sha256: 'x', installDependencies: true } satisfies PreparedCode;
}

describe('connect', () => {
  it('with keys given, asks WeChat nothing', async () => {
    expect(await cloud().connect()).toBeUndefined();
    expect(standIn.calls('getqcloudtoken')).toEqual([]);
  });

  it('without keys, exchanges the token once, masking the keys the moment they arrive', async () => {
    const route = cloud({ exchange: true });
    const [refused, listing] = await Promise.all([route.connect(), route.list(), route.list()]);
    expect(refused).toBeUndefined();
    expect(listing.ok).toBe(true);
    expect(standIn.calls('getqcloudtoken')).toHaveLength(1);
    expect(standIn.calls('getqcloudtoken')[0].body).toEqual({ lifespan: 7200 });
    const [keys] = standIn.tcb.issued;
    expect(masked).toEqual(expect.arrayContaining([keys.secretId, keys.secretKey, keys.token]));
    for (const request of standIn.calls('ListFunctions')) {
      expect(request.headers['x-tc-token']).toBe(keys.token);
      expect(request.headers.authorization).toContain(`Credential=${keys.secretId}/`);
    }
  });

  it('names getqcloudtoken when its hourly limit is reached', async () => {
    for (let i = 0; i < 10; i++) standIn.tcb.issue(60);
    const refused = await cloud({ exchange: true }).connect();
    expect(refused).toMatchObject({
      from: 'Tencent Cloud keys from tcb/getqcloudtoken',
      outcome: { errcode: 45009, hint: expect.stringMatching(/10 times an hour/) },
    });
  });

  it('names stable_token when no token could be minted', async () => {
    const wechat = wechatClient({ kind: 'app-secret', appId: standIn.appId, appSecret: 'wrong' });
    const refused = await cloud({ exchange: wechat }).connect();
    expect(refused).toMatchObject({
      from: 'an access token from cgi-bin/stable_token',
      outcome: { errcode: 40125 },
    });
    expect(standIn.calls('getqcloudtoken')).toEqual([]);
  });
});

describe('list', () => {
  it('pages with EnvId, Offset and Limit 20, reading SCF’s fields', async () => {
    for (let i = 0; i < 45; i++) standIn.put(ENV, `fn${i}`, { runtime: 'Nodejs16.13' });
    standIn.put(ENV, 'broken', {
      status: 'CreateFailed',
      reason: { errcode: 'ResourceNotFound.File', errmsg: 'no index.js' },
    });
    const listing = await cloud().list();
    if (!listing.ok) throw new Error(listing.outcome.errmsg);
    expect(listing.functions.size).toBe(46);
    expect(listing.functions.get('fn0')).toEqual({
      name: 'fn0',
      status: 'Active',
      runtime: 'Nodejs16.13',
      modTime: expect.stringMatching(/^\d{4}-/),
    });
    expect(listing.functions.get('broken')).toMatchObject({
      status: 'CreateFailed',
      reason: 'ResourceNotFound.File: no index.js',
    });
    expect(standIn.calls('ListFunctions').map((r) => r.body)).toEqual(
      [0, 20, 40].map((Offset) => ({ EnvId: ENV, Offset, Limit: 20 })),
    );
  });

  it('fails on an answer without Functions', async () => {
    standIn.script('ListFunctions', [{ json: { Response: { RequestId: 'r' } } }]);
    expect(await cloud().list()).toEqual({
      ok: false,
      outcome: expect.objectContaining({
        errmsg: 'ListFunctions answered with no `Functions` list',
      }),
    });
  });
});

describe('create', () => {
  it('sends one CreateFunction with the code and the settings, seen by WeChat’s list', async () => {
    const settings = { timeout: 20, environment: new Map([['MODE', 'prod']]) };
    const created = await cloud().create('login', { code: code(), settings });
    expect(created).toMatchObject({ ok: true, attempts: 1, unclear: [] });
    const [request] = standIn.calls('CreateFunction');
    expect(request.body).toEqual({
      EnvId: ENV,
      FunctionName: 'login',
      Handler: 'index.main',
      Runtime: 'Nodejs18.15',
      MemorySize: 256,
      Role: 'TCB_QcsRole',
      Stamp: 'MINI_QCBASE',
      Timeout: 20,
      InstallDependency: 'TRUE',
      Environment: { Variables: [{ Key: 'MODE', Value: 'prod' }] },
      Code: { ZipFile: code().zip.toString('base64') },
      CodeSource: 'ZipFile',
    });
    const listing = await wechatClient().listFunctions(ENV);
    expect(listing.ok && listing.functions.get('login')).toMatchObject({ runtime: 'Nodejs18.15' });
    expect(standIn.code(ENV, 'login')).toEqual(code().zip);
    expect(await cloud().readSettings('login', true)).toEqual({
      ok: true,
      value: { ...settings, memoryMb: 256 },
    });
  });

  it('creates a function without code: the name, the environment, what it runs on', async () => {
    const created = await cloud().create('seed', {});
    expect(created).toMatchObject({ ok: true, attempts: 1 });
    expect(standIn.calls('CreateFunction')[0].body).toEqual({
      EnvId: ENV,
      FunctionName: 'seed',
      Runtime: 'Nodejs18.15',
      MemorySize: 256,
      Role: 'TCB_QcsRole',
      Stamp: 'MINI_QCBASE',
    });
    expect(standIn.functions(ENV)).toContain('seed');
  });

  it('fails on an SCFErrorCode in a success answer, with its message', async () => {
    standIn.script('CreateFunction', [
      {
        json: { Response: { RequestId: 'r', SCFErrorCode: 'LimitExceeded', SCFErrorMsg: 'quota' } },
      },
    ]);
    const created = await cloud().create('login', { code: code() });
    expect(created).toMatchObject({
      ok: false,
      attempts: 1,
      unclear: [],
      outcome: { errmsg: 'SCFErrorCode LimitExceeded: quota', unclear: false },
    });
  });

  it('says a function exists in words the orchestrator checks against the list', async () => {
    standIn.put(ENV, 'login');
    const created = await cloud().create('login', { code: code() });
    expect(created.ok).toBe(false);
    expect(created.outcome.errmsg).toMatch(/^ResourceInUse\.Function: /);
    expect(HINTS_EXISTS.test(created.outcome.errmsg)).toBe(true);
    expect(SAYS_EXISTS.test(created.outcome.errmsg)).toBe(true);
  });

  it('counts a lost answer as unclear: it may have created the function', async () => {
    standIn.script('CreateFunction', [{ reset: true, apply: true }]);
    const created = await cloud().create('login', { code: code() });
    expect(created).toMatchObject({ ok: false, attempts: 2, unclear: [1] });
    expect(created.outcome.errmsg).toMatch(/^ResourceInUse\.Function/);
  });

  it('sends nothing for a body over 10 MiB', async () => {
    const big = { ...code(), zip: Buffer.alloc(8 * 1024 * 1024) };
    const created = await cloud().create('login', { code: big });
    expect(created).toMatchObject({ ok: false, attempts: 0 });
    expect(created.outcome.errmsg).toMatch(/over the 10 MiB a signed request may carry/);
    expect(created.outcome.hint).toMatch(/install-dependencies: true/);
    expect(standIn.calls('CreateFunction')).toEqual([]);
  });
});

describe('upload', () => {
  it('is accepted: the function goes Updating with the new code', async () => {
    standIn.put(ENV, 'login');
    const sent = await cloud().upload('login', code());
    expect(sent).toMatchObject({
      kind: 'accepted',
      detail: expect.stringMatching(/^ok \(RequestId /),
    });
    expect(standIn.calls('UpdateFunctionCode')[0].body).toEqual({
      EnvId: ENV,
      FunctionName: 'login',
      Handler: 'index.main',
      InstallDependency: 'TRUE',
      Code: { ZipFile: code().zip.toString('base64') },
      CodeSource: 'ZipFile',
    });
    expect(standIn.held(ENV, 'login')?.status).toBe('Updating');
    expect(standIn.code(ENV, 'login')).toEqual(code().zip);
  });

  it('waits for a busy function, and retries what is transient', async () => {
    standIn.put(ENV, 'login', 'Updating');
    expect(await cloud().upload('login', code())).toMatchObject({ kind: 'refused', next: 'wait' });
    standIn.script('UpdateFunctionCode', [{ status: 503 }]);
    expect(await cloud().upload('login', code())).toMatchObject({
      kind: 'refused',
      next: 'retry',
      httpStatus: 503,
      outcome: { unclear: true },
    });
  });

  it('fails on an SCFErrorCode in a success answer', async () => {
    standIn.put(ENV, 'login');
    standIn.script('UpdateFunctionCode', [
      { json: { Response: { RequestId: 'r', SCFErrorCode: 'InternalError', SCFErrorMsg: 'no' } } },
    ]);
    expect(await cloud().upload('login', code())).toMatchObject({
      kind: 'refused',
      next: 'fail',
      outcome: { errmsg: 'SCFErrorCode InternalError: no' },
    });
  });
});

describe('settings', () => {
  it('reads the timeout and memory from CloudBase, the variables from SCF, values masked as read', async () => {
    standIn.put(ENV, 'login', {
      configs: {
        3: JSON.stringify({ timeout: 7, environment: [{ key: 'A', value: 's3cr3t-a' }] }),
      },
    });
    const route = cloud();
    expect(await route.readSettings('login', true)).toEqual({
      ok: true,
      value: { timeout: 7, memoryMb: 256, environment: new Map([['A', 's3cr3t-a']]) },
    });
    expect(masked).toContain('s3cr3t-a');
    expect(standIn.calls('scf.GetFunction')[0].body).toEqual({
      FunctionName: 'login',
      Namespace: ENV,
    });
    // Without variables to touch, SCF is not asked.
    expect(await route.readSettings('login', false)).toEqual({
      ok: true,
      value: { timeout: 7, memoryMb: 256 },
    });
    expect(standIn.calls('scf.GetFunction')).toHaveLength(1);
    const written = await route.writeSettings('login', {
      timeout: 9,
      environment: new Map([['B', 'b']]),
    });
    expect(written).toBeUndefined();
    expect(standIn.calls('UpdateFunctionConfiguration')[0].body).toEqual({
      FunctionName: 'login',
      EnvId: ENV,
      Timeout: 9,
      Environment: { Variables: [{ Key: 'B', Value: 'b' }] },
    });
    expect(JSON.parse(standIn.held(ENV, 'login')?.configs.get(3) ?? '')).toEqual({
      timeout: 9,
      environment: [{ key: 'B', value: 'b' }],
      memorySize: 256,
    });
  });

  it.each([
    [
      'refuses',
      { tencentError: { code: 'UnauthorizedOperation', message: 'no CAM' } },
      /UnauthorizedOperation: no CAM/,
    ],
    [
      'answers no Environment',
      { json: { Response: { RequestId: 'r', Timeout: 3 } } },
      /no `Environment`/,
    ],
  ])('takes the variables as unknown when SCF %s', async (_how, fault, why) => {
    standIn.put(ENV, 'login');
    standIn.script('scf.GetFunction', [fault]);
    const read = await cloud().readSettings('login', true);
    if (!read.ok) throw new Error(read.outcome.errmsg);
    expect(read.value.environment).toBeUndefined();
    expect(read.value.unread).toMatch(why);
    expect(read.value.timeout).toBe(3);
  });

  it('writes only what it is given: a memory size alone sends no Environment', async () => {
    standIn.put(ENV, 'login');
    expect(await cloud().writeSettings('login', { memoryMb: 512 })).toBeUndefined();
    expect(standIn.calls('UpdateFunctionConfiguration')[0].body).toEqual({
      FunctionName: 'login',
      EnvId: ENV,
      MemorySize: 512,
    });
  });

  it('takes what an answer leaves out as unknown, and fails on a function not there', async () => {
    standIn.put(ENV, 'login');
    standIn.script('GetFunction', [{ json: { Response: { RequestId: 'r' } } }]);
    expect(await cloud().readSettings('login', false)).toEqual({ ok: true, value: {} });
    const missing = await cloud().readSettings('gone', false);
    expect(missing.ok || missing.outcome.errmsg).toMatch(/^ResourceNotFound\.Function: /);
  });
});

describe('invoke', () => {
  it("goes through WeChat's invokecloudfunction with the token", async () => {
    standIn.put(ENV, 'login');
    const invoked = await cloud({ wechat: wechatClient() }).invoke('login', '{"a":1}');
    expect(invoked).toEqual({
      ok: true,
      response: JSON.stringify({ event: { a: 1 }, function: 'login' }),
    });
  });

  it('fails without a WeChat token', async () => {
    const invoked = await cloud().invoke('login', '{}');
    expect(invoked.ok || invoked.outcome.errmsg).toMatch(/WeChat token/);
  });
});
