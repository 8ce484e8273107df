// The client of CloudBase's Tencent Cloud API against the stand-in, which checks every TC3
// signature with keys of its own: what is signed and sent, what is retried, and how each
// refusal is told.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { AttemptEvent } from '../../../src/clouds/cloud.js';
import { TENCENT_CALLS } from '../../../src/clouds/contract.js';
import {
  serviceUrl,
  TencentClient,
  type TencentClientOptions,
} from '../../../src/clouds/tencentcloud/tcb-client.js';
import type { Keys } from '../../../src/secrets/credentials.js';
import { Secrets } from '../../../src/secrets/secrets.js';
import { type Fault, type StandIn, startStandIn } from '../../../stand-in/server.js';
import { testTransport } from '../../support/net.js';
import { ENV, recordedRetry } from '../../support/steps.js';

let standIn: StandIn;
let events: AttemptEvent[];
let sleeps: number[];
let secrets: Secrets;

beforeEach(async () => {
  standIn = await startStandIn();
  events = [];
  sleeps = [];
  secrets = new Secrets();
});
afterEach(() => standIn.close());

function client(options: Partial<TencentClientOptions> = {}): TencentClient {
  return new TencentClient({
    endpoint: standIn.tcbUrl,
    region: 'ap-guangzhou',
    transport: testTransport(),
    keys: { secretId: standIn.tcb.secretId, secretKey: standIn.tcb.secretKey },
    secrets,
    retry: recordedRetry(sleeps),
    onAttempt: (event) => events.push(event),
    ...options,
  });
}

const list = (c: TencentClient) =>
  c.call(TENCENT_CALLS.list, ENV, { EnvId: ENV, Offset: 0, Limit: 20 });

