// The stand-in's CloudBase Tencent Cloud API itself, through node:http with requests signed by
// src/clouds/tencentcloud/tc3.ts: the signature checks, the keys getqcloudtoken hands out, and the
// actions on the functions the stand-in WeChat API holds.
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tc3Sign } from '../../src/clouds/tencentcloud/tc3.js';
import type { Keys } from '../../src/secrets/credentials.js';
import { type StandIn, type StandInOptions, startStandIn } from '../../stand-in/server.js';
import { wechatPost } from '../support/net.js';
import { ENV } from '../support/steps.js';
import { zipOf } from '../support/zip-fixtures.js';

let standIn: StandIn;

async function start(options: StandInOptions = {}): Promise<void> {
  await standIn?.close();
  standIn = await startStandIn(options);
}

beforeEach(() => start());
afterEach(() => standIn.close());

interface Sent {
  keys?: Keys;
  /** Seconds off the clock. */
  age?: number;
  /** Sent instead of the body that was signed. */
  body?: string;
  headers?: Record<string, string>;
  version?: string;
  /** The service the signature's scope names: `tcb` unless told. */
  service?: string;
}

interface Response {
  RequestId: string;
  Error?: { Code: string; Message: string };
  [field: string]: unknown;
}

/** `action` with `params`, signed with the stand-in's key unless told otherwise. */
function call(action: string, params: object, sent: Sent = {}): Promise<Response> {
  const text = JSON.stringify(params);
  const { headers } = tc3Sign({
    url: `${standIn.tcbUrl}/`,
    service: sent.service ?? 'tcb',
    action,
    version: sent.version ?? (sent.service === 'scf' ? '2018-04-16' : '2018-06-08'),
    body: text,
    timestamp: Math.floor(Date.now() / 1000) - (sent.age ?? 0),
    keys: sent.keys ?? { secretId: standIn.tcb.secretId, secretKey: standIn.tcb.secretKey },
  });
  return new Promise((resolve, reject) => {
    const req = request(`${standIn.tcbUrl}/`, {
      method: 'POST',
      headers: { ...headers, ...sent.headers },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(JSON.parse(body).Response));
    });
    req.on('error', reject);
    req.end(sent.body ?? text);
  });
}

const code = (files: Record<string, string> = { 'index.js': 'exports.main = () => 1;' }) => ({
  ZipFile: zipOf(files).toString('base64'),
});

const create = (params: object = {}) =>
  call('CreateFunction', {
    EnvId: ENV,
    FunctionName: 'login',
    Handler: 'index.main',
    Runtime: 'Nodejs18.15',
    Code: code(),
    ...params,
  });

