// The run, step by step: list → decide → create → settle doubts → upload → wait → report. What
// WeChat can be asked is asked: a function exists when the list shows it, and is usable when it
// is `Active`. Wording and attempt history are used only when the list cannot be read.
import { join } from 'node:path';
import { HINTS_EXISTS, SAYS_EXISTS } from './errcodes.js';
import type { IfExists } from './inputs.js';
import { mapLimit } from './map-limit.js';
import { type RetryPolicy, sleep as realSleep, retry, type Sleep } from './retry.js';
import { MAX_UPLOAD_BYTES, type ScfClient, type Uploaded, uploadBody } from './scf-client.js';
import type {
  AttemptEvent,
  CreateAttempts,
  Got,
  ListedFunction,
  Listing,
  Outcome,
  WeChatClient,
} from './wechat-client.js';

export type FunctionStatus = 'created' | 'exists' | 'would-create' | 'failed';
export type CodeStatus = 'deployed' | 'failed' | null;

export interface FunctionResult {
  functionName: string;
  status: FunctionStatus;
  errcode: number | null;
  errmsg: string;
  /** What to do about the failure, when the errcode table does not say. */
  hint?: string;
  /** createfunction requests sent. */
  attempts: number;
  /** The status as last listed (`Active`, `Creating`, …); null when it was not listed. */
  state: string | null;
  /** The code: uploaded and accepted, failed, or not asked for. */
  code: CodeStatus;
  /** Lowercase hex SHA-256 of the zip, and its size; null without code. */
  codeSha256: string | null;
  codeBytes: number | null;
  /** Why this status, when more is to be said than errcode and errmsg. */
  note?: string;
  durationMs: number;
}

export interface Plan {
  env: string;
  functionNames: readonly string[];
  ifExists: IfExists;
  /** Requests in flight at once. */
  parallel: number;
  dryRun: boolean;
  /** How long to wait for functions to be `Active`; 0: do not wait. */
  waitTimeoutMs: number;
  /** The retry rule of uploads; its base delay is also the first pause between two lists. */
  retry: RetryPolicy;
  /** Upload each function's code from `dir/<name>/`. */
  code?: { dir: string; installDependencies: boolean };
}

export interface Deployment {
  results: FunctionResult[];
  /** Why no function was tried: the token could not be had. */
  tokenFailure?: Outcome;
  /** Why existence was inferred from answers: the list could not be read. */
  listFailure?: Outcome;
  /** Why waiting for `Active` stopped early: the list could not be read. */
  waitFailure?: Outcome;
}

export interface Remotes {
  wechat: WeChatClient;
  scf: ScfClient;
}

export interface DeployHooks {
  sleep?: Sleep;
  now?: () => number;
  /** Hears of every upload attempt, as the clients report theirs. */
  onAttempt?: (event: AttemptEvent) => void;
}

export const MAX_POLL_MS = 5_000;

/** States a function passes through on its way to `Active`: wait, do not act. */
const SETTLING = new Set(['Creating', 'Updating']);

/** Does this function fail the step? */
export function fails(result: FunctionResult, ifExists: IfExists): boolean {
  return (
    result.status === 'failed' ||
    result.code === 'failed' ||
    (result.status === 'exists' && ifExists === 'fail')
  );
}

