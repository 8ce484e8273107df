// The stand-in itself, through plain fetch: the code upload as WeChat and Tencent Cloud take it.
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type StandIn, type StandInOptions, startStandIn } from '../../stand-in/server.js';
import { wechatPost } from '../support/net.js';
import { ENV } from '../support/steps.js';
import { zipOf } from '../support/zip-fixtures.js';

const INDEX = 'exports.main = async () => "hi";\n';
let standIn: StandIn;

async function start(options: StandInOptions = {}): Promise<void> {
  await standIn?.close();
  standIn = await startStandIn({ existing: { [ENV]: ['login'] }, ...options });
}

beforeEach(() => start());
afterEach(() => standIn.close());

const zip = (files: Record<string, string> = { 'index.js': INDEX }) =>
  zipOf(files).toString('base64');

/** An UpdateFunctionCode body for `login`, as the client sends it. */
function uploadBody(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    CodeSecret: standIn.codeSecret,
    EnvId: ENV,
    FunctionName: 'login',
    Handler: 'index.main',
    ZipFile: zip(),
    InstallDependency: 'TRUE',
    ...fields,
  });
}

/** getuploadsignature's headers for `text`, split as the client splits them. */
async function sign(text: string): Promise<Record<string, string>> {
  const hashed_payload = createHash('sha256').update(text).digest('hex');
  const answer = await wechatPost(standIn, 'getuploadsignature', { hashed_payload });
  expect(answer).toMatchObject({ errcode: 0, errmsg: 'ok' });
  return Object.fromEntries(
    (answer.headers as string).split('\r\n').map((line) => {
      const at = line.indexOf(':');
      return [line.slice(0, at), line.slice(at + 1)];
    }),
  );
}

interface TencentResponse {
  RequestId: string;
  Error?: { Code: string; Message: string };
}

async function post(text: string, headers: Record<string, string>): Promise<TencentResponse> {
  const res = await fetch(standIn.scfUrl, { method: 'POST', headers, body: text });
  expect(res.status).toBe(200);
  return ((await res.json()) as { Response: TencentResponse }).Response;
}

/** Signs `text`, then posts `sent` (the same text unless given) to the SCF endpoint. */
async function upload(text = uploadBody(), sent = text, headers: Record<string, string> = {}) {
  const signed = await sign(text);
  return post(sent, { ...signed, 'Content-Type': 'application/json', ...headers });
}

async function listed(name = 'login') {
  const { functions } = await wechatPost(standIn, 'listfunctions', {
    env: ENV,
    limit: 100,
    offset: 0,
  });
  return (functions as { name: string }[]).find((fn) => fn.name === name);
}

