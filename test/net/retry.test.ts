import { describe, expect, it } from 'vitest';
import { backoffDelay, MAX_DELAY_MS, retry } from '../../src/net/retry.js';

describe('backoffDelay', () => {
  it('draws from [0, base × 2^(k-1)]: full jitter', () => {
    expect([1, 2, 3, 4].map((k) => backoffDelay(k, 1000, () => 0.999999))).toEqual([
      999, 1999, 3999, 7999,
    ]);
    expect([1, 2, 3].map((k) => backoffDelay(k, 1000, () => 0))).toEqual([0, 0, 0]);
    expect(backoffDelay(3, 1000, () => 0.5)).toBe(2000);
  });

  it('caps the ceiling at 30 s', () => {
    expect(backoffDelay(6, 1000, () => 0.999999)).toBe(MAX_DELAY_MS - 1);
    expect(backoffDelay(20, 1000, () => 0.5)).toBe(15_000);
    expect(MAX_DELAY_MS).toBe(30_000);
  });
});

describe('retry', () => {
  const policy = (sleeps: number[]) => ({
    maxAttempts: 4,
    baseDelayMs: 100,
    random: () => 0.5,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
  });

  it('retries while asked, waiting the backoff schedule, and reports every attempt', async () => {
    const sleeps: number[] = [];
    const seen: [number, string, number | undefined][] = [];
    const answers = ['busy', 'busy', 'ok'];
    const result = await retry(
      async (n) => ({ value: answers[n - 1], retry: answers[n - 1] === 'busy' }),
      policy(sleeps),
      (n, value, delayMs) => seen.push([n, value, delayMs]),
    );
    expect(result).toEqual({ value: 'ok', attempts: 3 });
    expect(sleeps).toEqual([50, 100]);
    expect(seen).toEqual([
      [1, 'busy', 50],
      [2, 'busy', 100],
      [3, 'ok', undefined],
    ]);
  });

  it('stops after maxAttempts with the last value, without a final wait', async () => {
    const sleeps: number[] = [];
    const result = await retry(async (n) => ({ value: n, retry: true }), policy(sleeps));
    expect(result).toEqual({ value: 4, attempts: 4 });
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('makes attempt 2 only once the wait after attempt 1 is over', async () => {
    const waits: { ms: number; end: () => void }[] = [];
    const sleep = (ms: number) =>
      new Promise<void>((end) => {
        waits.push({ ms, end });
      });
    const attempts: number[] = [];
    const done = retry(
      async (n) => {
        attempts.push(n);
        return { value: n, retry: n < 2 };
      },
      { ...policy([]), sleep },
    );
    // Let every settled promise run: nothing but the sleep holds attempt 2 back.
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(attempts).toEqual([1]);
    expect(waits.map((w) => w.ms)).toEqual([50]);
    waits[0].end();
    expect(await done).toEqual({ value: 2, attempts: 2 });
    expect(attempts).toEqual([1, 2]);
  });

  it('does not retry a final answer', async () => {
    const sleeps: number[] = [];
    const result = await retry(async () => ({ value: 'denied', retry: false }), policy(sleeps));
    expect(result).toEqual({ value: 'denied', attempts: 1 });
    expect(sleeps).toEqual([]);
  });
});