export async function deploy(
  plan: Plan,
  { wechat, scf }: Remotes,
  { sleep = realSleep, now = Date.now, onAttempt = () => {} }: DeployHooks = {},
): Promise<Deployment> {
  const started = now();
  const clock = { sleep, now };
  const result = (
    functionName: string,
    fields: Pick<FunctionResult, 'status' | 'errcode' | 'errmsg'> & Partial<FunctionResult>,
  ): FunctionResult => ({
    functionName,
    attempts: 0,
    state: null,
    code: null,
    codeSha256: null,
    codeBytes: null,
    durationMs: now() - started,
    ...fields,
  });
  /** Every function failed, untried, for the reason of `outcome`. */
  const untried = (outcome: Outcome, note: string) =>
    plan.functionNames.map((name) => result(name, { status: 'failed', ...answer(outcome), note }));

  const token = await wechat.token();
  if (!token.ok) {
    const results = untried(token.outcome, 'no access token, so it was not tried');
    return { results, tokenFailure: token.outcome };
  }

  // List.
  const before = await wechat.listFunctions(plan.env);
  if (!before.ok && plan.dryRun) {
    const results = untried(before.outcome, 'the list could not be read');
    return { results, listFailure: before.outcome };
  }
  const listed = before.ok ? before.functions : new Map<string, ListedFunction>();

  // Decide, and create what is missing.
  const created = new Map<string, CreateAttempts>();
  const results = await mapLimit(plan.functionNames, plan.parallel, async (name) => {
    const fn = listed.get(name);
    if (fn) return result(name, { status: 'exists', ...answer(before.outcome), state: fn.status });
    if (plan.dryRun) return result(name, { status: 'would-create', errcode: null, errmsg: '' });
    const attempts = await wechat.createFunction(plan.env, name);
    created.set(name, attempts);
    const status = attempts.outcome.errcode === 0 ? 'created' : 'failed';
    return result(name, { status, ...answer(attempts.outcome), attempts: attempts.attempts });
  });

  // Settle doubts.
  const listing = await settleDoubts(plan.env, wechat, results, created, before);
  if (plan.ifExists === 'fail') {
    for (const r of results.filter((r) => r.status === 'exists')) {
      r.errcode = null;
      r.errmsg = `${r.functionName} already exists in ${plan.env}, and \`if-exists\` is \`fail\``;
    }
  }
  const listFailure = [before, listing].find((l) => !l.ok)?.outcome;
  const canList = listFailure === undefined;
  const poller = new Poller(wechat, plan, clock);

  // Upload each function's code, once it exists.
  if (plan.code) {
    const upload = new Upload(
      plan,
      plan.code,
      { wechat, scf },
      { ...clock, onAttempt },
      poller,
      canList,
    );
    await mapLimit(results, plan.parallel, async (r) => {
      if (fails(r, plan.ifExists)) return;
      await upload.run(r);
      r.durationMs = now() - started;
    });
  }

  // Wait until what this run created or deployed is usable.
  const waiting = results.filter(
    (r) => (r.status === 'created' && r.state !== 'Active') || r.code === 'deployed',
  );
  const waitFailure =
    !canList || plan.waitTimeoutMs === 0 || waiting.length === 0
      ? undefined
      : await waitUntilActive(plan, poller, waiting, clock, started);
  return { results, listFailure, waitFailure };
}

/**
 * A create that ended unclear, or with any word of existence, is decided by a second list (one
 * for all of them), or by the answers when the list cannot be read. A function listed before
 * the run is never among them. Resolves with the listing that decided.
 */
async function settleDoubts(
  env: string,
  wechat: WeChatClient,
  results: FunctionResult[],
  created: ReadonlyMap<string, CreateAttempts>,
  before: Listing,
): Promise<Listing> {
  const doubtful = results.flatMap((r) => {
    const attempts = created.get(r.functionName);
    const doubt =
      r.status === 'failed' &&
      attempts !== undefined &&
      (attempts.unclear.length > 0 || HINTS_EXISTS.test(attempts.outcome.errmsg));
    return doubt ? [{ r, attempts }] : [];
  });
  if (doubtful.length === 0) return before;
  const listing = before.ok ? await wechat.listFunctions(env) : before;
  for (const { r, attempts } of doubtful) Object.assign(r, settle(r, attempts, listing));
  return listing;
}

/** The errcode and errmsg of an answer, as a result carries them. */
function answer(outcome: Pick<Outcome, 'errcode' | 'errmsg'>) {
  return { errcode: outcome.errcode, errmsg: outcome.errmsg };
}

/** Decides a doubtful create: by the list when it could be read, else by the answers. */
function settle(
  r: FunctionResult,
  attempts: CreateAttempts,
  listing: Listing,
): Partial<FunctionResult> {
  const [firstUnclear] = attempts.unclear;
  if (listing.ok) {
    const fn = listing.functions.get(r.functionName);
    if (!fn) return {};
    if (firstUnclear !== undefined) {
      return {
        status: 'created',
        state: fn.status,
        note: `attempt ${firstUnclear} got no clear answer; the list shows the function now, so that attempt created it`,
      };
    }
    return {
      status: 'exists',
      state: fn.status,
      note: 'not listed before this run, listed now: another run created it meanwhile',
    };
  }
  // The list cannot be read: infer from the wording, as WeChat documents no answer for this.
  if (!SAYS_EXISTS.test(attempts.outcome.errmsg)) return {};
  if (firstUnclear !== undefined && firstUnclear < attempts.attempts) {
    return {
      status: 'created',
      note: `inferred: attempt ${firstUnclear} got no clear answer and a later one was told the function exists`,
    };
  }
  return { status: 'exists', note: 'inferred from the answer: the list could not be read' };
}

