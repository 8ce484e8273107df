// Deflates on every core: the main thread and a few long-lived worker threads take tasks (a batch
// of pieces: small files, or a megabyte of a large one, see zip-deflate.ts) from one queue that
// every zip in progress shares. Each piece is deflated alone, so the bytes are the same whatever
// thread deflates it and however many there are.
//
// The action is one bundle (ncc), where no module file of ours exists to start a worker from. So a
// worker is started from source text: deflatePieces' own, and fflate loaded from the copy of its ES
// module that ncc puts next to the bundle: ncc turns `new URL(…, import.meta.url)` into the URL
// (or the path) of that copy; from the sources it is the URL of the file in node_modules.
//
// The main thread starts on the first task at once, while the workers start (some 50 ms), which
// also makes it one of the cores: there is a worker for each other core. A folder too small to
// repay a worker's start is left to the main thread alone, unless workers are up already. Workers
// start when there are tasks, and again when one dies. A worker holds the process only while it
// works (ref/unref), so an idle pool never delays the exit.
import { closeSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { crc32 } from 'node:zlib';
import { Deflate, deflateSync } from 'fflate';
import {
  crc32Combine,
  type DeflateResult,
  type DeflateTask,
  type DeflateTools,
  deflatePieces,
  PIECE_BYTES,
  type Piece,
} from './zip-deflate.js';

const FFLATE: URL | string = new URL('../../node_modules/fflate/esm/index.mjs', import.meta.url);
const fflateUrl = () => (FFLATE instanceof URL ? FFLATE : pathToFileURL(FFLATE)).href;

const WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, readSync } = require('node:fs');
const { crc32 } = require('node:zlib');
const deflatePieces = ${deflatePieces};
import(workerData.fflate).then((fflate) => {
  const tools = { fflate, fs: { closeSync, openSync, readSync }, crc32 };
  parentPort.on('message', (task) => {
    const result = deflatePieces(tools, task);
    parentPort.postMessage(result, result.data ? [result.data.buffer] : []);
  });
  parentPort.postMessage('ready');
});
`;

const MAIN_THREAD: DeflateTools = {
  fflate: { Deflate, deflateSync },
  fs: { closeSync, openSync, readSync },
  crc32,
};

export interface PoolOptions {
  /** Worker threads at most. */
  workers: number;
  /** Whether the main thread takes tasks too, besides the workers. */
  onMainThread: boolean;
  /** A folder that costs less is deflated on the main thread alone while no worker is up. */
  mainThreadBelow: number;
}

// What a file costs to deflate besides its bytes (opening it, fflate's tables): about as much as
// 2 KiB of data. A folder of many small files is worth the workers too.
const FILE_COST = 2048;

/** A file deflated: its CRC-32, and its deflate stream in parts. */
interface Deflated {
  crc: number;
  parts: Uint8Array[];
  compressedSize: number;
}

/** A bug in deflatePieces, or a worker that died: not the folder's fault. */
export class PoolError extends Error {}

/** The first failure in file order (`failed`: the index of the file), or too large. */
type Failure = { tooLarge: true } | { failed: number; code: string } | PoolError;

interface Job {
  task: DeflateTask;
  /** Its folder failed: no need to start it. */
  cancelled: boolean;
  settle: (result: DeflateResult | PoolError) => void;
  result: Promise<DeflateResult | PoolError>;
}

interface Thread {
  worker: Worker;
  /** fflate is loaded: it can take a task. */
  ready: boolean;
  /** Settles once it is ready, or with the reason it could not start. */
  started: Promise<PoolError | undefined>;
  job?: Job;
}

export class DeflatePool {
  readonly #options: PoolOptions;
  readonly #threads: Thread[] = [];
  readonly #queue: Job[] = [];
  #mainThreadBusy = false;
  /** Why a worker could not start: every one would fail alike, so none is started again. */
  #broken: PoolError | undefined;

  constructor(options: PoolOptions) {
    this.#options = options;
  }

  /** Deflates a folder's files: for each, its CRC-32 and deflate stream; or the failure. */
  async deflate(
    files: readonly { path: string; size: number }[],
    reached: SharedArrayBuffer,
    limit: number,
  ): Promise<Deflated[] | Failure> {
    const pieces: (Piece & { file: number; cost: number })[] = [];
    files.forEach(({ path, size }, file) => {
      for (let offset = 0; offset === 0 || offset < size; offset += PIECE_BYTES) {
        const length = Math.min(PIECE_BYTES, size - offset);
        const cost = length + (offset === 0 ? FILE_COST : 0);
        pieces.push({ path, size, offset, length, file, cost });
      }
    });
    const total = pieces.reduce((sum, piece) => sum + piece.cost, 0);
    const alone = this.#threads.length === 0 && total < this.#options.mainThreadBelow;
    const here = this.#options.onMainThread || this.#options.workers === 0;
    // Several tasks per thread, so that the threads finish together.
    const threads = alone ? 1 : this.#options.workers + (here ? 1 : 0);
    const taskCost = Math.max(64 * 1024, Math.ceil(total / (threads * 8)));
    const tasks: DeflateTask[] = [];
    for (let i = 0; i < pieces.length; ) {
      const task: DeflateTask = { pieces: [], reached, limit };
      let cost = 0;
      do {
        const { path, size, offset, length } = pieces[i];
        task.pieces.push({ path, size, offset, length });
        cost += pieces[i++].cost;
      } while (i < pieces.length && cost + pieces[i].cost <= taskCost);
      tasks.push(task);
    }

    if (!alone && this.#broken) return this.#broken;
    const jobs = alone ? [] : tasks.map((task) => this.#enqueue(task));
    this.#dispatch();
    if (here) void this.#workOnMainThread();
    // A worker that cannot start must fail the zip even when this thread did every task: that it
    // works from the bundle is proven on the first zip that starts workers, not on some later one.
    const starting = alone ? [] : this.#threads.map((thread) => thread.started);
    const deflated: Deflated[] = [];
    let done = 0;
    for (const [i, task] of tasks.entries()) {
      const result = alone ? runHere(task) : await jobs[i].result;
      if (result instanceof PoolError || !('pieces' in result)) {
        for (const job of jobs) job.cancelled = true;
        if (!('failed' in result)) return result;
        return { failed: pieces[done + result.failed].file, code: result.code };
      }
      let at = 0;
      for (const { crc, compressedSize } of result.pieces) {
        const { file, offset, length } = pieces[done++];
        const part = result.data.subarray(at, at + compressedSize);
        at += compressedSize;
        if (offset === 0) deflated[file] = { crc, parts: [part], compressedSize };
        else {
          const joined = deflated[file];
          joined.crc = crc32Combine(joined.crc, crc, length);
          joined.parts.push(part);
          joined.compressedSize += compressedSize;
        }
      }
    }
    for (const failure of await Promise.all(starting)) if (failure) return failure;
    return deflated;
  }

  /**
   * For a folder being walked: hears of each file found, and starts the workers as soon as the
   * files found so far are worth them, so that they start while the walk goes on.
   */
  warmUp(): (size: number) => void {
    let cost = 0;
    return (size) => {
      cost += size + FILE_COST;
      if (cost < this.#options.mainThreadBelow) return;
      while (!this.#broken && this.#threads.length < this.#options.workers) this.#start();
    };
  }

  /** Stops the workers (a pool of one's own: the shared one is only ever unref'd). */
  async close(): Promise<void> {
    await Promise.all(this.#threads.map((thread) => thread.worker.terminate()));
  }

  #enqueue(task: DeflateTask): Job {
    const job = { task, cancelled: false } as Job;
    job.result = new Promise((settle) => {
      job.settle = settle;
    });
    this.#queue.push(job);
    return job;
  }

  /** The next task to start; one of a folder that failed is dropped. */
  #next(): Job | undefined {
    let job = this.#queue.shift();
    while (job?.cancelled) job = this.#queue.shift();
    return job;
  }

  /** Gives tasks to the workers that wait for one; starts workers while there are tasks. */
  #dispatch(): void {
    const waiting = this.#queue.some((job) => !job.cancelled);
    while (!this.#broken && waiting && this.#threads.length < this.#options.workers) {
      this.#start();
    }
    for (const thread of this.#threads) {
      if (!thread.ready || thread.job) continue;
      const job = this.#next();
      if (!job) return;
      thread.job = job;
      thread.worker.ref();
      thread.worker.postMessage(job.task);
    }
  }

  /** Takes tasks on this thread too, one at a time, with the event loop let in between. */
  async #workOnMainThread(): Promise<void> {
    if (this.#mainThreadBusy) return;
    this.#mainThreadBusy = true;
    for (let job = this.#next(); job; job = this.#next()) {
      job.settle(runHere(job.task));
      await new Promise(setImmediate);
    }
    this.#mainThreadBusy = false;
  }

  #start(): void {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { fflate: fflateUrl() },
      // Not the parent's loaders and flags (tsx, test runners): the source is plain JavaScript.
      execArgv: [],
    });
    let began: (failure?: PoolError) => void = () => {};
    const started = new Promise<PoolError | undefined>((resolve) => {
      began = resolve;
    });
    const thread: Thread = { worker, ready: false, started };
    this.#threads.push(thread);
    const settle = (result: DeflateResult | PoolError) => {
      const { job } = thread;
      thread.job = undefined;
      job?.settle(result);
    };
    worker.on('message', (message: DeflateResult | 'ready') => {
      if (message === 'ready') {
        thread.ready = true;
        began();
      } else settle(message);
      worker.unref();
      this.#dispatch();
    });
    // An error is followed by the exit; either way the worker is gone, and so is its task.
    let why = '';
    worker.on('error', (error) => {
      why = error.message;
    });
    worker.on('exit', (code) => {
      this.#threads.splice(this.#threads.indexOf(thread), 1);
      const failure = new PoolError(why || `a deflate worker stopped (exit code ${code})`);
      if (!thread.ready) {
        this.#broken = new PoolError(`a deflate worker could not start: ${failure.message}`);
        began(this.#broken);
        for (const job of this.#queue.splice(0)) job.settle(this.#broken);
      }
      settle(failure);
      this.#dispatch();
    });
  }
}

function runHere(task: DeflateTask): DeflateResult | PoolError {
  try {
    return deflatePieces(MAIN_THREAD, task);
  } catch (error) {
    return new PoolError(`deflating failed: ${(error as Error).message}`);
  }
}

/** The workers of the pool every zip of the process shares: one per core but the main thread's. */
export const SHARED_WORKERS = Math.min(availableParallelism() - 1, 7);

/**
 * The work (bytes, and a cost per file) under which a folder is deflated on the main thread
 * alone, by the workers there would be. One worker (two cores) can at most halve the deflate,
 * and its start, fflate's load in it and the copies back ate that up: on two cores fflate's
 * zipSync alone beat the pool on a folder of 8 MiB (see BENCHMARKS.md). So with one worker the
 * main thread keeps any folder an upload can carry; with more, workers pay from 1 MiB.
 */
export function inThreadBelow(workers: number): number {
  return workers <= 1 ? 64 * 1024 * 1024 : 1024 * 1024;
}

let shared: DeflatePool | undefined;

/** The pool every zip of the process shares. */
export function sharedPool(): DeflatePool {
  shared ??= new DeflatePool({
    workers: SHARED_WORKERS,
    onMainThread: true,
    mainThreadBelow: inThreadBelow(SHARED_WORKERS),
  });
  return shared;
}
