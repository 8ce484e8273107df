// One list at a time serves every wait: on a clock of its own, against a list that answers what
// the test says.
import { describe, expect, it } from 'vitest';
import type { ListedFunction, Listing } from '../../src/clouds/cloud.js';
import { MAX_POLL_MS, Poller, type WaitRound } from '../../src/run/poller.js';

/** A list answering `states[i]` for `login` on its i-th call (the last one from then on). */
function setup(states: (string | undefined)[], { fail = -1 } = {}) {
  let clock = 0;
  let calls = 0;
  const sleeps: number[] = [];
  const rounds: WaitRound[] = [];
  const list = async (): Promise<Listing> => {
    const i = calls++;
    if (i === fail) {
      return { ok: false, outcome: { errcode: -1, errmsg: 'busy', retry: true, unclear: false } };
    }
    const status = states[Math.min(i, states.length - 1)];
    const functions = new Map<string, ListedFunction>();
    if (status) functions.set('login', { name: 'login', status });
    return { ok: true, functions };
  };
  const poller = new Poller(
    list,
    {
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    },
    1000,
    (round) => rounds.push(round),
  );
  return { poller, sleeps, rounds, calls: () => calls };
}

const active = (fn: ListedFunction | undefined) => fn?.status === 'Active';

describe('Poller', () => {
  it('pauses between lists, doubling from the base up to MAX_POLL_MS', async () => {
    const { poller, sleeps, rounds } = setup([...Array(6).fill('Creating'), 'Active']);
    const end = await poller.until('login', active, { since: 0, limitMs: 60_000 });
    expect(end).toMatchObject({ ok: true, done: true, fn: { status: 'Active' } });
    expect(sleeps).toEqual([1000, 2000, 4000, MAX_POLL_MS, MAX_POLL_MS, MAX_POLL_MS]);
    expect(rounds[0]).toEqual({
      waiting: [{ name: 'login', state: 'Creating' }],
      elapsedMs: 0,
      limitMs: 60_000,
    });
  });

  it('ends at the limit with one last list, the last pause cut to what is left', async () => {
    const { poller, sleeps } = setup(['Creating']);
    const end = await poller.until('login', active, { since: 0, limitMs: 9000 });
    expect(end).toMatchObject({ ok: true, done: false, fn: { status: 'Creating' } });
    expect(sleeps).toEqual([1000, 2000, 4000, 2000]);
  });

  it('ends every wait when the list fails', async () => {
    const { poller, calls } = setup(['Creating'], { fail: 1 });
    const waits = [1, 2, 3].map(() => poller.until('login', active, { since: 0, limitMs: 60_000 }));
    // On this clock every wait ends at once; one left hanging fails here, not by the test's timeout.
    let timer: NodeJS.Timeout | undefined;
    const hanging = new Promise((resolve) => {
      timer = setTimeout(() => resolve('a wait did not end'), 1000);
    });
    const ends = await Promise.race([Promise.all(waits), hanging]).finally(() =>
      clearTimeout(timer),
    );
    const failed = expect.objectContaining({
      ok: false,
      outcome: expect.objectContaining({ errcode: -1 }),
    });
    expect(ends).toEqual([failed, failed, failed]);
    // The first list served all three; the second failed for all three.
    expect(calls()).toBe(2);
  });

  it('shares one list between waits that overlap', async () => {
    const { poller, calls } = setup(['Active']);
    const ends = await Promise.all(
      [1, 2, 3].map(() => poller.until('login', active, { since: 0, limitMs: 1000 })),
    );
    expect(ends.every((end) => end.ok && end.done)).toBe(true);
    expect(calls()).toBe(1);
  });

  it("waits for the requests in flight before a round's list, and then lists once", async () => {
    let clock = 0;
    let lists = 0;
    let running = 2;
    let end: () => void = () => {};
    const traffic = {
      busy: () => running > 0,
      ended: () => new Promise<void>((resolve) => (end = resolve)),
    };
    const list = async (): Promise<Listing> => {
      lists++;
      return { ok: true, functions: new Map([['login', { name: 'login', status: 'Active' }]]) };
    };
    const sleep = async (ms: number) => {
      clock += ms;
    };
    const poller = new Poller(list, { now: () => clock, sleep }, 1000, () => {}, traffic);
    const first = poller.until('login', active, { since: 0, limitMs: 60_000 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lists).toBe(0);
    // The request in flight ends, and the wait it brings joins the round.
    running = 0;
    const second = poller.until('login', active, { since: poller.mark(), limitMs: 60_000 });
    end();
    expect(await Promise.all([first, second])).toMatchObject([{ done: true }, { done: true }]);
    expect(lists).toBe(1);
  });

  it('never lets a list requested before a mark decide a wait since the mark', async () => {
    const { poller, calls } = setup(['Creating', 'Active']);
    expect(await poller.fresh(0)).toMatchObject({ ok: true });
    const mark = poller.mark();
    // The listing at hand says Creating: it predates the mark, and is not asked about it.
    const end = await poller.until('login', active, { since: mark, limitMs: 1000 });
    expect(end).toMatchObject({ done: true });
    expect(calls()).toBe(2);
  });

  it('answers fresh() from the list in flight when it was requested late enough', async () => {
    const { poller, calls } = setup(['Active']);
    const mark = poller.mark();
    const [a, b] = await Promise.all([poller.fresh(mark), poller.fresh(mark)]);
    expect(a).toBe(b);
    expect(calls()).toBe(1);
  });
});
