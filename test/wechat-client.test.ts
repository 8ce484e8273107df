import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { Secrets } from '../src/secrets.js';
import {
  type AttemptEvent,
  type ClientOptions,
  MAX_ANSWER_BYTES,
  WeChatClient,
} from '../src/wechat-client.js';
import { type Fault, StandIn, startStandIn } from '../stand-in/server.js';
import { closedPort, tricklingServer } from './net.js';

const ENV = 'test-777bb9';
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

function client(options: Partial<ClientOptions> = {}): WeChatClient {
  return new WeChatClient({
    baseUrl: standIn.url,
    timeoutMs: 2000,
    userAgent: 'test-agent/1.0',
    secrets,
    retry: {
      maxAttempts: 5,
      baseDelayMs: 1000,
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
    onAttempt: (event) => events.push(event),
    ...options,
  });
}

async function create(faults: Fault[] = [], options: Partial<ClientOptions> = {}, name = 'login') {
  standIn.script('createfunction', faults);
  const c = client(options);
  try {
    return await c.createFunction(ENV, name, standIn.accessToken);
  } finally {
    c.close();
  }
}

describe('createFunction', () => {
  it('sends the token in the query only and exactly env and function_name in a JSON body', async () => {
    const result = await create();
    expect(result).toMatchObject({
      functionName: 'login',
      status: 'created',
      errcode: 0,
      errmsg: 'ok',
      attempts: 1,
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
      expect(result).toMatchObject({ status: 'created', errcode: 0, attempts: 3 });
      expect(sleeps).toEqual([500, 1000]);
      expect(events.map((e) => [e.attempt, e.outcome.errcode, e.delayMs])).toEqual([
        [1, errcode, 500],
        [2, errcode, 1000],
        [3, 0, undefined],
      ]);
    },
  );

  it.each([40014, 42001, 40164, 45011, -501005, 85088, 99999])(
    'fails at once on errcode %i',
    async (errcode) => {
      const result = await create([{ errcode, errmsg: 'nope' }]);
      expect(result).toMatchObject({ status: 'failed', errcode, errmsg: 'nope', attempts: 1 });
      expect(sleeps).toEqual([]);
    },
  );

  it('gives up after max attempts with the last answer', async () => {
    const result = await create(Array(5).fill({ errcode: -1, errmsg: 'system busy' }), {});
    expect(result).toMatchObject({
      status: 'failed',
      errcode: -1,
      errmsg: 'system busy',
      attempts: 5,
    });
    expect(sleeps).toEqual([500, 1000, 2000, 4000]);
  });

  it('tells WeChat’s real errors apart: a bad token, an unknown env', async () => {
    const c = client();
    expect(await c.createFunction(ENV, 'login', 'wrong')).toMatchObject({
      status: 'failed',
      errcode: 40014,
    });
    expect(await c.createFunction('nope-1', 'login', standIn.accessToken)).toMatchObject({
      status: 'failed',
      errcode: -501000,
      errmsg: '[100003] env not exists',
    });
    c.close();
  });

  describe('a function that exists', () => {
    it('is `exists`, not retried', async () => {
      await create();
      const result = await create();
      expect(result).toMatchObject({ status: 'exists', errcode: -501000, attempts: 1 });
      expect(result.errmsg).toMatch(/ResourceInUse/);
    });

    it('is recognised by errmsg whatever the errcode, even a retryable one', async () => {
      const result = await create([{ errcode: -1, errmsg: 'function already exist' }]);
      expect(result).toMatchObject({ status: 'exists', attempts: 1 });
    });

    it('after a lost answer (reset once the function was made) is `created`', async () => {
      const result = await create([{ reset: true, apply: true }]);
      expect(result).toMatchObject({ status: 'created', errcode: -501000, attempts: 2 });
      expect(result.note).toMatch(/earlier attempt/);
    });

    it('after a timeout (the function was made, the answer never came) is `created`', async () => {
      const result = await create([{ hang: true, apply: true }], { timeoutMs: 200 });
      expect(result).toMatchObject({ status: 'created', attempts: 2 });
      expect(events[0].outcome.errmsg).toMatch(/200 ms|timeout/i);
    });

    it('after a gateway error is `created`: the gateway may have passed the request on', async () => {
      const result = await create([{ status: 502, apply: true }]);
      expect(result).toMatchObject({ status: 'created', attempts: 2 });
    });

    it('after a refused connection is still `exists`: nothing was sent', async () => {
      const url = await closedPort();
      const later = new StandIn({
        accessToken: standIn.accessToken,
        existing: { [ENV]: ['login'] },
      });
      onTestFinished(() => later.close());
      const c = client({
        baseUrl: url,
        retry: {
          maxAttempts: 3,
          baseDelayMs: 0,
          sleep: async () => void (await later.listen(Number(new URL(url).port))),
        },
      });
      const result = await c.createFunction(ENV, 'login', standIn.accessToken);
      c.close();
      expect(events[0].outcome.errmsg).toMatch(/ECONNREFUSED/);
      expect(result).toMatchObject({ status: 'exists', attempts: 2 });
    });
  });

  describe('answers that are not WeChat’s', () => {
    it('retries a 502 with an HTML page, then succeeds', async () => {
      const result = await create([{ status: 502 }]);
      expect(result).toMatchObject({ status: 'created', attempts: 2 });
      expect(events[0].outcome.errmsg).toBe('HTTP 502 Bad Gateway');
    });

    it('fails after max attempts on a persistent 503, naming the status', async () => {
      const result = await create(Array(3).fill({ status: 503 }), {
        retry: { maxAttempts: 3, baseDelayMs: 0 },
      });
      expect(result).toMatchObject({ status: 'failed', errcode: null, attempts: 3 });
      expect(result.errmsg).toBe('HTTP 503 Service Unavailable');
    });

    it('retries 429, not 404, and follows no redirect', async () => {
      expect(await create([{ status: 429 }])).toMatchObject({ status: 'created', attempts: 2 });
      expect(await create([{ status: 404, body: 'no' }], {}, 'pay')).toMatchObject({
        status: 'failed',
        errmsg: 'HTTP 404 Not Found',
        attempts: 1,
      });
      expect(await create([{ status: 302, body: '' }], {}, 'pay')).toMatchObject({
        status: 'failed',
        attempts: 1,
      });
      expect(standIn.functions(ENV)).toEqual(['login']);
    });

    it('retries a body that is not JSON, and a truncated one', async () => {
      const result = await create([{ body: '<html>oops</html>' }, { truncate: true }]);
      expect(result).toMatchObject({ status: 'created', attempts: 3 });
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
      expect(result).toMatchObject({ status: 'failed', errcode: null, errmsg, attempts: 1 });
    });

    it('stops reading a very large answer and fails with a short message', async () => {
      const result = await create([{ bytes: 8 * 1024 * 1024 }]);
      expect(result).toMatchObject({ status: 'failed', attempts: 1 });
      expect(result.errmsg).toBe(`answer larger than ${MAX_ANSWER_BYTES} bytes`);
    });
  });

  describe('the network', () => {
    it('retries a connection reset', async () => {
      const result = await create([{ reset: true }]);
      expect(result).toMatchObject({ status: 'created', attempts: 2 });
      expect(events[0].outcome).toMatchObject({ errcode: null, retry: true, outcomeUnknown: true });
    });

    it('bounds each attempt by the timeout when the server never answers', async () => {
      const result = await create([{ hang: true }, { hang: true }], {
        timeoutMs: 150,
        retry: { maxAttempts: 2, baseDelayMs: 0 },
      });
      expect(result).toMatchObject({ status: 'failed', errcode: null, attempts: 2 });
      expect(result.errmsg).toMatch(/no answer within 150 ms|timeout/i);
    });

    it('bounds an answer that trickles in slower than the timeout', async () => {
      const url = await tricklingServer();
      const c = client({ baseUrl: url, timeoutMs: 300, retry: { maxAttempts: 1, baseDelayMs: 0 } });
      const result = await c.createFunction(ENV, 'login', standIn.accessToken);
      c.close();
      expect(result).toMatchObject({
        status: 'failed',
        errmsg: 'ETIMEDOUT: no answer within 300 ms',
      });
    });

    it('waits for a slow answer within the timeout', async () => {
      const result = await create([{ delayMs: 100 }], { timeoutMs: 2000 });
      expect(result).toMatchObject({ status: 'created', attempts: 1 });
    });
  });

  it('scrubs the token from whatever the server echoes', async () => {
    const result = await create([
      {
        errcode: 40014,
        errmsg: `invalid ${standIn.accessToken} ${encodeURIComponent(standIn.accessToken)}`,
      },
    ]);
    expect(result.errmsg).toBe('invalid *** ***');
  });
});

describe('createFunctions', () => {
  it('creates several, each on its own, with at most `parallel` in flight over reused connections', async () => {
    await standIn.close();
    standIn = await startStandIn({ latencyMs: 30, accessToken: standIn.accessToken });
    standIn.script('createfunction', [{ errcode: 40001, errmsg: 'denied' }], 'pay');
    const names = ['login', 'pay', 'notify', 'refund', 'report', 'admin'];
    const c = client();
    const { results, tokenFailure } = await c.createFunctions({
      env: ENV,
      functionNames: names,
      credentials: { kind: 'access-token', accessToken: standIn.accessToken },
      parallel: 2,
    });
    c.close();
    expect(tokenFailure).toBeUndefined();
    expect(results.map((r) => [r.functionName, r.status])).toEqual([
      ['login', 'created'],
      ['pay', 'failed'],
      ['notify', 'created'],
      ['refund', 'created'],
      ['report', 'created'],
      ['admin', 'created'],
    ]);
    expect(standIn.maxInFlight).toBe(2);
    expect(standIn.connections).toBe(2);
  });
});

describe('stableToken', () => {
  const app = () => ({
    kind: 'app-secret' as const,
    appId: standIn.appId,
    appSecret: standIn.appSecret,
  });

  it('mints a stable token, registers it before anything is reported, and creates with it', async () => {
    const c = client({
      onAttempt: (event) => {
        expect(masked).toContain(standIn.mintedToken);
        events.push(event);
      },
    });
    const { results } = await c.createFunctions({
      env: ENV,
      functionNames: ['login'],
      credentials: app(),
      parallel: 1,
    });
    c.close();
    expect(results[0]).toMatchObject({ status: 'created' });
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
    expect(events.map((e) => e.subject)).toEqual(['access token', 'login']);
  });

  it('retries a busy token call', async () => {
    standIn.script('stable_token', [{ errcode: -1, errmsg: 'system busy' }]);
    const c = client();
    const minted = await c.stableToken(standIn.appId, standIn.appSecret);
    c.close();
    expect(minted.token).toBe(standIn.mintedToken);
    expect(standIn.calls('stable_token')).toHaveLength(2);
  });

  it.each([
    [{ appId: 'wx0000000000000000' }, 40013],
    [{ appSecret: 'wrong' }, 40125],
  ])('does not call createfunction when the token cannot be had (%j)', async (wrong, errcode) => {
    const c = client();
    const { results, tokenFailure } = await c.createFunctions({
      env: ENV,
      functionNames: ['login', 'pay'],
      credentials: { ...app(), ...wrong },
      parallel: 1,
    });
    c.close();
    expect(tokenFailure).toMatchObject({ errcode });
    expect(results).toEqual([
      expect.objectContaining({ functionName: 'login', status: 'failed', errcode, attempts: 0 }),
      expect.objectContaining({ functionName: 'pay', status: 'failed', errcode, attempts: 0 }),
    ]);
    expect(standIn.calls('createfunction')).toEqual([]);
  });
});
