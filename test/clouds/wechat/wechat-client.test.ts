import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { AttemptEvent } from '../../../src/clouds/cloud.js';
import {
  type ClientOptions,
  MAX_ANSWER_BYTES,
  MAX_LIST_PAGES,
  WeChatClient,
} from '../../../src/clouds/wechat/wechat-client.js';
import type { WeChatCredentials as Credentials } from '../../../src/secrets/credentials.js';
import { Secrets } from '../../../src/secrets/secrets.js';
import { type Fault, StandIn, startStandIn } from '../../../stand-in/server.js';
import { closedPort, testTransport, tricklingServer } from '../../support/net.js';
import { ENV, recordedRetry } from '../../support/steps.js';

let standIn: StandIn;
let events: AttemptEvent[];
let sleeps: number[];
let secrets: Secrets;
let masked: string[];

beforeEach(async () => {
  standIn = await startStandIn();
  events = [];
  sleeps = [];
  masked = [];
  secrets = new Secrets((value) => masked.push(value));
  secrets.add(standIn.accessToken);
});
afterEach(() => standIn.close());

interface Options extends Partial<Omit<ClientOptions, 'transport'>> {
  timeoutMs?: number;
  maxAttemptMs?: number;
}

/** A client against the stand-in, with instant recorded sleeps; closed when the test ends. */
function client({ timeoutMs = 2000, maxAttemptMs, ...options }: Options = {}): WeChatClient {
  return new WeChatClient({
    baseUrl: standIn.url,
    transport: testTransport({ timeoutMs, ...(maxAttemptMs ? { maxAttemptMs } : {}) }),
    credentials: { kind: 'access-token', accessToken: standIn.accessToken },
    secrets,
    retry: recordedRetry(sleeps),
    onAttempt: (event) => events.push(event),
    ...options,
  });
}

async function create(faults: Fault[] = [], options: Options = {}, name = 'login') {
  standIn.script('createfunction', faults);
  return client(options).createFunction(ENV, name);
}

