// One retry rule for every call: exponential backoff with full jitter. Attempt k (1-based) that
// fails transiently is followed by a wait drawn uniformly from [0, min(cap, base × 2^(k-1))].

/** Waits `ms`, or less when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  capDelayMs?: number;
  sleep?: Sleep;
  random?: () => number;
}

interface AttemptResult<T> {
  value: T;
  retry: boolean;
}

export const MAX_DELAY_MS = 30_000;

export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });

/** The longest wait after attempt `attempt` (1-based): min(cap, base × 2^(attempt-1)). */
export function backoffCeiling(attempt: number, baseDelayMs: number, capDelayMs = MAX_DELAY_MS) {
  return Math.min(capDelayMs, baseDelayMs * 2 ** (attempt - 1));
}

export function backoffDelay(
  attempt: number,
  baseDelayMs: number,
  random: () => number = Math.random,
  capDelayMs = MAX_DELAY_MS,
): number {
  return Math.floor(random() * backoffCeiling(attempt, baseDelayMs, capDelayMs));
}

/**
 * Runs `attempt` until it returns `retry: false` or `maxAttempts` is spent. `onAttempt` hears of
 * every attempt, with the wait before the next one (undefined after the last). Resolves with the
 * last value and the number of attempts made.
 */
export async function retry<T>(
  attempt: (n: number) => Promise<AttemptResult<T>>,
  policy: RetryPolicy,
  onAttempt: (n: number, value: T, delayMs?: number) => void = () => {},
): Promise<{ value: T; attempts: number }> {
  const { maxAttempts, baseDelayMs, capDelayMs, random, sleep: wait = sleep } = policy;
  for (let n = 1; ; n++) {
    const result = await attempt(n);
    if (!result.retry || n >= maxAttempts) {
      onAttempt(n, result.value);
      return { value: result.value, attempts: n };
    }
    const delayMs = backoffDelay(n, baseDelayMs, random, capDelayMs);
    onAttempt(n, result.value, delayMs);
    await wait(delayMs);
  }
}