describe('a signed call', () => {
  it('sends the JSON body with TC3 headers, and reads the Response', async () => {
    standIn.put(ENV, 'login');
    const { sent, attempts } = await list(client());
    expect(attempts).toBe(1);
    expect(sent).toMatchObject({ ok: true, url: `${standIn.tcbUrl}/`, httpStatus: 200 });
    expect(sent.outcome).toMatchObject({ errcode: null, errmsg: 'ok', retry: false });
    expect(sent.outcome.json?.Functions).toEqual([
      expect.objectContaining({ FunctionName: 'login', Status: 'Active' }),
    ]);
    const [request] = standIn.calls('ListFunctions');
    expect(request.body).toEqual({ EnvId: ENV, Offset: 0, Limit: 20 });
    expect(request.headers).toMatchObject({
      authorization: expect.stringMatching(
        new RegExp(`^TC3-HMAC-SHA256 Credential=${standIn.tcb.secretId}/\\d{4}-\\d\\d-\\d\\d/tcb/`),
      ),
      'content-type': 'application/json',
      'x-tc-action': 'ListFunctions',
      'x-tc-version': '2018-06-08',
    });
    expect(request.headers['x-tc-token']).toBeUndefined();
    expect(JSON.stringify(request.headers)).not.toContain(standIn.tcb.secretKey);
    expect(events).toEqual([
      expect.objectContaining({ call: 'tencentcloud ListFunctions', subject: ENV, ok: true }),
    ]);
  });

  it('sends the token of temporary keys, and is refused once they expire', async () => {
    const keys = standIn.tcb.issue(7200);
    if (!keys) throw new Error('no keys');
    const temporary: Keys = { ...keys, sessionToken: keys.token };
    expect((await list(client({ keys: temporary }))).sent.ok).toBe(true);
    expect(standIn.calls('ListFunctions')[0].headers['x-tc-token']).toBe(keys.token);
    const wrong = await list(client({ keys: { ...temporary, sessionToken: 'other' } }));
    expect(wrong.sent.outcome.errmsg).toMatch(/^AuthFailure\.TokenFailure: /);
    standIn.tcb.expireTemporaryKeys();
    const { sent, attempts } = await list(client({ keys: temporary }));
    expect(attempts).toBe(1);
    expect(sent.outcome).toMatchObject({
      errmsg: expect.stringMatching(/^AuthFailure\.TokenFailure: .*\(RequestId [\w-]+\)$/),
      retry: false,
      refusesAll: true,
      hint: expect.stringMatching(/temporary keys expire/),
    });
  });

  it.each<[string, Partial<Keys>, RegExp, RegExp]>([
    ['an unknown secret id', { secretId: 'AKIDnobody' }, /SecretIdNotFound/, /secret id/],
    ['the wrong secret key', { secretKey: 'wrong' }, /SignatureFailure/, /secret key/],
  ])('is refused for %s, at once, with a hint', async (_what, keys, code, hint) => {
    const base = { secretId: standIn.tcb.secretId, secretKey: standIn.tcb.secretKey };
    const { sent, attempts } = await list(client({ keys: { ...base, ...keys } }));
    expect(attempts).toBe(1);
    expect(sent.outcome).toMatchObject({ retry: false, refusesAll: true });
    expect(sent.outcome.errmsg).toMatch(code);
    expect(sent.outcome.hint).toMatch(hint);
    expect(sent.next).toBe('fail');
  });

  it('is refused as expired when the clock is ten minutes behind: check the clock', async () => {
    const { sent } = await list(client({ now: () => Date.now() - 600_000 }));
    expect(sent.outcome.errmsg).toMatch(/^AuthFailure\.SignatureExpire: /);
    expect(sent.outcome.hint).toMatch(/runner's clock/);
    expect(sent.next).toBe('sign-again');
    expect(standIn.calls('ListFunctions')).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retries what is transient, signing every attempt anew', async () => {
    standIn.script('ListFunctions', [
      { tencentError: { code: 'InternalError', message: 'oops' } },
      { tencentError: { code: 'RequestLimitExceeded', message: 'slow down' } },
      { status: 502 },
      { reset: true },
    ]);
    let clock = Date.now();
    const { sent, attempts } = await list(client({ now: () => (clock += 1000) }));
    expect(sent.ok).toBe(true);
    expect(attempts).toBe(5);
    expect(sleeps).toEqual([500, 1000, 2000, 4000]);
    const stamps = standIn.calls('ListFunctions').map((r) => r.headers['x-tc-timestamp']);
    expect(new Set(stamps).size).toBe(5);
    expect(events.map((e) => [e.ok, e.outcome.retry, e.outcome.unclear])).toEqual([
      [false, true, false],
      [false, true, false],
      [false, true, true],
      [false, true, true],
      [true, false, false],
    ]);
  });

  it.each<[string, Fault, RegExp]>([
    [
      'UnauthorizedOperation',
      { tencentError: { code: 'UnauthorizedOperation', message: 'no' } },
      /QcloudTCBFullAccess/,
    ],
    [
      'InvalidParameterValue.Runtime',
      { tencentError: { code: 'InvalidParameterValue.Runtime', message: 'no' } },
      /Nodejs18\.15/,
    ],
    [
      'ResourceNotFound.Function',
      { tencentError: { code: 'ResourceNotFound.Function', message: 'no' } },
      /`env` or the function does not exist/,
    ],
    [
      'LimitExceeded.Function',
      { tencentError: { code: 'LimitExceeded.Function', message: 'no' } },
      /quota/,
    ],
  ])('does not retry %s, and tells what to do', async (_code, fault, hint) => {
    standIn.script('ListFunctions', [fault]);
    const { sent, attempts } = await list(client());
    expect(attempts).toBe(1);
    expect(sent.outcome).toMatchObject({ retry: false, unclear: false });
    expect(sent.outcome.hint).toMatch(hint);
  });

  it('waits for a busy function rather than retrying, and fails what it does not know', async () => {
    standIn.script('GetFunction', [
      { tencentError: { code: 'FailedOperation.UpdateFunctionCode', message: 'busy' } },
    ]);
    standIn.put(ENV, 'login');
    const params = { EnvId: ENV, FunctionName: 'login' };
    const busy = await client().call(TENCENT_CALLS.get, 'login', params);
    expect([busy.attempts, busy.sent.next]).toEqual([1, 'wait']);
    standIn.script('GetFunction', [{ tencentError: { code: 'Brand.New', message: 'new' } }]);
    const unknown = await client().call(TENCENT_CALLS.get, 'login', params);
    expect([unknown.attempts, unknown.sent.next, unknown.sent.outcome.hint]).toEqual([
      1,
      'fail',
      undefined,
    ]);
  });
});

describe('services', () => {
  it('asks a loopback endpoint for every service; another endpoint stands for CloudBase alone', () => {
    expect(serviceUrl('scf', 'http://127.0.0.1:9')).toBe('http://127.0.0.1:9/');
    expect(serviceUrl('tcb', 'https://tcb.example.tencentcloudapi.com')).toBe(
      'https://tcb.example.tencentcloudapi.com/',
    );
    expect(serviceUrl('scf', 'https://tcb.example.tencentcloudapi.com')).toBe(
      'https://scf.tencentcloudapi.com/',
    );
    expect(serviceUrl('sts', 'https://tcb.tencentcloudapi.com')).toBe(
      'https://sts.tencentcloudapi.com/',
    );
  });

  it("signs each call for its own service and version; SCF's names the region", async () => {
    standIn.put(ENV, 'login');
    const c = client();
    const tcb = await c.call(TENCENT_CALLS.get, 'login', { EnvId: ENV, FunctionName: 'login' });
    const scf = await c.call(TENCENT_CALLS.variables, 'login', {
      Namespace: ENV,
      FunctionName: 'login',
    });
    expect([tcb.sent.ok, scf.sent.ok]).toEqual([true, true]);
    // The same action name, told apart by the scope's service and the version.
    expect(tcb.sent.outcome.json?.Environment).toBeUndefined();
    expect(scf.sent.outcome.json?.Environment).toEqual({ Variables: [] });
    const [got] = standIn.calls('GetFunction');
    const [scfGot] = standIn.calls('scf.GetFunction');
    expect(got.headers.authorization).toMatch(/\/tcb\/tc3_request/);
    expect(got.headers['x-tc-region']).toBeUndefined();
    expect(scfGot.headers).toMatchObject({
      authorization: expect.stringMatching(/\/scf\/tc3_request/),
      'x-tc-version': '2018-04-16',
      'x-tc-region': 'ap-guangzhou',
    });
  });
});

describe('secrets', () => {
  it("registers SCF GetFunction's variable values before anything of the answer is told", async () => {
    standIn.put(ENV, 'login', {
      configs: {
        3: JSON.stringify({ timeout: 5, environment: [{ key: 'K', value: 'v4lue-S3cret' }] }),
      },
    });
    const { sent } = await client().call(TENCENT_CALLS.variables, 'login', {
      Namespace: ENV,
      FunctionName: 'login',
    });
    expect(sent.outcome.json?.Environment).toEqual({
      Variables: [{ Key: 'K', Value: 'v4lue-S3cret' }],
    });
    expect(secrets.redact('it was v4lue-S3cret')).toBe('it was ***');
  });

  it('scrubs its own signature from a server that quotes it', async () => {
    const echo = createServer((req, res) => {
      const Message = `bad ${req.headers.authorization} and ${req.headers['x-tc-token']}`;
      res.end(
        JSON.stringify({ Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message } } }),
      );
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => echo.close(() => resolve())));
    const endpoint = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    secrets.add('session-token-value');
    const keys = { secretId: 'AKIDx', secretKey: 'k', sessionToken: 'session-token-value' };
    const { sent } = await list(client({ endpoint, keys }));
    expect(sent.outcome.errmsg).toBe('AuthFailure.SignatureFailure: bad *** and ***');
  });
});
