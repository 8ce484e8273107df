// The run, step by step: list → decide → create → settle doubts → wait → report. What WeChat can
// be asked is asked: a function exists when the list shows it, and is usable when it is `Active`.
// Wording and attempt history are used only when the list cannot be read.
import { HINTS_EXISTS, SAYS_EXISTS } from './errcodes.js';
import type { IfExists } from './inputs.js';
import { mapLimit } from './map-limit.js';
import { sleep as realSleep, type Sleep } from './retry.js';
import type {
  CreateAttempts,
  ListedFunction,
  Listing,
  Outcome,
  WeChatClient,
} from './wechat-client.js';

export type FunctionStatus = 'created' | 'exists' | 'would-create' | 'failed';

export interface FunctionResult {
  functionName: string;
  status: FunctionStatus;
  errcode: number | null;
  errmsg: string;
  /** createfunction requests sent. */
  attempts: number;
  /** The status as last listed (`Active`, `Creating`, …); null when it was not listed. */
  state: string | null;
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
  /** How long to wait for created functions to be `Active`; 0: do not wait. */
  waitTimeoutMs: number;
  /** The first wait between two lists while waiting; it doubles up to MAX_POLL_MS. */
  pollDelayMs: number;
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

export interface DeployHooks {
  sleep?: Sleep;
  now?: () => number;
}

export const MAX_POLL_MS = 5_000;

/** States a function passes through on its way to `Active`. */
const SETTLING = new Set(['Creating', 'Updating']);

/** Does this function fail the step? */
export function fails(result: FunctionResult, ifExists: IfExists): boolean {
  return result.status === 'failed' || (result.status === 'exists' && ifExists === 'fail');
}

export async function deploy(
  plan: Plan,
  wechat: WeChatClient,
  { sleep = realSleep, now = Date.now }: DeployHooks = {},
): Promise<Deployment> {
  const started = now();
  const result = (
    functionName: string,
    fields: Omit<FunctionResult, 'functionName' | 'durationMs' | 'attempts' | 'state'> &
      Partial<Pick<FunctionResult, 'attempts' | 'state'>>,
  ): FunctionResult => ({
    functionName,
    attempts: 0,
    state: null,
    durationMs: now() - started,
    ...fields,
  });

  const token = await wechat.token();
  if (!token.ok) {
    const results = plan.functionNames.map((name) =>
      result(name, {
        status: 'failed',
        ...answer(token.outcome),
        note: 'no access token, so it was not tried',
      }),
    );
    return { results, tokenFailure: token.outcome };
  }

  // List.
  const before = await wechat.listFunctions(plan.env);
  if (!before.ok && plan.dryRun) {
    const results = plan.functionNames.map((name) =>
      result(name, {
        status: 'failed',
        ...answer(before.outcome),
        note: 'the list could not be read',
      }),
    );
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
    const fields = { ...answer(attempts.outcome), attempts: attempts.attempts };
    if (attempts.outcome.errcode === 0) return result(name, { status: 'created', ...fields });
    return result(name, { status: 'failed', ...fields });
  });

  // Settle doubts: a create that ended unclear, or with any word of existence, is decided by
  // the list. A function listed before the run is never among them.
  const doubtful = results.filter((r) => {
    const attempts = created.get(r.functionName);
    return (
      r.status === 'failed' &&
      attempts !== undefined &&
      (attempts.unclear.length > 0 || HINTS_EXISTS.test(attempts.outcome.errmsg))
    );
  });
  let listing: Listing | undefined = before.ok ? undefined : before;
  if (doubtful.length > 0 && before.ok) listing = await wechat.listFunctions(plan.env);
  for (const r of doubtful) {
    const attempts = created.get(r.functionName) as CreateAttempts;
    Object.assign(r, settle(r, attempts, listing as Listing));
  }
  if (plan.ifExists === 'fail') {
    for (const r of results.filter((r) => r.status === 'exists')) {
      r.errcode = null;
      r.errmsg = `${r.functionName} already exists in ${plan.env}, and \`if-exists\` is \`fail\``;
    }
  }
  const listFailure = [before, listing].find(
    (l): l is Listing & { ok: false } => l?.ok === false,
  )?.outcome;

  // Wait until what this run created is usable.
  const waiting = results.filter((r) => r.status === 'created' && r.state !== 'Active');
  const waitFailure =
    listFailure || plan.waitTimeoutMs === 0 || waiting.length === 0
      ? undefined
      : await waitUntilActive(plan, wechat, waiting, { sleep, now }, started);
  return { results, listFailure, waitFailure };
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
  const mayHaveCreated = attempts.unclear.length > 0;
  if (listing.ok) {
    const fn = listing.functions.get(r.functionName);
    if (!fn) return {};
    if (mayHaveCreated) {
      return {
        status: 'created',
        state: fn.status,
        note: `attempt ${attempts.unclear[0]} got no clear answer; the list shows the function now, so that attempt created it`,
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
  if (attempts.unclear.some((n) => n < attempts.attempts)) {
    return {
      status: 'created',
      note: `inferred: attempt ${attempts.unclear[0]} got no clear answer and a later one was told the function exists`,
    };
  }
  return { status: 'exists', note: 'inferred from the answer: the list could not be read' };
}

/**
 * Lists, with a growing pause, until every function in `waiting` is `Active` or has failed, or
 * the wait runs out. A failed or timed-out function becomes `failed` with its last state.
 */
async function waitUntilActive(
  plan: Plan,
  wechat: WeChatClient,
  waiting: FunctionResult[],
  { sleep, now }: Required<DeployHooks>,
  started: number,
): Promise<Outcome | undefined> {
  const deadline = now() + plan.waitTimeoutMs;
  let pending = waiting;
  for (let round = 0; ; round++) {
    const listing = await wechat.listFunctions(plan.env);
    if (!listing.ok) return listing.outcome;
    pending = pending.filter((r) => {
      const fn = listing.functions.get(r.functionName);
      r.state = fn?.status ?? null;
      r.durationMs = now() - started;
      if (fn?.status === 'Active') return false;
      if (fn && SETTLING.has(fn.status)) return true;
      Object.assign(r, {
        status: 'failed',
        errcode: null,
        errmsg: fn
          ? `${fn.status}${fn.reason ? `: ${fn.reason}` : ''}`
          : 'created, but no longer listed',
      });
      return false;
    });
    const left = deadline - now();
    if (pending.length === 0) return undefined;
    if (left <= 0) break;
    await sleep(Math.min(left, MAX_POLL_MS, plan.pollDelayMs * 2 ** round));
  }
  const seconds = plan.waitTimeoutMs / 1000;
  for (const r of pending) {
    Object.assign(r, {
      status: 'failed',
      errcode: null,
      errmsg: `still ${r.state} after waiting ${seconds} s for Active (wait-timeout-seconds)`,
    });
  }
  return undefined;
}