describe('createFunction', () => {
  it('sends the token in the query only and exactly env and function_name in a JSON body', async () => {
    const result = await create();
    expect(result).toEqual({
      ok: true,
      outcome: expect.objectContaining({ errcode: 0, errmsg: 'ok' }),
      attempts: 1,
      unclear: [],
    });
    const [request] = standIn.calls('createfunction');
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`/tcb/createfunction?access_token=${standIn.accessToken}`);
    expect(request.body).toEqual({ env: ENV, function_name: 'login' });
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toContain('test-agent/1.0');
    expect(standIn.functions(ENV)).toEqual(['login']);
  });

  it.each([-1, -1000, -501001, -501002, -501004])(
    'retries errcode %i with backoff, then succeeds',
    async (errcode) => {
      const result = await create([{ errcode }, { errcode }]);
      expect(result).toMatchObject({ outcome: { errcode: 0 }, attempts: 3 });
      expect(sleeps).toEqual([500, 1000]);
      expect(events.map((e) => [e.call, e.attempt, e.outcome.errcode, e.delayMs])).toEqual([
        ['createfunction', 1, errcode, 500],
        ['createfunction', 2, errcode, 1000],
        ['createfunction', 3, 0, undefined],
      ]);
      // Only a response timeout may have been carried out; the others said no.
      expect(result.unclear).toEqual(errcode === -501002 ? [1, 2] : []);
    },
  );

  it.each([40014, 42001, 40164, 45011, -501005, 85088])(
    'fails at once on errcode %i',
    async (errcode) => {
      const result = await create([{ errcode, errmsg: 'nope' }]);
      expect(result).toEqual({
        ok: false,
        outcome: expect.objectContaining({ errcode, errmsg: 'nope' }),
        attempts: 1,
        unclear: [],
      });
      expect(sleeps).toEqual([]);
    },
  );

  it('fails at once on an errcode it does not know, and counts it unclear', async () => {
    const result = await create([{ errcode: 99999, errmsg: 'new' }]);
    expect(result).toMatchObject({ outcome: { errcode: 99999 }, attempts: 1, unclear: [1] });
  });

  it('gives up after max attempts with the last answer', async () => {
    const result = await create(Array(5).fill({ errcode: -1, errmsg: 'system busy' }));
    expect(result).toMatchObject({
      outcome: { errcode: -1, errmsg: 'system busy' },
      attempts: 5,
      unclear: [],
    });
    expect(sleeps).toEqual([500, 1000, 2000, 4000]);
  });

  it('tells WeChat’s real errors apart: a bad token, an unknown env', async () => {
    const wrong = client({ credentials: { kind: 'access-token', accessToken: 'wrong' } });
    expect((await wrong.createFunction(ENV, 'login')).outcome.errcode).toBe(40014);
    expect((await client().createFunction('nope-1', 'login')).outcome).toMatchObject({
      errcode: -501000,
      errmsg: expect.stringMatching(
        /^\[100003\] env not exists \(nope-1\) TcbCode: \[INVALID_ENV\]/,
      ),
      refusesAll: true,
      hint: expect.stringMatching(/`env` names no cloud environment/),
    });
  });

  it('records the attempts whose answer was lost or unclear', async () => {
    const result = await create(
      [{ reset: true, apply: true }, { status: 502 }, { body: 'not json' }],
      { timeoutMs: 500 },
    );
    expect(result).toMatchObject({
      outcome: { errcode: -501000 },
      attempts: 4,
      unclear: [1, 2, 3],
    });
    expect(result.outcome.errmsg).toMatch(/ResourceInUse/);
  });

  it('a refused connection sent nothing: retried, and not unclear', async () => {
    const url = await closedPort();
    const later = new StandIn({ accessToken: standIn.accessToken });
    onTestFinished(() => later.close());
    const c = client({
      baseUrl: url,
      retry: {
        maxAttempts: 3,
        baseDelayMs: 0,
        sleep: async () => void (await later.listen(Number(new URL(url).port))),
      },
    });
    const result = await c.createFunction(ENV, 'login');
    expect(events[0].outcome.errmsg).toMatch(/ECONNREFUSED/);
    expect(result).toMatchObject({ outcome: { errcode: 0 }, attempts: 2, unclear: [] });
  });

  describe('answers that are not WeChat’s', () => {
    it('retries a 502 with an HTML page, then succeeds', async () => {
      const result = await create([{ status: 502 }]);
      expect(result).toMatchObject({ outcome: { errcode: 0 }, attempts: 2, unclear: [1] });
      expect(events[0].outcome.errmsg).toBe('HTTP 502 Bad Gateway');
      expect(events[0].httpStatus).toBe(502);
    });

    it('fails after max attempts on a persistent 503, naming the status', async () => {
      const result = await create(Array(3).fill({ status: 503 }), {
        retry: { maxAttempts: 3, baseDelayMs: 0 },
      });
      expect(result).toMatchObject({ outcome: { errcode: null }, attempts: 3 });
      expect(result.outcome.errmsg).toBe('HTTP 503 Service Unavailable');
    });

    it('retries 429, not 404, and follows no redirect', async () => {
      expect(await create([{ status: 429 }])).toMatchObject({ attempts: 2, unclear: [] });
      expect(await create([{ status: 404, body: 'no' }], {}, 'pay')).toMatchObject({
        outcome: { errmsg: 'HTTP 404 Not Found' },
        attempts: 1,
        unclear: [],
      });
      expect(await create([{ status: 302, body: '' }], {}, 'pay')).toMatchObject({ attempts: 1 });
      expect(standIn.functions(ENV)).toEqual(['login']);
    });

    it('retries a body that is not JSON, and a truncated one', async () => {
      const result = await create([{ body: '<html>oops</html>' }, { truncate: true }]);
      expect(result).toMatchObject({ outcome: { errcode: 0 }, attempts: 3, unclear: [1, 2] });
      expect(events[0].outcome.errmsg).toBe('answer is not JSON');
      expect(events[1].outcome.errmsg).toMatch(/closed before the answer was complete|aborted/);
    });

    it.each([
      [{ json: { errmsg: 'ok' } }, 'answer has no errcode'],
      [{ json: { errcode: '0', errmsg: 'ok' } }, 'answer has errcode that is not a number'],
      [{ json: [0] }, 'answer is not a JSON object'],
      [{ json: null }, 'answer is not a JSON object'],
    ])('fails at once on %j', async (fault, errmsg) => {
      const result = await create([fault]);
      expect(result).toMatchObject({
        outcome: { errcode: null, errmsg },
        attempts: 1,
        unclear: [1],
      });
    });

    it('stops reading a very large answer and fails with a short message', async () => {
      const result = await create([{ bytes: 8 * 1024 * 1024 }]);
      expect(result).toMatchObject({
        outcome: { errmsg: `answer larger than ${MAX_ANSWER_BYTES} bytes` },
        attempts: 1,
      });
    });
  });

  describe('the network', () => {
    it('retries a connection reset', async () => {
      const result = await create([{ reset: true }]);
      expect(result).toMatchObject({ outcome: { errcode: 0 }, attempts: 2 });
      expect(events[0].outcome).toMatchObject({ errcode: null, retry: true, unclear: true });
    });

    it('bounds each attempt by the timeout when the server never answers', async () => {
      const result = await create([{ hang: true }, { hang: true }], {
        timeoutMs: 150,
        retry: { maxAttempts: 2, baseDelayMs: 0 },
      });
      expect(result).toMatchObject({ outcome: { errcode: null }, attempts: 2, unclear: [1, 2] });
      expect(result.outcome.errmsg).toMatch(/no answer within 150 ms/);
    });

    it('bounds an answer that trickles in, never quite stalling, by the limit per attempt', async () => {
      const url = await tricklingServer();
      const c = client({
        baseUrl: url,
        timeoutMs: 300,
        maxAttemptMs: 600,
        retry: { maxAttempts: 1, baseDelayMs: 0 },
      });
      const result = await c.createFunction(ENV, 'login');
      expect(result.outcome.errmsg).toMatch(
        /^ETIMEDOUT: gave up after the 600 ms limit per attempt, with \d+ B of the answer read$/,
      );
    });

    it('waits for a slow answer within the timeout', async () => {
      const result = await create([{ delayMs: 100 }], { timeoutMs: 2000 });
      expect(result).toMatchObject({ outcome: { errcode: 0 }, attempts: 1 });
    });
  });

  it('scrubs the token from whatever the server echoes, and from the reported URL', async () => {
    const result = await create([
      {
        errcode: 40014,
        errmsg: `invalid ${standIn.accessToken} ${encodeURIComponent(standIn.accessToken)}`,
      },
    ]);
    expect(result.outcome.errmsg).toBe('invalid *** ***');
    expect(events[0].url).toBe(`${standIn.url}/tcb/createfunction?access_token=***`);
  });

  it('reuses connections across requests', async () => {
    const c = client();
    for (const name of ['login', 'pay', 'notify']) await c.createFunction(ENV, name);
    expect(standIn.connections).toBe(1);
  });
});

