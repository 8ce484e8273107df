// The longest one step of this action can take, as docs/durations.md counts it: every request
// fails in the slowest way on every attempt but the last, and every wait runs out. Every attempt
// is counted at its limit (attemptLimitMs): a server that trickles an answer never quite stalls.
// The examples' `timeout-minutes` must fit what this gives for their steps (test/docs.test.ts).

import { MAX_UPLOAD_BYTES } from '../src/clouds/code-limits.js';
import { PAGE_SIZE } from '../src/clouds/wechat/wechat-client.js';
import { DEFAULTS } from '../src/inputs/inputs.js';
import { attemptLimitMs } from '../src/net/http-transport.js';
import { backoffCeiling, MAX_DELAY_MS } from '../src/net/retry.js';
import { UPLOAD_WAIT_MS } from '../src/run/deploy.js';

/** What a step asks, as far as its duration goes. */
export interface StepShape {
  functions: number;
  parallel: number;
  maxAttempts: number;
  retryDelayMs: number;
  requestTimeoutMs: number;
  waitTimeoutSeconds: number;
  code: boolean;
  /** The timeout and variables are read and written. */
  settings: boolean;
  invoke: boolean;
  /** Calls before the list: a token minted (and minted once more), keys exchanged for one. */
  credentialCalls: number;
  /** How many functions the environment holds: the list's pages. */
  environmentFunctions: number;
}

/** Zipping one function's folder, as counted here: 400 files of 8 MiB take under a second. */
const ZIP_MS = 10_000;

/** What the examples give their other steps: a checkout, and a token step whose curl may take 2 min. */
export const OTHER_STEPS_MINUTES = 3;

/** The functions an environment is taken to hold: fewer than a list page. */
const ENVIRONMENT_FUNCTIONS = PAGE_SIZE - 1;

/** The terms of the formula, each in milliseconds. */
export function terms(s: StepShape) {
  let backoff = 0;
  for (let k = 1; k < s.maxAttempts; k++) {
    backoff += backoffCeiling(k, s.retryDelayMs);
  }
  // A call's body and answer are small: its attempts are bounded by the time without progress.
  const call = s.maxAttempts * attemptLimitMs(0, s.requestTimeoutMs) + backoff;
  const list = (Math.floor(s.environmentFunctions / PAGE_SIZE) + 1) * call;
  const waitMs = s.waitTimeoutSeconds * 1000;
  return {
    backoff,
    call,
    list,
    /** A wait for a function to settle, then the last list that ends it; none with 0. */
    wait: waitMs > 0 ? waitMs + list : 0,
    /** The wait before an upload, which 0 does not skip. */
    uploadWait: (waitMs || UPLOAD_WAIT_MS) + list,
    rounds: Math.ceil(s.functions / s.parallel),
    /** One send of the largest code, after one attempt at its signature. */
    send:
      attemptLimitMs(0, s.requestTimeoutMs) + attemptLimitMs(MAX_UPLOAD_BYTES, s.requestTimeoutMs),
  };
}

export function worstCaseMs(s: StepShape): number {
  const { call, list, wait, uploadWait, rounds, send } = terms(s);
  const m = s.maxAttempts;
  // The credentials, the list, the creates, and one more list to settle a doubt.
  let total = s.credentialCalls * call + list + rounds * call + list;
  if (s.code) {
    total += s.functions * ZIP_MS;
    // Settled before the upload; the code secret; each send signed anew; between two sends, a
    // list or a wait for the function to settle.
    total += uploadWait + call + rounds * m * send;
    total += (m - 1) * Math.max(uploadWait, list + MAX_DELAY_MS);
  }
  total += wait;
  // With code, config.json's permissions are read and written; the settings likewise.
  const configCalls = (s.code ? 2 : 0) + (s.settings ? 2 : 0);
  if (configCalls > 0) total += rounds * configCalls * call + wait;
  if (s.invoke) total += rounds * call;
  return total;
}

/** The shape of a step from its `with:`, the defaults of action.yml filling the gaps. */
export function stepShape(given: Readonly<Record<string, unknown>>): StepShape {
  const text = (name: string) => (given[name] === undefined ? '' : String(given[name]).trim());
  const number = (name: keyof typeof DEFAULTS) =>
    /^\d+$/.test(text(name)) ? Number(text(name)) : Number(DEFAULTS[name]);
  const keys = text('tencentcloud-secret-id') !== '';
  const minted = text('app-id') !== '';
  const exchanged =
    text('api') === 'tencentcloud' && !keys && (minted || text('access-token') !== '');
  return {
    functions: text('function-name')
      .split('\n')
      .filter((line) => line.trim() !== '').length,
    parallel: number('parallel'),
    maxAttempts: number('max-attempts'),
    retryDelayMs: number('retry-delay-ms'),
    requestTimeoutMs: number('request-timeout-ms'),
    waitTimeoutSeconds: number('wait-timeout-seconds'),
    code: text('code-dir') !== '',
    settings:
      text('timeout-seconds') !== '' ||
      text('environment') !== '' ||
      text('environment-mode') === 'replace',
    invoke: text('invoke') !== '',
    credentialCalls: (minted ? 2 : 0) + (exchanged ? 1 : 0),
    environmentFunctions: ENVIRONMENT_FUNCTIONS,
  };
}

/** `2 min 45 s`, `1 h 47 min`, `15 s`. */
export function duration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) {
    const rest = seconds % 60;
    return `${Math.floor(seconds / 60)} min${rest ? ` ${rest} s` : ''}`;
  }
  const minutes = Math.ceil(seconds / 60);
  return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}
