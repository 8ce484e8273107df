// Sending one function's code until the host takes it, whichever route sends it. Before a send
// is repeated, the list is asked whether the last one took after all: a lost answer, a 5xx or a
// rate limit may come after the host applied the code, and sending the same bytes again is safe
// but not free. A function busy updating is waited for; a stale signature is replaced once.
import type {
  AttemptEvent,
  Cloud,
  ListedFunction,
  Outcome,
  PreparedCode,
} from '../clouds/cloud.js';
import { backoffDelay, type RetryPolicy, type Sleep } from '../net/retry.js';
import { isSettling } from './judge.js';
import type { Limiter } from './limiter.js';
import type { Poller } from './poller.js';

export interface UploadContext {
  cloud: Cloud;
  poller: Poller;
  limiter: Limiter;
  retry: RetryPolicy;
  sleep: Sleep;
  /** How long to wait for a busy function. */
  waitMs: number;
  onAttempt: (event: AttemptEvent) => void;
}

export type UploadEnd =
  | { ok: true; detail: string }
  | { ok: false; outcome: Outcome; state?: string };

/**
 * Whether `fn` shows a change since `base` was listed: a new state, or a new modification
 * time. What is knowable of an upload that took: the function leaves the state it had, or
 * its `mod_time` moves.
 */
export function changedSince(fn: ListedFunction | undefined, base: ListedFunction): boolean {
  return fn !== undefined && (fn.status !== base.status || fn.modTime !== base.modTime);
}

/** Sends `code` to `name`; `base` is the function as listed last before, when it could be. */
export async function uploadCode(
  ctx: UploadContext,
  name: string,
  code: PreparedCode,
  base: ListedFunction | undefined,
): Promise<UploadEnd> {
  const { cloud, poller, limiter, retry, onAttempt } = ctx;
  let signedAgain = false;
  for (let attempt = 1; ; attempt++) {
    const mark = poller.mark();
    const sent = await limiter.run(() => cloud.upload(name, code));
    const report = (outcome: Outcome, delayMs?: number, then?: string) =>
      onAttempt({
        call: 'upload',
        subject: name,
        ok: sent.kind === 'accepted',
        attempt,
        maxAttempts: retry.maxAttempts,
        outcome,
        url: sent.url,
        httpStatus: sent.httpStatus,
        latencyMs: sent.latencyMs,
        delayMs,
        ...(then ? { then } : {}),
      });
    if (sent.kind === 'accepted') {
      report({ errcode: null, errmsg: sent.detail, retry: false, unclear: false });
      return { ok: true, detail: sent.detail };
    }
    const { outcome, next } = sent;
    if (next === 'fail' || (next === 'sign-again' && signedAgain) || attempt >= retry.maxAttempts) {
      report(outcome);
      return { ok: false, outcome };
    }
    // What never reached the host (its signature failed) carries no url: nothing to settle.
    if (next === 'retry' && base && sent.url) {
      const listing = await poller.fresh(mark);
      if (listing.ok && changedSince(listing.functions.get(name), base)) {
        report(outcome, undefined, 'the list shows the function changed since: the code was taken');
        return {
          ok: true,
          detail: 'the list shows the code was taken, although its answer was not clear',
        };
      }
    }
    if (next === 'sign-again') {
      signedAgain = true;
      report(outcome, undefined, 'signing again and sending at once');
      continue;
    }
    if (next === 'wait' && base) {
      report(outcome, undefined, 'waiting for the function to settle, then sending again');
      const waited = await poller.until(name, (fn) => !isSettling(fn?.status), {
        since: mark,
        limitMs: ctx.waitMs,
      });
      const state = waited.ok ? waited.fn?.status : undefined;
      if (state !== 'Active') {
        const why = waited.ok
          ? `the function is ${state ?? 'no longer listed'}, and the host refused the code: ${outcome.errmsg}`
          : `the host refused the code (${outcome.errmsg}), and the list to wait on failed: ${waited.outcome.errmsg}`;
        return { ok: false, outcome: { ...outcome, errmsg: why }, ...(state ? { state } : {}) };
      }
      continue;
    }
    const delayMs = backoffDelay(attempt, retry.baseDelayMs, retry.random, retry.capDelayMs);
    report(outcome, delayMs);
    await ctx.sleep(delayMs);
  }
}