describe('getcodesecret and getuploadsignature', () => {
  it('hand out the code secret and a signature with a token only', async () => {
    expect(await wechatPost(standIn, 'getcodesecret', {})).toEqual({
      errcode: 0,
      errmsg: 'ok',
      codesecret: standIn.codeSecret,
    });
    expect(await wechatPost(standIn, 'getcodesecret', {}, standIn.expiredToken)).toMatchObject({
      errcode: 42001,
    });
    expect(
      await wechatPost(standIn, 'getuploadsignature', { hashed_payload: 'a'.repeat(64) }, 'nope'),
    ).toEqual({
      errcode: 40014,
      errmsg: 'invalid access_token',
    });
  });

  it('signs in TC3 form for the SCF endpoint, now', async () => {
    const headers = await sign('{}');
    const date = new Date().toISOString().slice(0, 10);
    expect(headers.Authorization).toMatch(
      new RegExp(
        `^TC3-HMAC-SHA256 Credential=AKIDstandin/${date}/scf/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$`,
      ),
    );
    expect(headers).toMatchObject({
      Host: standIn.scfHost,
      'X-TC-Action': 'UpdateFunctionCode',
      'X-TC-Version': '2018-04-16',
    });
    expect(Math.abs(Number(headers['X-TC-Timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(standIn.scfUrl).toBe(`http://${standIn.scfHost}`);
  });

  it.each([[{}], [{ hashed_payload: 'ABC' }], [{ hashed_payload: 'A'.repeat(64) }]])(
    'refuses %j with 40097',
    async (body) => {
      expect(await wechatPost(standIn, 'getuploadsignature', body)).toEqual({
        errcode: 40097,
        errmsg: 'invalid args',
      });
    },
  );
});

describe('the SCF endpoint', () => {
  it('takes a signed upload: Updating, then Active, the zip and InstallDependency kept', async () => {
    await start({ updateMs: 400 });
    const answer = await upload();
    expect(answer).toEqual({ RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(await listed()).toMatchObject({ status: 'Updating' });
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await listed()).toMatchObject({ status: 'Active' });
    const files = unzipSync(standIn.code(ENV, 'login') as Buffer);
    expect(Buffer.from(files['index.js']).toString()).toBe(INDEX);
    expect(standIn.installDependency(ENV, 'login')).toBe('TRUE');
    const [request] = standIn.calls('scf');
    expect(request).toMatchObject({ method: 'POST', url: '/', body: { FunctionName: 'login' } });
  });

  it('refuses a body other than the one signed: AuthFailure.SignatureFailure', async () => {
    const answer = await upload(uploadBody(), uploadBody({ Handler: 'index.main ' }));
    expect(answer.Error).toEqual({
      Code: 'AuthFailure.SignatureFailure',
      Message: expect.stringMatching(/not what was signed/),
    });
    expect(standIn.code(ENV, 'login')).toBeUndefined();
  });

  it.each([
    ['no Authorization', { Authorization: '' }],
    ['another Content-Type', { 'Content-Type': 'text/plain' }],
  ])('refuses %s: AuthFailure.SignatureFailure', async (_name, headers) => {
    expect((await upload(uploadBody(), undefined, headers)).Error?.Code).toBe(
      'AuthFailure.SignatureFailure',
    );
  });

  it('refuses another Host: AuthFailure.SignatureFailure', async () => {
    // fetch sets Host itself; node:http sends the one given.
    const text = uploadBody();
    const headers = { ...(await sign(text)), 'Content-Type': 'application/json' };
    const answer = await new Promise<string>((resolve, reject) => {
      const req = request(standIn.scfUrl, {
        method: 'POST',
        headers: { ...headers, Host: 'scf.tencentcloudapi.com' },
      });
      req.on('response', (res) => {
        res.setEncoding('utf8');
        let body = '';
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end(text);
    });
    expect(JSON.parse(answer).Response.Error.Code).toBe('AuthFailure.SignatureFailure');
  });

  it('refuses a signature older than 5 minutes: AuthFailure.SignatureExpire; the next is fresh', async () => {
    standIn.signWithAge(301_000);
    expect((await upload()).Error).toEqual({
      Code: 'AuthFailure.SignatureExpire',
      Message: expect.any(String),
    });
    expect((await upload()).Error).toBeUndefined();
  });

  it('refuses a body over 10 MB: RequestSizeLimitExceeded', async () => {
    const text = uploadBody({ ZipFile: 'A'.repeat(10 * 1024 * 1024) });
    expect((await upload(text)).Error?.Code).toBe('RequestSizeLimitExceeded');
    expect(standIn.calls('scf')[0].body).toBeUndefined();
  });

  it.each([
    ['another CodeSecret', { CodeSecret: 'stolen' }, 'AuthFailure.UnauthorizedOperation'],
    ['an unknown EnvId', { EnvId: 'none-1a2b' }, 'ResourceNotFound.Namespace'],
    ['an unknown FunctionName', { FunctionName: 'pay' }, 'ResourceNotFound.Function'],
    ['another Handler', { Handler: 'app.main' }, 'InvalidParameterValue.Handler'],
    [
      'InstallDependency true',
      { InstallDependency: true },
      'InvalidParameterValue.InstallDependency',
    ],
    ['a ZipFile not base64', { ZipFile: 'UEsD!!' }, 'InvalidParameterValue.ZipFile'],
    ['a ZipFile not a zip', { ZipFile: 'aGVsbG8=' }, 'InvalidParameterValue.ZipFile'],
    ['no Handler', { Handler: undefined }, 'InvalidParameter'],
    ['a field it does not know', { Trader: 'index.main' }, 'UnknownParameter'],
  ])('refuses %s', async (_name, fields, code) => {
    expect((await upload(uploadBody(fields))).Error?.Code).toBe(code);
    expect(await listed()).toMatchObject({ status: 'Active' });
  });

  it('refuses another action: InvalidAction', async () => {
    const answer = await upload(uploadBody(), undefined, { 'X-TC-Action': 'DeleteFunction' });
    expect(answer.Error?.Code).toBe('InvalidAction');
  });

  it('refuses a body that is not JSON: InvalidParameter', async () => {
    expect((await upload('not json')).Error?.Code).toBe('InvalidParameter');
  });

  it('says busy while the function is Creating: FailedOperation.UpdateFunctionCode', async () => {
    await start({ createMs: 60_000 });
    expect(
      await wechatPost(standIn, 'createfunction', { env: ENV, function_name: 'pay' }),
    ).toMatchObject({
      errcode: 0,
    });
    expect((await upload(uploadBody({ FunctionName: 'pay' }))).Error).toEqual({
      Code: 'FailedOperation.UpdateFunctionCode',
      Message: 'the function is updating, retry later',
    });
    expect(await listed('pay')).toMatchObject({ status: 'Creating' });
  });

  it('ends UpdateFailed, with the reason listed, for a zip without index.js at its root', async () => {
    const answer = await upload(uploadBody({ ZipFile: zip({ 'src/index.js': INDEX }) }));
    expect(answer.Error).toBeUndefined();
    // An update shows in a list before it settles, as a real one takes longer than a round trip.
    expect(await listed()).toMatchObject({ status: 'Updating', status_reason: [] });
    expect(await listed()).toMatchObject({
      status: 'UpdateFailed',
      status_reason: [
        { errcode: 'ResourceNotFound.File', errmsg: 'index.js not found at the root of the zip' },
      ],
    });
    expect((await upload()).Error).toBeUndefined();
    expect(await listed()).toMatchObject({ status: 'Updating', status_reason: [] });
    expect(await listed()).toMatchObject({ status: 'Active', status_reason: [] });
  });
});

describe('faults of the SCF endpoint', () => {
  it('answers a scripted Tencent error for one function only', async () => {
    await wechatPost(standIn, 'createfunction', { env: ENV, function_name: 'pay' });
    const tencentError = { code: 'InternalError', message: 'scripted' };
    standIn.script('scf', [{ tencentError }], 'pay');
    expect((await upload()).Error).toBeUndefined();
    expect((await upload(uploadBody({ FunctionName: 'pay' }))).Error).toEqual({
      Code: 'InternalError',
      Message: 'scripted',
    });
    expect(standIn.code(ENV, 'pay')).toBeUndefined();
  });

  it('takes the code, then loses the answer, with apply', async () => {
    standIn.script('scf', [{ reset: true, apply: true }]);
    await expect(upload()).rejects.toThrow();
    expect(standIn.code(ENV, 'login')).toBeDefined();
  });

  it('sends half of a Tencent answer with truncate, and hangs until closed with hang', async () => {
    standIn.script('scf', [{ truncate: true }, { hang: true }]);
    const text = uploadBody();
    const headers = { ...(await sign(text)), 'Content-Type': 'application/json' };
    const res = await fetch(standIn.scfUrl, { method: 'POST', headers, body: text });
    await expect(res.text()).rejects.toThrow();
    const hung = fetch(standIn.scfUrl, { method: 'POST', headers, body: text });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await standIn.close();
    await expect(hung).rejects.toThrow();
    expect(standIn.scfConnections).toBe(2);
  });
});
