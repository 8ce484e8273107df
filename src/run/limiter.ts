/**
 * At most `limit` calls of `run` in flight at once; the others wait their turn, first come first
 * served. The run's requests (creates, uploads, configuration, invocations) share one, whatever
 * stage each function has reached; the zips made before them have one of their own.
 */
export class Limiter {
  #running = 0;
  readonly #queue: (() => void)[] = [];
  /** Who waits for the next call to end. */
  #ended: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Whether a call is in flight. */
  busy(): boolean {
    return this.#running > 0;
  }

  /** Resolves when the next call ends; at once when none is in flight. */
  ended(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#ended.push(resolve));
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limit) {
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    } else this.#running++;
    try {
      return await fn();
    } finally {
      // The slot passes straight to the next in line, or is freed.
      const next = this.#queue.shift();
      if (next) next();
      else this.#running--;
      const ended = this.#ended;
      this.#ended = [];
      for (const resolve of ended) resolve();
    }
  }
}