/** One upload attempt: the failure before anything was sent, or what the host answered. */
interface Try {
  failure?: Outcome;
  uploaded?: Uploaded;
}

type Clock = Required<Pick<DeployHooks, 'sleep' | 'now'>>;

/**
 * Lists the environment for whoever waits on it, with a pause that doubles from the retry delay
 * up to MAX_POLL_MS, until their `done` says so or the wait runs out. Waits that overlap (the
 * uploads of functions created together) share the list in flight rather than each asking.
 */
class Poller {
  #inFlight: Promise<Listing> | undefined;

  constructor(
    private readonly wechat: WeChatClient,
    private readonly plan: Plan,
    private readonly clock: Clock,
  ) {}

  #list(): Promise<Listing> {
    this.#inFlight ??= this.wechat.listFunctions(this.plan.env).finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async until(
    done: (functions: Map<string, ListedFunction>) => boolean,
  ): Promise<{ ok: true; finished: boolean } | { ok: false; outcome: Outcome }> {
    const { sleep, now } = this.clock;
    const deadline = now() + this.plan.waitTimeoutMs;
    const base = Math.max(1, this.plan.retry.baseDelayMs);
    for (let round = 0; ; round++) {
      const listing = await this.#list();
      if (!listing.ok) return listing;
      if (done(listing.functions)) return { ok: true, finished: true };
      const left = deadline - now();
      if (left <= 0) return { ok: true, finished: false };
      await sleep(Math.min(left, MAX_POLL_MS, base * 2 ** round));
    }
  }
}

/**
 * Waits until every function in `waiting` is `Active`, or has failed, or the wait runs out. A
 * function that ends `*Failed`, or is still settling at the end, fails with its last state: its
 * code when the code was deployed, the function itself otherwise.
 */
async function waitUntilActive(
  plan: Plan,
  poller: Poller,
  waiting: FunctionResult[],
  clock: Clock,
  started: number,
): Promise<Outcome | undefined> {
  const fail = (r: FunctionResult, errmsg: string) => {
    Object.assign(r, r.code === 'deployed' ? { code: 'failed' } : { status: 'failed' });
    Object.assign(r, { errcode: null, errmsg });
  };
  let pending = waiting;
  const polled = await poller.until((functions) => {
    pending = pending.filter((r) => {
      const fn = functions.get(r.functionName);
      r.state = fn?.status ?? null;
      r.durationMs = clock.now() - started;
      if (fn?.status === 'Active') return false;
      // Not listed yet: a list may lag behind a create that just succeeded.
      if (!fn || SETTLING.has(fn.status)) return true;
      fail(r, `${fn.status}${fn.reason ? `: ${fn.reason}` : ''}`);
      return false;
    });
    return pending.length === 0;
  });
  if (!polled.ok) return polled.outcome;
  const seconds = plan.waitTimeoutMs / 1000;
  for (const r of pending) {
    const still = r.state === null ? 'not listed' : r.state;
    fail(r, `still ${still} after waiting ${seconds} s for Active (wait-timeout-seconds)`);
  }
  return undefined;
}

/**
 * Uploads functions' code by WeChat's documented flow: the code secret (once per run), the zip
 * and the body, a signature made right before each send, the send to the signed host.
 */
class Upload {
  #codeSecret: Promise<Got<string>> | undefined;
  // Loaded only when code is deployed: the zip library costs every other run its start-up.
  #codeZip: Promise<typeof import('./code-zip.js')> | undefined;

  constructor(
    private readonly plan: Plan,
    private readonly code: NonNullable<Plan['code']>,
    private readonly remotes: Remotes,
    private readonly hooks: Clock & { onAttempt: (event: AttemptEvent) => void },
    private readonly poller: Poller,
    private readonly canList: boolean,
  ) {}

