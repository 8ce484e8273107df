// Exchanged keys expire: held with their expiry, renewed before it within a budget of exchanges,
// or refused with the truth. In-process with a clock of the test's, then through the bundled
// action against the stand-in, whose getqcloudtoken hands out keys as short-lived as a test asks
// and whose API refuses them once expired (AuthFailure.TokenFailure).
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failure } from '../../src/clouds/cloud.js';
import { ExchangedKeys, isRefusal, MAX_EXCHANGES } from '../../src/clouds/exchanged-keys.js';
import type { Keys } from '../../src/secrets/credentials.js';
import { runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { expectNoLeak, expectOneError, issuedSecrets, results } from '../support/leaks.js';
import { codeFolders, ENV, withAppKeys } from '../support/steps.js';

describe('ExchangedKeys', () => {
  const HOUR_S = 3600;
  let nowMs: number;
  let answers: (number | 'refused')[];
  let calls: number;
  const exchanged: Keys[] = [];

  /** Keys living as long as the next of `answers` says, from the test's clock. */
  function holder(options: { maxExchanges?: number } = {}) {
    return new ExchangedKeys({
      from: 'keys from the test',
      now: () => nowMs,
      ...options,
      exchange: async () => {
        calls++;
        const lifespan = answers.shift() ?? HOUR_S;
        if (lifespan === 'refused') {
          return { ok: false, refusal: { outcome: failure('errcode 45009'), from: 'the test' } };
        }
        const keys = { secretId: `id-${exchanged.length + 1}`, secretKey: 'k' };
        exchanged.push(keys);
        return { ok: true, value: { keys, expiresAt: nowMs / 1000 + lifespan } };
      },
    });
  }
  const id = async (keys: ExchangedKeys) => {
    const got = await keys.current();
    return isRefusal(got) ? got.outcome.errmsg : got.secretId;
  };

  beforeEach(() => {
    nowMs = 1_700_000_000_000;
    answers = [];
    calls = 0;
    exchanged.length = 0;
  });

  it('keeps keys until five minutes before they expire, then exchanges again', async () => {
    const keys = holder();
    expect(await id(keys)).toBe('id-1');
    nowMs += (HOUR_S - 301) * 1000;
    expect(await id(keys)).toBe('id-1');
    nowMs += 1000;
    expect(await id(keys)).toBe('id-2');
    expect(calls).toBe(2);
  });

  it('renews keys shorter-lived than the margin at half their life', async () => {
    answers = [60];
    const keys = holder();
    expect(await id(keys)).toBe('id-1');
    nowMs += 29_999;
    expect(await id(keys)).toBe('id-1');
    nowMs += 1;
    expect(await id(keys)).toBe('id-2');
  });

  it('asks once for every caller at the same moment', async () => {
    const keys = holder();
    const all = await Promise.all([id(keys), id(keys), id(keys)]);
    expect(all).toEqual(['id-1', 'id-1', 'id-1']);
    expect(calls).toBe(1);
  });

  it(`exchanges at most ${MAX_EXCHANGES} times, then uses the keys it holds until they expire`, async () => {
    answers = [0, 0, 60];
    const keys = holder();
    // Keys that come back expired are asked for again, within the budget.
    expect(await id(keys)).toBe('id-3');
    nowMs += 59_000;
    expect(await id(keys)).toBe('id-3');
    nowMs += 1000;
    expect(await id(keys)).toBe(
      'the keys from the test expired at 22:14:20 UTC, and this step exchanged for keys 3 times, its most (3)',
    );
    expect(exchanged).toHaveLength(MAX_EXCHANGES);
  });

  it('a renewal refused: the keys held serve until they expire, then the refusal is told', async () => {
    answers = [HOUR_S, 'refused'];
    const keys = holder();
    expect(await id(keys)).toBe('id-1');
    nowMs += (HOUR_S - 200) * 1000;
    expect(await id(keys)).toBe('id-1');
    nowMs += 100_000;
    expect(await id(keys)).toBe('id-1');
    expect(calls).toBe(2);
    nowMs += 100_000;
    expect(await id(keys)).toMatch(/expired at .* UTC, and renewing them failed: errcode 45009$/);
  });

  it(`every exchange refused: each ask tries again, ${MAX_EXCHANGES} at most, then the last refusal is told`, async () => {
    answers = ['refused', 'refused', 'refused', 60];
    const keys = holder();
    for (let ask = 1; ask <= MAX_EXCHANGES + 2; ask++) {
      expect(await keys.current()).toEqual({ outcome: failure('errcode 45009'), from: 'the test' });
    }
    expect(calls).toBe(MAX_EXCHANGES);
  });

  it('the first exchange refused: its refusal, as it came', async () => {
    answers = ['refused'];
    const got = await holder().current();
    expect(got).toEqual({ outcome: failure('errcode 45009'), from: 'the test' });
  });
});

describe('keys from getqcloudtoken, through the bundled action', () => {
  let standIn: StandIn;
  const code = codeFolders(['login', 'pay']);
  beforeEach(async () => {
    standIn = await startStandIn();
  });
  afterEach(() => standIn.close());

  const tokens = () =>
    standIn.requests
      .filter((r) => r.headers['x-tc-token'] !== undefined)
      .map((r) => [r.route, r.headers['x-tc-token']]);
  const noLeak = (result: Parameters<typeof expectNoLeak>[0]) =>
    expectNoLeak(result, [standIn.appSecret, standIn.mintedToken, ...issuedSecrets(standIn)]);

  it('are renewed before they expire, mid-step, and the step goes on', async () => {
    // Keys that live 2 s are renewed at half their life, at most 1 s in. The function is
    // Creating for 1 s, and the list that sees it Active comes after a pause of 1.1 s.
    await standIn.close();
    standIn = await startStandIn({ createMs: 1000 });
    standIn.tcb.lifespansS.tmp.push(2);
    const result = await runAction({
      inputs: withAppKeys(standIn, {
        'code-dir': code.path,
        'retry-delay-ms': '1100',
      }),
    });
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ status: 'created', state: 'Active' });
    const [first, second] = standIn.tcb.issued;
    expect(standIn.calls('getqcloudtoken')).toHaveLength(2);
    const signed = tokens();
    expect(signed.slice(0, 3)).toEqual([
      ['ListFunctions', first.token],
      ['CreateFunction', first.token],
      ['ListFunctions', first.token],
    ]);
    expect(signed.at(-1)).toEqual(['ListFunctions', second.token]);
    noLeak(result);
  });

  it(`are exchanged at most ${MAX_EXCHANGES} times a step, then it stops and says why`, async () => {
    standIn.tcb.lifespansS.tmp.push(0, 0, 0);
    const result = await runAction({ inputs: withAppKeys(standIn, { 'code-dir': code.path }) });
    expectOneError(
      result,
      /^::error::Nothing was tried: could not get Tencent Cloud keys from tcb\/getqcloudtoken: the Tencent Cloud keys from tcb\/getqcloudtoken expired at \d\d:\d\d:\d\d UTC, and this step exchanged for keys 3 times, its most \(3\)/,
    );
    expect(standIn.calls('getqcloudtoken')).toHaveLength(MAX_EXCHANGES);
    expect(tokens()).toEqual([]);
    noLeak(result);
  });

  it('that expire after an upload was taken: the code is still reported deployed', async () => {
    standIn.put(ENV, 'login').put(ENV, 'pay');
    standIn.script('UpdateFunctionCode', [{ apply: true, expireKeys: true }], 'login');
    const result = await runAction({
      inputs: withAppKeys(standIn, {
        'code-dir': code.path,
        'function-name': 'login\npay',
        parallel: '1',
      }),
    });
    expect(result.code).toBe(1);
    const [login, pay] = results(result);
    expect(login).toMatchObject({ code: 'deployed', status: 'failed' });
    expect(login.errmsg).toMatch(
      /^could not list the functions to see it Active, though its code was taken: AuthFailure\.TokenFailure/,
    );
    // The code the cloud took is the code sent.
    const taken = standIn.held(ENV, 'login')?.code?.zip ?? Buffer.alloc(0);
    expect(createHash('sha256').update(taken).digest('hex')).toBe(login.code_sha256);
    expect(pay).toMatchObject({ code: 'failed' });
    expect(pay.errmsg).toMatch(/^code upload: AuthFailure\.TokenFailure/);
    noLeak(result);
  });
});
