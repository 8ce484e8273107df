// What the run asks of a cloud API, whichever route it takes: WeChat's (`tcb/*` calls with an
// access token, the code through Tencent Cloud's signed upload host) or Tencent Cloud's
// (CloudBase's API, signed with keys). The orchestrator (deploy.ts) drives one of these through
// this interface alone; no route knows of GitHub Actions, and each reports its requests through
// `onAttempt`.

import type { Transport } from '../net/http-transport.js';
import type { RetryPolicy } from '../net/retry.js';
import type { Secrets } from '../secrets/secrets.js';
import type { HeldTrigger, TimerTrigger } from './triggers.js';

export type Api = 'wechat' | 'tencentcloud';

/** What one call came back with, judged by the route's error table. */
export interface Outcome {
  /** WeChat's errcode; null when what decided was not a WeChat answer. */
  errcode: number | null;
  /** WeChat's errmsg, Tencent Cloud's `Code: Message`, or what went wrong. Untrusted, redacted. */
  errmsg: string;
  /** Transient: the same request may succeed later. */
  retry: boolean;
  /** The request may have been carried out, and nothing clear says whether it was. */
  unclear: boolean;
  /** What the errcode means for this call, where that differs from its general meaning. */
  meaning?: string;
  /** What the user should do about it, from the route's table. */
  hint?: string;
  /** Refuses every call of this API for this token, these keys or this environment. */
  refusesAll?: boolean;
  /** The answer's JSON object, when it was one. */
  json?: Record<string, unknown>;
}

/** What went wrong where no answer of the cloud decided: final, and nothing was done. */
export function failure(errmsg: string, hint?: string): Outcome {
  return { errcode: null, errmsg, retry: false, unclear: false, ...(hint ? { hint } : {}) };
}

export type Got<T> = { ok: true; value: T } | { ok: false; outcome: Outcome };

/** A function as the cloud lists it. */
export interface ListedFunction {
  name: string;
  /** `Active`, `Creating`, `CreateFailed`, `Updating`, `UpdateFailed`, `Deleting`, … */
  status: string;
  /** Why it failed, from the status reasons, on one line; redacted. */
  reason?: string;
  /** `Nodejs16.13`, …; undefined when not listed. */
  runtime?: string;
  /** When it last changed, as the cloud writes it: tells an update that took from one that did not. */
  modTime?: string;
}

export type Listing =
  | { ok: true; functions: ReadonlyMap<string, ListedFunction> }
  | { ok: false; outcome: Outcome };

export interface CreateAttempts {
  /** Created: the last answer says so. */
  ok: boolean;
  /** The last answer. */
  outcome: Outcome;
  attempts: number;
  /** The attempts that may have created the function although their answers did not say so. */
  unclear: number[];
}

/** A function's code, zipped and checked before any request. */
export interface PreparedCode {
  zip: Buffer;
  sha256: string;
  installDependencies: boolean;
}

/**
 * A function's timeout, variables and memory. Read: each as the cloud's answer says, undefined
 * where it did not say (unknown, never a default). Written: the fields to set; an undefined one is
 * left as the cloud holds it.
 */
export interface Settings {
  /** Seconds. */
  timeout?: number;
  /** Variable name → value; values are secrets. */
  environment?: ReadonlyMap<string, string>;
  memoryMb?: number;
  /** Why the variables are unknown, when a read could not have them. */
  unread?: string;
}

/** What a new function is created with, where the route takes it in the create itself. */
export interface CreateSpec {
  code?: PreparedCode;
  settings?: Settings;
}

/**
 * What comes next after a refusal: `retry` (transient: send again after a backoff), `sign-again`
 * (the signature was stale: once more at once), `wait` (the function is busy: send again once it
 * is settled), or `fail` (never again).
 */
export type UploadAction = 'retry' | 'sign-again' | 'wait' | 'fail';

/** What the code host did with one send of a function's code. */
export type UploadTry =
  | { kind: 'accepted'; detail: string }
  | {
      kind: 'refused';
      outcome: Outcome;
      next: UploadAction;
    };

/**
 * One send of the code as it went, and what the debug log shows of it. Refused before anything
 * was sent (no signature, a body too large), its `url` is empty and its latency 0.
 */