  async run(r: FunctionResult): Promise<void> {
    const { env, dryRun } = this.plan;
    const { wechat, scf } = this.remotes;
    const failCode = (errmsg: string, errcode: number | null = null, hint?: string): void => {
      Object.assign(r, { code: 'failed', errcode, errmsg: `code upload: ${errmsg}`, hint });
    };

    const { installDependencies } = this.code;
    const folder = join(this.code.dir, r.functionName);
    this.#codeZip ??= import('./code-zip.js');
    const { zipFunction } = await this.#codeZip;
    const zip = await zipFunction(folder, { installDependencies }).catch((error: Error) => error);
    if (zip instanceof Error) return failCode(zip.message);
    r.codeSha256 = zip.sha256;
    r.codeBytes = zip.zip.length;
    if (dryRun) return;

    this.#codeSecret ??= wechat.codeSecret();
    const codeSecret = await this.#codeSecret;
    if (!codeSecret.ok) return failCode(codeSecret.outcome.errmsg, codeSecret.outcome.errcode);
    const body = uploadBody({
      codeSecret: codeSecret.value,
      env,
      functionName: r.functionName,
      zip: zip.zip,
      installDependencies,
    });
    if (body.bytes > MAX_UPLOAD_BYTES) {
      const mib = (body.bytes / 1024 / 1024).toFixed(1);
      return failCode(
        `the upload body is ${mib} MiB (${body.bytes} bytes), over the 10 MiB a signed request may carry`,
        null,
        installDependencies
          ? 'List what the cloud does not need in the folder’s `.wechatignore`.'
          : 'Set `install-dependencies: true` to leave node_modules/ out and install in the cloud.',
      );
    }

    // A function still being created or updated must refuse the body: wait for it instead.
    if (r.state !== 'Active' && (r.status === 'created' || SETTLING.has(r.state ?? ''))) {
      await this.#settled(r);
    }
    let signedAgain = false;
    const { value } = await retry<Try>(
      async () => {
        // Signed right before each send: a signature is good for five minutes.
        const signature = await wechat.uploadSignature(r.functionName, body.sha256);
        if (!signature.ok) return { value: { failure: signature.outcome }, retry: false };
        const request = scf.sign(signature.value);
        if ('refused' in request) {
          const failure = { errcode: null, errmsg: request.refused, retry: false, unclear: false };
          return { value: { failure }, retry: false };
        }
        const uploaded = await scf.upload(request, body);
        const again =
          (uploaded.action === 'sign-again' && !signedAgain) ||
          uploaded.action === 'retry' ||
          (uploaded.action === 'wait' && (await this.#settled(r)));
        signedAgain ||= uploaded.action === 'sign-again';
        return { value: { uploaded }, retry: again };
      },
      { sleep: this.hooks.sleep, ...this.plan.retry },
      (attempt, { uploaded }, delayMs) => {
        if (!uploaded) return;
        this.hooks.onAttempt({
          call: 'upload',
          subject: r.functionName,
          attempt,
          maxAttempts: this.plan.retry.maxAttempts,
          ...uploaded,
          delayMs,
        });
      },
    );
    const { failure, uploaded } = value;
    if (failure) return failCode(failure.errmsg, failure.errcode);
    if (uploaded?.action === 'done') {
      Object.assign(r, { code: 'deployed', state: null });
      return;
    }
    if (uploaded) failCode(uploaded.outcome.errmsg, null, uploaded.hint);
  }

  /**
   * Waits, listing, while the function is `Creating` or `Updating`: before the first send, and
   * when the host says it is busy. True when it is `Active` then, so an upload is worth another
   * try; without the list, or with no wait allowed, the retry's own backoff is all the wait.
   */
  async #settled(r: FunctionResult): Promise<boolean> {
    if (!this.canList || this.plan.waitTimeoutMs === 0) return true;
    const polled = await this.poller.until((functions) => {
      r.state = functions.get(r.functionName)?.status ?? null;
      return r.state === null || !SETTLING.has(r.state);
    });
    return polled.ok && r.state === 'Active';
  }
}
