// Keys that an exchange hands out for a while (WeChat's `tcb/getqcloudtoken`, or STS's
// `AssumeRoleWithWebIdentity` for GitHub's OIDC token): held with their expiry, and exchanged again before it,
// within a budget of exchanges per step, since the exchanges themselves are limited (WeChat's:
// 10 an hour per mini program). Keys that expired and cannot be renewed are refused with the
// truth, never used.

import type { Keys } from '../secrets/credentials.js';
import { failure, type Outcome, type Refusal } from './cloud.js';

/** Keys with the moment they expire. */
interface Expiring {
  keys: Keys;
  /** Unix seconds, as the exchanges answer it. */
  expiresAt: number;
}

export type KeyExchange = () => Promise<
  { ok: true; value: Expiring } | { ok: false; refusal: Refusal }
>;

interface ExchangedKeysOptions {
  exchange: KeyExchange;
  /** What the keys are called in a refusal: `Tencent Cloud keys from tcb/getqcloudtoken`. */
  from: string;
  now?: () => number;
  /** Renewed this long before they expire, or half their life if that is shorter. */
  marginMs?: number;
  /** Exchanges in one step at most: each counts against the exchange's own limit. */
  maxExchanges?: number;
}

/** Five minutes: what a signature may be off Tencent Cloud's clock, and ample for one call. */
const RENEW_MARGIN_MS = 5 * 60_000;
/** WeChat's 10 an hour leave room for re-runs; 3 sets of 2-hour keys outlast a job's 6 hours. */
export const MAX_EXCHANGES = 3;

/** Keys held, with when they expire and when they are renewed, in ms. */
interface Held {
  keys: Keys;
  expiresMs: number;
  renewAtMs: number;
}

const EXPIRED_HINT =
  'What was deployed before the keys expired says so; run the step again for the rest.';

export class ExchangedKeys {
  readonly #options: Required<ExchangedKeysOptions>;
  #held: Held | undefined;
  #pending: Promise<Keys | Refusal> | undefined;
  #exchanges = 0;
  /** The last refusal while no keys were held: told again, unasked, once the budget is spent. */
  #refused: Refusal | undefined;
  /** Why the last renewal failed: the keys held are then used until they expire. */
  #renewalFailed: Refusal | undefined;

  constructor(options: ExchangedKeysOptions) {
    this.#options = {
      now: Date.now,
      marginMs: RENEW_MARGIN_MS,
      maxExchanges: MAX_EXCHANGES,
      ...options,
    };
  }

  /** Keys good for a while yet: those held, or new ones. One exchange at a time serves all. */
  async current(): Promise<Keys | Refusal> {
    const now = this.#options.now();
    const held = this.#held;
    if (held && now < held.renewAtMs) return held.keys;
    const spent = this.#exchanges >= this.#options.maxExchanges || this.#renewalFailed;
    if (held && spent) return now < held.expiresMs ? held.keys : this.#expired(held.expiresMs);
    if (spent && this.#refused) return this.#refused;
    this.#pending ??= this.#renew().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** Exchanges until keys that have not expired yet come back, within the budget. */
  async #renew(): Promise<Keys | Refusal> {
    const { exchange, now, maxExchanges, marginMs } = this.#options;
    while (this.#exchanges < maxExchanges) {
      this.#exchanges++;
      const got = await exchange();
      const held = this.#held;
      if (!got.ok) {
        if (!held) {
          this.#refused = got.refusal;
          return got.refusal;
        }
        this.#renewalFailed = got.refusal;
        return now() < held.expiresMs ? held.keys : this.#expired(held.expiresMs);
      }
      const obtainedMs = now();
      const expiresMs = got.value.expiresAt * 1000;
      const margin = Math.max(0, Math.min(marginMs, (expiresMs - obtainedMs) / 2));
      this.#held = { keys: got.value.keys, expiresMs, renewAtMs: expiresMs - margin };
      if (obtainedMs < expiresMs) return got.value.keys;
    }
    // The loop ran (current() comes here only within the budget), and a pass that did not
    // return held keys.
    const held = this.#held as Held;
    return now() < held.expiresMs ? held.keys : this.#expired(held.expiresMs);
  }

  /** The keys expired, and no renewal was had: why, and how many exchanges were made. */
  #expired(expiresMs: number): Refusal {
    const { from, maxExchanges } = this.#options;
    const at = new Date(expiresMs).toISOString().slice(11, 19);
    const renewal = this.#renewalFailed
      ? `renewing them failed: ${this.#renewalFailed.outcome.errmsg}`
      : `this step exchanged for keys ${this.#exchanges} times, its most (${maxExchanges})`;
    const outcome: Outcome = {
      ...failure(
        `the ${from} expired at ${at} UTC, and ${renewal}`,
        this.#renewalFailed?.outcome.hint ?? EXPIRED_HINT,
      ),
      refusesAll: true,
    };
    return { outcome, from };
  }
}

/** Whether `got` is a refusal rather than keys. */
export function isRefusal(got: Keys | Refusal): got is Refusal {
  return 'outcome' in got;
}
