import { expect, it } from 'vitest';
import { Limiter } from '../../src/run/limiter.js';

it('keeps at most `limit` calls in flight, first come first served', async () => {
  const limiter = new Limiter(2);
  let inFlight = 0;
  let most = 0;
  const started: number[] = [];
  const releases: (() => void)[] = [];
  const calls = [0, 1, 2, 3, 4].map((i) =>
    limiter.run(async () => {
      started.push(i);
      most = Math.max(most, ++inFlight);
      await new Promise<void>((resolve) => releases.push(resolve));
      inFlight--;
      return i;
    }),
  );
  while (started.length < 5) {
    await new Promise((resolve) => setImmediate(resolve));
    releases.shift()?.();
  }
  for (const release of releases) release();
  expect(await Promise.all(calls)).toEqual([0, 1, 2, 3, 4]);
  expect(started).toEqual([0, 1, 2, 3, 4]);
  expect(most).toBe(2);
});