describe('listFunctions', () => {
  const names = (n: number) =>
    Array.from({ length: n }, (_, i) => `fn${String(i).padStart(3, '0')}`);

  const page = (functions: string[], total_count?: unknown) => ({
    json: {
      errcode: 0,
      errmsg: 'ok',
      ...(total_count === undefined ? {} : { total_count }),
      functions: functions.map((name) => ({ name, status: 'Active' })),
    },
  });

  it.each([0, 1, 20, 21, 45])(
    'reads %i functions, page by page, until a page comes back short',
    async (n) => {
      for (const name of names(n)) standIn.put(ENV, name);
      const listing = await client().listFunctions(ENV);
      expect(listing.ok && [...listing.functions.keys()]).toEqual(names(n));
      const pages = standIn.calls('listfunctions');
      expect(pages.map((p) => p.body)).toEqual(
        Array.from({ length: Math.floor(n / 20) + 1 }, (_, i) => ({
          env: ENV,
          limit: 20,
          offset: 20 * i,
        })),
      );
    },
  );

  it.each([
    ['missing', undefined],
    ['negative', -1],
    ['a string', '45'],
    ['too small', 1],
  ])('reads every page when total_count is %s', async (_name, total) => {
    const all = names(45);
    standIn.script('listfunctions', [
      page(all.slice(0, 20), total),
      page(all.slice(20, 40), total),
      page(all.slice(40), total),
    ]);
    const listing = await client().listFunctions(ENV);
    expect(listing.ok && [...listing.functions.keys()]).toEqual(all);
    expect(standIn.calls('listfunctions')).toHaveLength(3);
  });

  it('stops when a page adds no name it has not seen, whatever total_count says', async () => {
    const same = page(names(20), 1e9);
    standIn.script('listfunctions', Array(10).fill(same));
    const listing = await client().listFunctions(ENV);
    expect(listing.ok && listing.functions.size).toBe(20);
    expect(standIn.calls('listfunctions')).toHaveLength(2);
  });

  it(`fails clearly after ${MAX_LIST_PAGES} full pages of new names`, async () => {
    const pages = Array.from({ length: MAX_LIST_PAGES + 5 }, (_, i) =>
      page(
        names(20).map((name) => `${name}p${i}`),
        1e9,
      ),
    );
    standIn.script('listfunctions', pages);
    expect(await client().listFunctions(ENV)).toMatchObject({
      ok: false,
      outcome: { errcode: null, errmsg: expect.stringMatching(/more than 2000 functions/) },
    });
    expect(standIn.calls('listfunctions')).toHaveLength(MAX_LIST_PAGES);
  });

  it('carries status and status_reason, redacted', async () => {
    standIn.script('listfunctions', [
      {
        json: {
          errcode: 0,
          errmsg: 'ok',
          total_count: 1,
          functions: [
            {
              name: 'login',
              status: 'CreateFailed',
              status_reason: [
                { errcode: 'ResourceNotFound.File', errmsg: `no code ${standIn.accessToken}` },
              ],
            },
          ],
        },
      },
    ]);
    const listing = await client().listFunctions(ENV);
    expect(listing.ok && listing.functions.get('login')).toEqual({
      name: 'login',
      status: 'CreateFailed',
      reason: 'ResourceNotFound.File: no code ***',
    });
  });

  it('retries a busy page, and fails with the errcode when refused', async () => {
    standIn.script('listfunctions', [
      { errcode: -1 },
      { errcode: 48001, errmsg: 'api unauthorized' },
    ]);
    const listing = await client().listFunctions(ENV);
    expect(listing).toMatchObject({ ok: false, outcome: { errcode: 48001 } });
    expect(standIn.calls('listfunctions')).toHaveLength(2);
  });

  it('fails on an answer with no functions list', async () => {
    standIn.script('listfunctions', [{ json: { errcode: 0, errmsg: 'ok' } }]);
    expect(await client().listFunctions(ENV)).toMatchObject({
      ok: false,
      outcome: { errcode: null, errmsg: expect.stringMatching(/no `functions` list/) },
    });
  });
});