describe('signatures', () => {
  it('takes a request signed with its key, and records it under its action', async () => {
    const answer = await call('ListFunctions', { EnvId: ENV });
    expect(answer).toEqual({
      Functions: [],
      TotalCount: 0,
      RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(standIn.calls('ListFunctions')).toHaveLength(1);
  });

  it.each<[string, Sent, string]>([
    [
      'a body other than the one signed',
      { body: '{"EnvId":"prod-3gewtf9c10f60c76"}' },
      'AuthFailure.SignatureFailure',
    ],
    [
      'an unknown secret id',
      { keys: { secretId: 'x', secretKey: 'y' } },
      'AuthFailure.SecretIdNotFound',
    ],
    [
      'an empty secret id',
      { keys: { secretId: '', secretKey: 'y' } },
      'AuthFailure.InvalidAuthorization',
    ],
    [
      'another Host',
      { headers: { Host: 'tcb.tencentcloudapi.com' } },
      'AuthFailure.SignatureFailure',
    ],
    [
      'another Content-Type',
      { headers: { 'Content-Type': 'text/plain' } },
      'AuthFailure.SignatureFailure',
    ],
    ['no Authorization', { headers: { Authorization: '' } }, 'AuthFailure.InvalidAuthorization'],
    ['a signature six minutes old', { age: 360 }, 'AuthFailure.SignatureExpire'],
    ['another version', { version: '2018-04-16' }, 'InvalidAction'],
    [
      'a token with the account key',
      { headers: { 'X-TC-Token': 'tok' } },
      'AuthFailure.TokenFailure',
    ],
  ])('refuses %s', async (_what, sent, expected) => {
    expect((await call('ListFunctions', { EnvId: ENV }, sent)).Error?.Code).toBe(expected);
  });

  it('refuses the right id with a wrong key: the signature does not match', async () => {
    const keys = { secretId: standIn.tcb.secretId, secretKey: 'wrong' };
    expect((await call('ListFunctions', { EnvId: ENV }, { keys })).Error?.Code).toBe(
      'AuthFailure.SignatureFailure',
    );
  });

  it('refuses an action it does not serve, and a body over 10 MB', async () => {
    expect((await call('DeleteFunction', { EnvId: ENV })).Error?.Code).toBe('InvalidAction');
    const big = await call('UpdateFunctionCode', {
      Code: { ZipFile: 'A'.repeat(10 * 1024 * 1024) },
    });
    expect(big.Error?.Code).toBe('RequestSizeLimitExceeded');
  });
});

describe('getqcloudtoken', () => {
  const qcloud = (body: object, token?: string) =>
    wechatPost(standIn, 'getqcloudtoken', body, token);

  it('hands out keys that sign with their token until they expire', async () => {
    const answer = await qcloud({ lifespan: 7200 });
    expect(answer).toEqual({
      errcode: 0,
      errmsg: 'ok',
      secretid: expect.stringMatching(/^AKID/),
      secretkey: expect.any(String),
      token: expect.any(String),
      expired_time: expect.any(Number),
    });
    expect(answer.expired_time).toBeGreaterThan(Date.now() / 1000 + 7100);
    const keys = { secretId: answer.secretid as string, secretKey: answer.secretkey as string };
    const withToken = { keys, headers: { 'X-TC-Token': answer.token as string } };
    expect((await call('ListFunctions', { EnvId: ENV }, withToken)).Error).toBeUndefined();
    expect((await call('ListFunctions', { EnvId: ENV }, { keys })).Error?.Code).toBe(
      'AuthFailure.TokenFailure',
    );
    standIn.tcb.expireTemporaryKeys();
    expect((await call('ListFunctions', { EnvId: ENV }, withToken)).Error?.Code).toBe(
      'AuthFailure.TokenFailure',
    );
  });

  it('checks the token and the lifespan, and answers 45009 past 10 an hour', async () => {
    expect(await qcloud({ lifespan: 60 }, 'nope')).toMatchObject({ errcode: 40014 });
    expect(await qcloud({ lifespan: 7201 })).toMatchObject({ errcode: 40097 });
    for (let i = 0; i < 10; i++)
      expect(await qcloud({ lifespan: 60 })).toMatchObject({ errcode: 0 });
    expect(await qcloud({ lifespan: 60 })).toMatchObject({ errcode: 45009 });
    expect(standIn.tcb.issued).toHaveLength(10);
  });
});

describe('the actions, on the functions WeChat’s API holds', () => {
  it('creates a function with its code and settings: Creating, then Active, listed on both', async () => {
    await start({ createMs: 50 });
    const environment = { Variables: [{ Key: 'A', Value: 'a' }] };
    expect((await create({ Timeout: 7, Environment: environment })).Error).toBeUndefined();
    expect(standIn.status(ENV, 'login')).toBe('Creating');
    await new Promise((resolve) => setTimeout(resolve, 60));
    const [listed] = (await call('ListFunctions', { EnvId: ENV })).Functions as object[];
    expect(listed).toMatchObject({
      FunctionName: 'login',
      Status: 'Active',
      Runtime: 'Nodejs18.15',
    });
    const got = await call('GetFunction', { EnvId: ENV, FunctionName: 'login' });
    expect(got).toMatchObject({ Timeout: 7, MemorySize: 256 });
    // CloudBase's model answers no variables; SCF's, asked with the environment as namespace, does.
    expect(got.Environment).toBeUndefined();
    const scf = { service: 'scf' };
    const held = await call('GetFunction', { Namespace: ENV, FunctionName: 'login' }, scf);
    expect(held).toMatchObject({ Timeout: 7, Environment: environment, Namespace: ENV });
    expect((await create()).Error?.Code).toBe('ResourceInUse.Function');
  });

  it('tells tcb from SCF by the signed service and the version, never by the action alone', async () => {
    standIn.put(ENV, 'login');
    const get = { Namespace: ENV, FunctionName: 'login' };
    const asTcb = await call('GetFunction', get, { version: '2018-04-16' });
    expect(asTcb.Error?.Code).toBe('InvalidAction');
    const asScf = await call('GetFunction', get, { service: 'scf', version: '2018-06-08' });
    expect(asScf.Error?.Code).toBe('InvalidAction');
    expect((await call('ListFunctions', { Namespace: ENV }, { service: 'scf' })).Error?.Code).toBe(
      'InvalidAction',
    );
    expect(standIn.calls('scf.GetFunction')).toHaveLength(1);
    expect(standIn.calls('GetFunction')).toHaveLength(1);
  });

  it('creates a function without code or handler, on any runtime CloudBase documents', async () => {
    const bare = { EnvId: ENV, FunctionName: 'seed', Runtime: 'Nodejs20.19' };
    const answer = await call('CreateFunction', {
      ...bare,
      Role: 'TCB_QcsRole',
      Stamp: 'MINI_QCBASE',
    });
    expect(answer.Error).toBeUndefined();
    expect(Object.keys(answer)).toEqual(['RequestId']);
    expect(standIn.held(ENV, 'seed')?.runtime).toBe('Nodejs20.19');
    expect((await create({ Handler: undefined, Runtime: 'Nodejs24.11' })).Error).toBeUndefined();
    // Fields the model has are taken, though the action sends none of them.
    const ordered = await call('ListFunctions', { EnvId: ENV, Order: 'ASC', Orderby: 'AddTime' });
    expect(ordered.Error).toBeUndefined();
  });

  it('refuses a runtime it does not offer, a parameter it does not know, a missing one', async () => {
    expect((await create({ Runtime: 'Nodejs99.1' })).Error?.Code).toBe(
      'InvalidParameterValue.Runtime',
    );
    expect((await create({ Region: 'x' })).Error?.Code).toBe('UnknownParameter');
    expect((await call('GetFunction', { FunctionName: 'login' })).Error?.Code).toBe(
      'MissingParameter',
    );
    expect((await call('ListFunctions', { EnvId: 'none-1' })).Error?.Code).toBe('ResourceNotFound');
    expect(standIn.functions(ENV)).toEqual([]);
  });

  it.each<[string, object, string]>([
    ['a number as a string', { Timeout: '3' }, 'Timeout'],
    [
      'a string for a list of objects',
      { Environment: { Variables: 'K=v' } },
      'Environment.Variables',
    ],
    ['an object for a string', { Code: { ZipFile: { base64: '' } } }, 'Code.ZipFile'],
    ['a list item of another type', { Environment: { Variables: [1] } }, 'Environment.Variables.0'],
    [
      'a nested number for a string',
      { Environment: { Variables: [{ Key: 'K', Value: 1 }] } },
      'Environment.Variables.0.Value',
    ],
    ['null for an object', { Environment: null }, 'Environment'],
  ])('refuses a value of another type than the model declares: %s', async (_what, params, path) => {
    expect((await create(params)).Error).toEqual({
      Code: 'InvalidParameter',
      Message: `The value type of parameter \`${path}\` is not valid.`,
    });
    expect(standIn.functions(ENV)).toEqual([]);
  });

  it('takes each value of the type the model declares, at every depth', async () => {
    const environment = { Variables: [{ Key: 'K', Value: '1' }] };
    expect((await create({ Timeout: 3, Environment: environment })).Error).toBeUndefined();
    const scf = { service: 'scf' };
    const triggers = { Namespace: ENV, FunctionName: 'login', Offset: 0, Limit: 10 };
    expect((await call('ListTriggers', triggers, scf)).Error).toBeUndefined();
    expect((await call('ListTriggers', { ...triggers, Limit: '10' }, scf)).Error?.Code).toBe(
      'InvalidParameter',
    );
  });

  it('ends CreateFailed for a zip without index.js at its root', async () => {
    await create({ Code: code({ 'main.js': '' }) });
    const [listed] = (await call('ListFunctions', { EnvId: ENV })).Functions as object[];
    expect(listed).toMatchObject({
      Status: 'CreateFailed',
      StatusReasons: [{ ErrorCode: 'ResourceNotFound.File', ErrorMessage: expect.any(String) }],
    });
  });

  it('takes code while Active only, and is Updating until a list has shown it', async () => {
    standIn.put(ENV, 'login', 'Creating');
    const update = () =>
      call('UpdateFunctionCode', {
        EnvId: ENV,
        FunctionName: 'login',
        Handler: 'index.main',
        Code: code(),
      });
    expect((await update()).Error?.Code).toBe('FailedOperation.UpdateFunctionCode');
    standIn.put(ENV, 'login');
    expect((await update()).Error).toBeUndefined();
    expect(standIn.status(ENV, 'login')).toBe('Updating');
    await call('ListFunctions', { EnvId: ENV });
    expect(standIn.status(ENV, 'login')).toBe('Active');
  });

  it('configures what getfuncconfig then reads, keeping the variables when none are sent', async () => {
    standIn.put(ENV, 'login', {
      configs: { 3: JSON.stringify({ timeout: 3, environment: [{ key: 'K', value: 'v' }] }) },
    });
    const answer = await call('UpdateFunctionConfiguration', {
      EnvId: ENV,
      FunctionName: 'login',
      Timeout: 30,
    });
    expect(answer.Error).toBeUndefined();
    expect(standIn.status(ENV, 'login')).toBe('Updating');
    const read = await wechatPost(standIn, 'getfuncconfig', {
      type: 3,
      env: ENV,
      function_name: 'login',
    });
    expect(JSON.parse(read.config as string)).toEqual({
      timeout: 30,
      environment: [{ key: 'K', value: 'v' }],
      memorySize: 256,
    });
  });

  it('answers a scripted fault for one function only', async () => {
    standIn.put(ENV, 'login').put(ENV, 'pay');
    standIn.script(
      'GetFunction',
      [{ tencentError: { code: 'InternalError', message: 'x' } }],
      'pay',
    );
    expect(
      (await call('GetFunction', { EnvId: ENV, FunctionName: 'login' })).Error,
    ).toBeUndefined();
    expect((await call('GetFunction', { EnvId: ENV, FunctionName: 'pay' })).Error?.Code).toBe(
      'InternalError',
    );
  });
});