export type UploadSent = UploadTry & Pick<AttemptEvent, 'url' | 'httpStatus' | 'latencyMs'>;

/** Credentials that could not be had, and where they were asked for. */
export interface Refusal {
  outcome: Outcome;
  /** `an access token from cgi-bin/stable_token`, … */
  from: string;
}

/** A function's timer triggers, on a route that deploys them. */
export interface TriggerCalls {
  /** The function's triggers as the cloud holds them. */
  read(name: string): Promise<Got<HeldTrigger[]>>;
  /** Creates a timer trigger, or updates the cron of one held under its name. */
  write(
    name: string,
    trigger: TimerTrigger,
    how: 'create' | 'update',
  ): Promise<Outcome | undefined>;
}

/** What a function answered when invoked. */
export type Invoked = { ok: true; response: string } | { ok: false; outcome: Outcome };

export interface Cloud {
  readonly api: Api;
  /** Whether `create` takes the code and settings along (one call instead of three). */
  readonly createCarries: boolean;
  /** Whether the function's cloud-call permissions (`config.json`) can be set on this route. */
  readonly setsPermissions: boolean;
  /** Gets what every call needs: a token, or keys. Undefined when it is had. */
  connect(): Promise<Refusal | undefined>;
  /** Every function of the environment. */
  list(): Promise<Listing>;
  create(name: string, spec: CreateSpec): Promise<CreateAttempts>;
  /** One send of the code, with whatever it takes (a fresh signature). */
  upload(name: string, code: PreparedCode): Promise<UploadSent>;
  /** The cloud-call permissions; null when none were ever set. */
  readPermissions(name: string): Promise<Got<string[] | null>>;
  writePermissions(name: string, openapi: readonly string[]): Promise<Outcome | undefined>;
  /** The settings held; the variables are asked for only when `variables` is true. */
  readSettings(name: string, variables: boolean): Promise<Got<Settings>>;
  writeSettings(name: string, settings: Settings): Promise<Outcome | undefined>;
  /** The calls for config.json's timer triggers; absent where the route cannot deploy them. */
  readonly triggers?: TriggerCalls;
  invoke(name: string, event: string): Promise<Invoked>;
}

export type Call =
  | 'stable_token'
  | 'listfunctions'
  | 'createfunction'
  | 'getcodesecret'
  | 'getuploadsignature'
  | 'getfuncconfig'
  | 'uploadfuncconfig'
  | 'invokecloudfunction'
  | 'getqcloudtoken'
  /** The code sent to the signed host (the upload's, reported the same way). */
  | 'upload'
  /** A call of Tencent Cloud's API, by its action. */
  | `tencentcloud ${string}`;

export interface AttemptEvent {
  call: Call;
  /** The attempt got what it asked for. */
  ok: boolean;
  /** What the request was for: a function name, an environment, or `access token`. */
  subject: string;
  attempt: number;
  maxAttempts: number;
  outcome: Outcome;
  /** The URL with every secret scrubbed. */
  url: string;
  /** The HTTP status, when an answer came. */
  httpStatus?: number;
  latencyMs: number;
  /** The wait before the next attempt; undefined when none follows. */
  delayMs?: number;
  /** What comes next instead of a plain wait, e.g. `waiting for the function to settle`. */
  then?: string;
}

/** What every remote of a route is built with. */
export interface Remotes {
  transport: Transport;
  secrets: Secrets;
  retry: RetryPolicy;
  onAttempt: (event: AttemptEvent) => void;
  /** GitHub's OIDC token for an audience, masked before it is returned: for `oidc` inputs. */
  idToken?: (audience: string) => Promise<string>;
  /** `GITHUB_REPOSITORY` and the run, which name the STS session. */
  repository?: string;
  run?: string;
}

/**
 * Variables as a route writes them, a list of `{[key]: name, [value]: value}`; undefined when
 * the list or an entry is not that.
 */
export function readVariables(
  list: unknown,
  key: string,
  value: string,
): Map<string, string> | undefined {
  if (!Array.isArray(list)) return undefined;
  const variables = new Map<string, string>();
  for (const entry of list) {
    const { [key]: name, [value]: text } = (entry ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || typeof text !== 'string') return undefined;
    variables.set(name, text);
  }
  return variables;
}
