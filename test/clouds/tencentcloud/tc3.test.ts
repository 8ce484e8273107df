// The TC3 signature against the official SDK's signer, on generated requests: the same request
// at the same time must give the same Authorization, byte for byte.
import { createRequire } from 'node:module';
import type SignExports from 'tencentcloud-sdk-nodejs/tencentcloud/common/sign.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tc3Sign } from '../../../src/clouds/tencentcloud/tc3.js';
import type { Keys } from '../../../src/secrets/credentials.js';

// The SDK is CommonJS: required as Node requires it, its class is the module's `default`.
const { default: Sign } = createRequire(import.meta.url)(
  'tencentcloud-sdk-nodejs/tencentcloud/common/sign.js',
) as typeof SignExports;

/** A small seeded generator (mulberry32): the same requests on every run. */
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]) => items[int(items.length)];
  const text = (alphabet: string, length: number) =>
    Array.from({ length }, () => pick([...alphabet])).join('');
  return { int, pick, text };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const WORDS = ['云函数', 'ünïcödé', '🚀 deploy', 'plain', 'a "quoted" \\ line\nbreak', '環境'];
const ACTIONS = ['ListFunctions', 'GetFunction', 'CreateFunction', 'UpdateFunctionCode'];
const URLS = ['https://tcb.tencentcloudapi.com/', 'http://127.0.0.1:8790/', 'https://[::1]:9/x/'];
/** 2026-03-01T00:00:00Z: requests are signed within a minute either side of it. */
const MIDNIGHT = 1_772_323_200;

function generated(count: number) {
  const random = generator(20_260_301);
  return Array.from({ length: count }, (_, i) => {
    const keys: Keys = {
      secretId: `AKID${random.text(ALNUM, 32)}`,
      secretKey: random.text(ALNUM, 32),
      ...(i % 2 === 0 ? { sessionToken: random.text(`${ALNUM}-_`, 200) } : {}),
    };
    const action =
      i < ACTIONS.length ? ACTIONS[i] : `${random.pick(ACTIONS)}${random.text(ALNUM, 4)}`;
    const body = JSON.stringify({
      EnvId: `test-${random.text('abcdef0123456789', 6)}`,
      FunctionName: random.pick(WORDS),
      Environment: { Variables: [{ Key: 'K', Value: random.pick(WORDS) }] },
      Offset: random.int(100),
    });
    return {
      url: random.pick(URLS),
      action,
      version: '2018-06-08',
      body,
      timestamp: MIDNIGHT - 60 + random.int(120),
      keys,
    };
  });
}

describe('tc3Sign', () => {
  const requests = generated(40);
  // Off UTC, a signer that took the local date instead of the UTC one would differ: on a UTC
  // machine it could not.
  beforeAll(() => {
    vi.stubEnv('TZ', 'Asia/Shanghai');
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('crosses UTC midnight and signs with and without temporary keys', () => {
    const days = new Set(requests.map((r) => new Date(r.timestamp * 1000).getUTCDate()));
    expect(days.size).toBe(2);
    // The zone is in effect: some requests fall on another day there than in UTC.
    const localDays = requests.filter((r) => {
      const date = new Date(r.timestamp * 1000);
      return date.getDate() !== date.getUTCDate();
    });
    expect(localDays.length).toBeGreaterThan(0);
    expect(requests.filter((r) => r.keys.sessionToken).length).toBe(20);
    expect(requests.some((r) => Buffer.byteLength(r.body) > r.body.length)).toBe(true);
  });

  it.each(requests.map((r, i) => [i, r] as const))(
    'request %i gives the SDK signer’s Authorization',
    (_i, request) => {
      const signed = tc3Sign({ ...request, service: 'tcb' });
      const expected = Sign.sign3({
        method: 'POST',
        url: request.url,
        payload: Buffer.from(request.body),
        timestamp: request.timestamp,
        service: 'tcb',
        secretId: request.keys.secretId,
        secretKey: request.keys.secretKey,
        multipart: false,
        boundary: '',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(signed.headers.Authorization).toBe(expected);
      expect(signed.authorization).toBe(expected);
      expect(expected).toContain(`Signature=${signed.signature}`);
    },
  );

  it('sends the headers the SDK sends, the token only with temporary keys, never the key', () => {
    for (const request of requests) {
      const { headers } = tc3Sign({ ...request, service: 'tcb' });
      expect(headers).toEqual({
        Authorization: expect.stringMatching(/^TC3-HMAC-SHA256 Credential=AKID/),
        'Content-Type': 'application/json',
        Host: new URL(request.url).host,
        'X-TC-Action': request.action,
        'X-TC-Version': '2018-06-08',
        'X-TC-Timestamp': String(request.timestamp),
        ...(request.keys.sessionToken ? { 'X-TC-Token': request.keys.sessionToken } : {}),
      });
      expect(JSON.stringify(headers)).not.toContain(request.keys.secretKey);
    }
  });

  it('signs the bytes: a Buffer and its text give the same signature', () => {
    const [request] = requests;
    const text = tc3Sign({ ...request, service: 'tcb' });
    const bytes = tc3Sign({ ...request, service: 'tcb', body: Buffer.from(request.body) });
    expect(bytes.signature).toBe(text.signature);
    const other = tc3Sign({ ...request, service: 'tcb', body: `${request.body} ` });
    expect(other.signature).not.toBe(text.signature);
  });
});
