// Every wait of a run is served by one list at a time: the waits of several functions (before an
// upload, after it, after a configuration write) are checked against the same answers, one round
// per list, with a pause that doubles from the retry delay up to MAX_POLL_MS for each waiter. A
// listing counts for a waiter only if it was requested after the waiter's mark, so that a list
// that may predate an upload or a create never decides about it. A round's list waits for the
// requests in flight to end (up to MAX_POLL_MS): they are what brings the next waiters, and the
// list then serves them too, where a list sent at once would serve one group and need another.
import type { ListedFunction, Listing, Outcome } from '../clouds/cloud.js';
import type { Sleep } from '../net/retry.js';

export const MAX_POLL_MS = 5_000;

/** The run's requests in flight, as a round's list waits for them: see Limiter. */
interface Traffic {
  busy(): boolean;
  ended(): Promise<void>;
}

const NO_TRAFFIC: Traffic = { busy: () => false, ended: async () => {} };

export interface Clock {
  sleep: Sleep;
  now: () => number;
}

/** One round of waiting, as the log shows it. */
export interface WaitRound {
  waiting: { name: string; state: string | null }[];
  /** How long the longest waiter has waited, and how long it may. */
  elapsedMs: number;
  limitMs: number;
}

type WaitEnd =
  | {
      ok: true;
      /** The function as last listed; undefined when it was not listed. */
      fn: ListedFunction | undefined;
      /** Whether `done` said so; false when the wait ran out first. */
      done: boolean;
    }
  | { ok: false; outcome: Outcome };

/** A listing, numbered in the order the lists were requested. */
type Numbered = Listing & { seq: number };

interface Waiter {
  name: string;
  done: (fn: ListedFunction | undefined) => boolean;
  since: number;
  startedAt: number;
  limitMs: number;
  rounds: number;
  nextAt: number;
  last: ListedFunction | undefined;
  resolve: (end: WaitEnd) => void;
}

export class Poller {
  /** How many lists were requested so far: the number the next one gets. */
  #requested = 0;
  #latest: Numbered | undefined;
  #inFlight: Promise<Numbered> | undefined;
  readonly #waiters = new Set<Waiter>();
  #looping = false;
  /** The number of the listing the last round used: each round needs a newer one. */
  #lastRound = -1;
  #wake = new AbortController();

  constructor(
    private readonly list: () => Promise<Listing>,
    private readonly clock: Clock,
    private readonly baseDelayMs: number,
    private readonly onRound: (round: WaitRound) => void = () => {},
    private readonly traffic: Traffic = NO_TRAFFIC,
  ) {}

  /** A mark: listings requested from now on count as news of what happened before it. */
  mark(): number {
    return this.#requested;
  }

  /** A listing requested at or after `mark`: the latest, the one in flight, or a new one. */
  async fresh(mark: number): Promise<Listing> {
    for (;;) {
      if (this.#latest && this.#latest.seq >= mark) return this.#latest;
      const inFlight = this.#inFlight ?? this.#request();
      const listing = await inFlight;
      if (listing.seq >= mark) return listing;
    }
  }

  /**
   * Waits until `done` holds for `name` in a listing requested after `since`, or `limitMs`
   * passes (then one last listing decides), or the list fails.
   */
  until(
    name: string,
    done: (fn: ListedFunction | undefined) => boolean,
    { since, limitMs }: { since: number; limitMs: number },
  ): Promise<WaitEnd> {
    return new Promise((resolve) => {
      const now = this.clock.now();
      const waiter: Waiter = {
        name,
        done,
        since,
        startedAt: now,
        limitMs,
        rounds: 0,
        nextAt: now,
        last: undefined,
        resolve: (end) => {
          this.#waiters.delete(waiter);
          resolve(end);
        },
      };
      if (this.#latest && this.#latest.seq >= since && this.#check(waiter, this.#latest, now)) {
        return;
      }
      this.#waiters.add(waiter);
      this.#wake.abort();
      if (!this.#looping) void this.#loop();
    });
  }

  #request(): Promise<Numbered> {
    const seq = this.#requested++;
    this.#inFlight = this.list().then((listing) => {
      const numbered = { ...listing, seq };
      if (!this.#latest || seq > this.#latest.seq) this.#latest = numbered;
      if (this.#inFlight === request) this.#inFlight = undefined;
      return numbered;
    });
    const request = this.#inFlight;
    return request;
  }

  async #loop(): Promise<void> {
    this.#looping = true;
    try {
      while (this.#waiters.size > 0) {
        const earliest = Math.min(...[...this.#waiters].map((w) => w.since));
        const wanted = Math.max(earliest, this.#lastRound + 1);
        if (!this.#inFlight && !(this.#latest && this.#latest.seq >= wanted)) await this.#quiet();
        const listing = await this.fresh(wanted);
        const now = this.clock.now();
        if (!listing.ok) {
          for (const waiter of this.#waiters)
            waiter.resolve({ ok: false, outcome: listing.outcome });
          return;
        }
        const numbered = listing as Numbered;
        this.#lastRound = numbered.seq;
        const checked = [...this.#waiters].filter((waiter) => numbered.seq >= waiter.since);
        for (const waiter of checked) this.#check(waiter, numbered, now);
        if (this.#waiters.size === 0) return;
        this.#report(
          checked.filter((waiter) => this.#waiters.has(waiter)),
          now,
        );
        const next = Math.min(...[...this.#waiters].map((w) => w.nextAt));
        this.#wake = new AbortController();
        if (next > now) await this.clock.sleep(next - now, this.#wake.signal);
      }
    } finally {
      this.#looping = false;
    }
  }

  /** Until no request is in flight, or MAX_POLL_MS passed, looked at as each request ends. */
  async #quiet(): Promise<void> {
    if (!this.traffic.busy()) return;
    const start = this.clock.now();
    while (this.traffic.busy() && this.clock.now() - start < MAX_POLL_MS) {
      await this.traffic.ended();
    }
    // What the last request ended for goes on first: its function's wait joins this round.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Settles `waiter` with `listing` if it is done or out of time; else schedules its next look. */
  #check(waiter: Waiter, listing: Numbered, now: number): boolean {
    if (!listing.ok) return false;
    const fn = listing.functions.get(waiter.name);
    waiter.last = fn;
    const deadline = waiter.startedAt + waiter.limitMs;
    if (waiter.done(fn)) waiter.resolve({ ok: true, fn, done: true });
    else if (now >= deadline) waiter.resolve({ ok: true, fn, done: false });
    else {
      const pause = Math.min(MAX_POLL_MS, Math.max(1, this.baseDelayMs) * 2 ** waiter.rounds++);
      waiter.nextAt = Math.min(now + pause, deadline);
      return false;
    }
    return true;
  }

  #report(waiters: Waiter[], now: number): void {
    if (waiters.length === 0) return;
    const oldest = waiters.reduce((a, b) => (b.startedAt < a.startedAt ? b : a));
    this.onRound({
      waiting: waiters.map((w) => ({ name: w.name, state: w.last?.status ?? null })),
      elapsedMs: now - oldest.startedAt,
      limitMs: oldest.limitMs,
    });
  }
}