describe('the token', () => {
  const app = (): Credentials => ({
    kind: 'app-secret',
    appId: standIn.appId,
    appSecret: standIn.appSecret,
  });

  it('is minted once with stable_token, registered before anything is reported, and used', async () => {
    const c = client({
      credentials: app(),
      onAttempt: (event) => {
        expect(masked).toContain(standIn.mintedToken);
        events.push(event);
      },
    });
    await c.createFunction(ENV, 'login');
    await c.listFunctions(ENV);
    expect(standIn.calls('stable_token')).toHaveLength(1);
    const [tokenCall] = standIn.calls('stable_token');
    expect(tokenCall.body).toEqual({
      grant_type: 'client_credential',
      appid: standIn.appId,
      secret: standIn.appSecret,
      force_refresh: false,
    });
    expect(tokenCall.url).toBe('/cgi-bin/stable_token');
    expect(standIn.calls('createfunction')[0].query.access_token).toBe(standIn.mintedToken);
    expect(standIn.calls('token')).toEqual([]);
    expect(events.map((e) => e.call)).toEqual(['stable_token', 'createfunction', 'listfunctions']);
  });

  it('retries a busy token call', async () => {
    standIn.script('stable_token', [{ errcode: -1, errmsg: 'system busy' }]);
    expect(await client({ credentials: app() }).token()).toEqual({
      ok: true,
      value: standIn.mintedToken,
    });
    expect(standIn.calls('stable_token')).toHaveLength(2);
  });

  it.each([
    [{ appId: 'wx0000000000000000' }, 40013],
    [{ appSecret: 'wrong' }, 40125],
  ])('when it cannot be had (%j), no call is made with it', async (wrong, errcode) => {
    const c = client({ credentials: { ...app(), ...wrong } as Credentials });
    expect(await c.token()).toMatchObject({ ok: false, outcome: { errcode } });
    expect(await c.createFunction(ENV, 'login')).toMatchObject({
      outcome: { errcode },
      attempts: 0,
    });
    expect(standIn.calls('createfunction')).toEqual([]);
  });

  it.each([
    [{ errcode: 0, errmsg: 'ok' }, 'no access_token'],
    [{ access_token: 'tok en\u00e9', expires_in: 7200 }, 'not visible ASCII'],
  ])('is checked: %j is a clear failure with no errcode', async (json, said) => {
    standIn.script('stable_token', [{ json }]);
    const got = await client({ credentials: app() }).token();
    expect(got).toMatchObject({ ok: false, outcome: { errcode: null } });
    expect(!got.ok && got.outcome.errmsg).toContain(said);
  });

  it.each([
    ['42001 expired', [{ errcode: 42001, errmsg: 'access_token expired' }], []],
    ['40001 after it worked', [{ errcode: 40001, errmsg: 'invalid credential' }], ['first']],
  ])(
    'a minted token that goes stale (%s) is minted again once and the call retried',
    async (_name, faults, before) => {
      const c = client({ credentials: app() });
      for (const name of before) await c.createFunction(ENV, name);
      standIn.script('createfunction', faults as Fault[]);
      const result = await c.createFunction(ENV, 'login');
      expect(result).toMatchObject({ outcome: { errcode: 0 }, attempts: 2 });
      expect(standIn.calls('stable_token')).toHaveLength(2);
    },
  );

  it('is minted again only once per run', async () => {
    const c = client({ credentials: app() });
    standIn.script('createfunction', Array(3).fill({ errcode: 42001, errmsg: 'expired' }));
    const result = await c.createFunction(ENV, 'login');
    expect(result).toMatchObject({ outcome: { errcode: 42001 }, attempts: 2 });
    expect(standIn.calls('stable_token')).toHaveLength(2);
  });

  it('a 40001 on the first call is not taken for a stale token', async () => {
    standIn.script('createfunction', [{ errcode: 40001, errmsg: 'invalid credential' }]);
    const result = await client({ credentials: app() }).createFunction(ENV, 'login');
    expect(result).toMatchObject({ outcome: { errcode: 40001 }, attempts: 1 });
    expect(standIn.calls('stable_token')).toHaveLength(1);
  });

  it('given in access-token, is never minted again', async () => {
    standIn.script('createfunction', [{ errcode: 42001, errmsg: 'expired' }]);
    expect(await create()).toMatchObject({ outcome: { errcode: 42001 }, attempts: 1 });
    expect(standIn.calls('stable_token')).toEqual([]);
  });
});

describe('the configuration and invocation calls', () => {
  it('reads a configuration as the JSON text WeChat holds, or null when none was written', async () => {
    standIn.put(ENV, 'login', { configs: { 1: '{"permissions":{"openapi":["a"]}}' } });
    const c = client();
    expect(await c.functionConfig(ENV, 'login', 1)).toEqual({
      ok: true,
      value: '{"permissions":{"openapi":["a"]}}',
    });
    expect(await c.functionConfig(ENV, 'login', 3)).toEqual({ ok: true, value: null });
    expect(standIn.calls('getfuncconfig').map((r) => r.body)).toEqual([
      { type: 1, env: ENV, function_name: 'login' },
      { type: 3, env: ENV, function_name: 'login' },
    ]);
  });

  it("registers a configuration's variable values before anything of the answer is told", async () => {
    const config = JSON.stringify({
      timeout: 3,
      environment: [{ key: 'K', value: 'v4lue-s3cret' }],
    });
    standIn.put(ENV, 'login', { configs: { 3: config } });
    standIn.script('getfuncconfig', [{ json: { errcode: 0, errmsg: 'v4lue-s3cret', config } }]);
    const seen: string[] = [];
    const c = client({ onAttempt: (event) => seen.push(event.outcome.errmsg) });
    await c.functionConfig(ENV, 'login', 3);
    expect(masked).toContain('v4lue-s3cret');
    expect(seen).toEqual(['***']);
  });

  it('writes a configuration as a JSON string in `config`', async () => {
    standIn.put(ENV, 'login');
    const outcome = await client().uploadFunctionConfig(ENV, 'login', 3, '{"timeout":5}');
    expect(outcome.errcode).toBe(0);
    expect(standIn.calls('uploadfuncconfig')[0].body).toEqual({
      type: 3,
      env: ENV,
      function_name: 'login',
      config: '{"timeout":5}',
    });
  });

  it('invokes with env and name in the query and the event as the body', async () => {
    standIn.put(ENV, 'login');
    const answer = await client().invoke(ENV, 'login', '{"ping":true}');
    expect(answer).toEqual({
      ok: true,
      value: JSON.stringify({ event: { ping: true }, function: 'login' }),
    });
    const [call] = standIn.calls('invokecloudfunction');
    expect(call.query).toMatchObject({ env: ENV, name: 'login' });
    expect(call.body).toEqual({ ping: true });
  });

  it('hands out Tencent Cloud keys, masked the moment they arrive', async () => {
    const keys = { secretid: 'AKIDtemp', secretkey: 'sk-temp-0123', token: 'tok-temp-4567' };
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok sk-temp-0123', ...keys, expired_time: 1 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void server.close());
    const seen: string[] = [];
    const c = client({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      onAttempt: (event) => seen.push(event.outcome.errmsg),
    });
    expect(await c.qcloudKeys()).toEqual({
      ok: true,
      value: {
        secretId: 'AKIDtemp',
        secretKey: 'sk-temp-0123',
        token: 'tok-temp-4567',
        expiresAt: 1,
      },
    });
    expect(masked).toEqual(expect.arrayContaining(Object.values(keys)));
    expect(seen).toEqual(['ok ***']);
  });
});
