// The run, for every function of the step: prepare → list → judge → create → upload → configure
// → wait → invoke. What the cloud can be asked is asked: a function exists when the list shows
// it, can run when it is `Active`, and holds the code sent when the list shows the update took.
// Each function goes through the steps on its own; `parallel` bounds the requests in flight,
// whatever step each has reached, and one list at a time serves every wait. Each step gives back
// what it found, and one place folds that into the function's result.

import type {
  Api,
  AttemptEvent,
  Cloud,
  ListedFunction,
  Listing,
  Outcome,
  PreparedCode,
} from '../clouds/cloud.js';
import { leftAloneWarning, planTriggers, type TriggerResult } from '../clouds/triggers.js';
import { errcodeInfo } from '../clouds/wechat/errcodes.js';
import { sleep as realSleep } from '../net/retry.js';
import { changedSince, uploadCode } from './code-upload.js';
import { type ConfigAsk, configure, describeChange } from './configure.js';
import { decidedByList, decidedByWording, inDoubt } from './doubts.js';
import { fails, partFailed } from './fails.js';
import { newSettings } from './function-config.js';
import { isSettling, judge, stateOf } from './judge.js';
import { Limiter } from './limiter.js';
import { type Clock, Poller, type WaitRound } from './poller.js';
import { prepareCode, zipWarnings } from './prepare.js';
import type { Deployment, FunctionResult, Plan, Prepared } from './result.js';
import { largeCode, leftBehind, runtimeWarnings } from './warnings.js';

export interface DeployHooks {
  sleep?: Clock['sleep'];
  now?: () => number;
  /** `YYYY-MM-DD`, for runtimes past their end of life. */
  today?: string;
  /** Hears of every upload attempt, as the clients report theirs. */
  onAttempt?: (event: AttemptEvent) => void;
  /** Hears what the run will do, once the list is read. */
  onStart?: (start: { api: Api; env: string; total: number; listed: string[] }) => void;
  onWait?: (round: WaitRound) => void;
}

/** Before an upload a new function must be settled: this long when `wait-timeout-seconds` is 0. */
export const UPLOAD_WAIT_MS = 60_000;

/**
 * The errcode of a function the first list decided on: WeChat's listfunctions answered errcode 0;
 * Tencent Cloud's ListFunctions is no WeChat answer, so there is none.
 */
const LISTED_ERRCODE: Readonly<Record<Api, number | null>> = { wechat: 0, tencentcloud: null };

/** A list that failed for a reason that lets the run go on without it. */
function fallsBack(outcome: Outcome): boolean {
  return outcome.retry || (outcome.errcode !== null && !!errcodeInfo(outcome.errcode).listFallback);
}

export async function deploy(
  plan: Plan,
  cloud: Cloud,
  hooks: DeployHooks = {},
): Promise<Deployment> {
  const clock: Clock = { sleep: hooks.sleep ?? realSleep, now: hooks.now ?? Date.now };
  const started = clock.now();
  const prepared = plan.code
    ? await prepareCode(plan.env, plan.functionNames, plan.code)
    : new Map<string, Prepared>();
  const stop = (outcome: Outcome, from?: string): Deployment => ({
    api: cloud.api,
    results: plan.functionNames.map((name) => ({
      ...blank(name, clock.now() - started),
      status: 'failed',
      errcode: outcome.errcode,
      errmsg: outcome.errmsg,
      ...(outcome.hint ? { hint: outcome.hint } : {}),
      note: 'not tried: nothing was sent for it',
    })),
    listed: 0,
    stopped: { outcome, ...(from ? { from } : {}) },
    warnings: [],
  });

  const refused = await cloud.connect();
  if (refused) return stop(refused.outcome, refused.from);
  const before = await cloud.list();
  if (!before.ok && (plan.dryRun || before.outcome.refusesAll || !fallsBack(before.outcome))) {
    return stop(before.outcome);
  }
  const listed = plan.functionNames.filter((name) => before.ok && before.functions.has(name));
  hooks.onStart?.({ api: cloud.api, env: plan.env, total: plan.functionNames.length, listed });

  const run = new Run(plan, cloud, hooks, clock, started, before);
  const results = await Promise.all(
    plan.functionNames.map((name) => run.deployFunction(name, prepared.get(name))),
  );
  if (plan.invoke !== undefined && !plan.dryRun) await run.invokeAll(results, plan.invoke);
  if (plan.waitTimeoutMs === 0) await run.warnUnsettled(results);
  if (!before.ok) unchecked(results, before.outcome);
  // A function's status follows the step's rule: `failed` exactly when it fails the step.
  for (const r of results) if (fails(r, plan.ifExists)) r.status = 'failed';
  const today = hooks.today ?? new Date().toISOString().slice(0, 10);
  return {
    api: cloud.api,
    results,
    listed: listed.length,
    ...(before.ok ? {} : { listFailure: before.outcome }),
    warnings: [
      ...zipWarnings(prepared),
      ...run.warnings,
      ...largeCode(prepared),
      ...leftBehind(plan, cloud),
      ...leftAloneWarning(results),
      ...runtimeWarnings(results, prepared, today),
    ],
  };
}

/**
 * Without a list no state was seen, so nothing is known to be runnable: what went through fails,
 * saying why, with the list's answer, so that a green step always means runnable.
 */
function unchecked(results: FunctionResult[], listFailure: Outcome): void {
  for (const r of results) {
    if (partFailed(r)) continue;
    Object.assign(r, {
      status: 'failed',
      errcode: listFailure.errcode,
      errmsg: `${r.status === 'created' ? 'created' : 'sent'}, but not known to be runnable: the list of functions was refused, so its state was not checked: ${listFailure.errmsg}`,
      hint: listFailure.hint,
    });
  }
}

function blank(functionName: string, durationMs: number): FunctionResult {
  return {
    functionName,
    status: 'failed',
    errcode: null,
    errmsg: '',
    attempts: 0,
    state: null,
    runtime: null,
    code: null,
    codeSha256: null,
    codeBytes: null,
    config: null,
    changes: [],
    triggers: null,
    invoke: null,
    durationMs,
  };
}

/** The errcode and errmsg of an answer, as a result carries them. */
function answer({ errcode, errmsg, hint }: Outcome): Partial<FunctionResult> {
  return { errcode, errmsg, hint };
}

/**
 * What one step of a function's run gives back: what it sets on the result, and whether the
 * function's run ends there.
 */
interface Step {
  set: Partial<FunctionResult>;
  end?: boolean;
}

/** A step that saw the function: as it was last listed, when it was. */
interface Found extends Step {
  fn?: ListedFunction;
}

/** The upload: `since`, the mark from which a list may show it, when code was sent. */
interface Uploaded extends Found {
  since?: number;
}

/** The one place a step's outcome reaches the result: true when the function's run goes on. */
function fold(r: FunctionResult, step: Step): boolean {
  Object.assign(r, step.set);
  return !step.end;
}

/** A step's outcome, after what the same step set before it. */
function after<S extends Step>(set: Partial<FunctionResult>, step: S): S {
  return { ...step, set: { ...set, ...step.set } };
}

/** The function's run ends, failed, saying why. */
function failed(errmsg: string, hint?: string): Step {
  return { set: { status: 'failed', errcode: null, errmsg, hint }, end: true };
}

/** A function that did not become runnable: its code when it was sent, else itself. */
function failedState(afterUpload: boolean, why: string, hint?: string): Step {
  if (!afterUpload) return failed(why, hint);
  return { set: { code: 'failed', errcode: null, errmsg: `code upload: ${why}`, hint }, end: true };
}

/** What a list shows of a function. */
function seen(fn: ListedFunction): Partial<FunctionResult> {
  return { state: fn.status, ...(fn.runtime ? { runtime: fn.runtime } : {}) };
}

/** Code that could not be prepared: a listed function exists, a missing one is not created. */
function unprepared({ failure, hint }: { failure: string; hint?: string }, listed: boolean): Step {
  return {
    set: {
      status: listed ? 'exists' : 'failed',
      code: 'failed',
      errcode: null,
      errmsg: `code: ${failure}`,
      hint,
      note: listed ? undefined : 'not created: its code could not be prepared',
    },
    end: true,
  };
}

const WOULD_CREATE: Step = { set: { status: 'would-create', errcode: null, errmsg: '' } };

class Run {
  readonly warnings: string[] = [];
  readonly #limiter: Limiter;
  readonly #poller: Poller;

  constructor(
    private readonly plan: Plan,
    private readonly cloud: Cloud,
    private readonly hooks: DeployHooks,
    private readonly clock: Clock,
    private readonly started: number,
    private readonly before: Listing,
  ) {
    this.#limiter = new Limiter(plan.parallel);
    this.#poller = new Poller(
      () => cloud.list(),
      clock,
      plan.retry.baseDelayMs,
      hooks.onWait,
      this.#limiter,
    );
  }

  /** One function, from the judgement of its listed state to its configuration. */
  async deployFunction(name: string, code: Prepared | undefined): Promise<FunctionResult> {
    const r = blank(name, 0);
    try {
      await this.#deploy(r, code);
    } finally {
      r.durationMs = this.clock.now() - this.started;
    }
    return r;
  }

  /** The steps, each folded into the result in turn, until one ends the function's run. */
  async #deploy(r: FunctionResult, code: Prepared | undefined): Promise<void> {
    const name = r.functionName;
    const listed = this.before.ok ? this.before.functions.get(name) : undefined;
    if (listed) fold(r, { set: seen(listed) });
    if (code && 'failure' in code) {
      fold(r, unprepared(code, listed !== undefined));
      return;
    }
    if (code) fold(r, { set: { codeSha256: code.sha256, codeBytes: code.zip.length } });
    // Judge what the list shows, or create what it does not.
    const found: Found = listed
      ? await this.#judge(listed, code !== undefined)
      : this.plan.dryRun
        ? WOULD_CREATE
        : await this.#create(name, code);
    if (!fold(r, found)) return;
    const created = r.status === 'created';
    // Upload the code: the function must be settled to take it.
    const uploaded = await this.#upload(name, code, found.fn, created);
    if (!fold(r, uploaded)) return;
    // Wait until what this run created or deployed can run.
    const runnable = await this.#untilRunnable(name, uploaded, created, r.code === 'deployed');
    if (!fold(r, runnable)) return;
    // Configure, then wait again if that set the function updating.
    if (!fold(r, await this.#configure(name, created, r.status !== 'would-create'))) return;
    fold(r, await this.#triggers(name, r.status === 'would-create'));
  }

  /**
   * A listed function, judged by its state; waited for while settling. It fails when `if-exists`
   * is `fail`, or in a state this run cannot repair.
   */
  async #judge(listed: ListedFunction, withCode: boolean): Promise<Found> {
    const { plan, cloud } = this;
    if (plan.ifExists === 'fail') {
      const errmsg = `already exists in ${plan.env}, and \`if-exists\` is \`fail\``;
      return { set: { status: 'failed', errcode: null, errmsg }, end: true };
    }
    const set: Partial<FunctionResult> = {
      status: 'exists',
      errcode: LISTED_ERRCODE[cloud.api],
      errmsg: 'ok',
    };
    let fn: ListedFunction | undefined = listed;
    if (isSettling(listed.status)) {
      // Not waited for: the warning at the end names it.
      if (plan.waitTimeoutMs === 0 && !withCode) return { set, fn };
      const settled = (f: ListedFunction | undefined) => !isSettling(f?.status);
      const waited = await this.#wait(listed.name, settled, -1, '', withCode);
      if (waited.end) return after(set, waited);
      Object.assign(set, waited.set);
      fn = waited.fn;
      if (!fn) return after(set, failed('no longer listed: it was deleted while this run waited'));
    }
    const verdict = judge(fn.status, fn.reason);
    if (verdict.kind === 'ready' || (verdict.kind === 'repairable' && withCode)) return { set, fn };
    return after(set, failed(stateOf(fn), 'hint' in verdict ? verdict.hint : undefined));
  }

  /** Creates a missing function, and settles an unclear answer by listing. */
  async #create(name: string, code: PreparedCode | undefined): Promise<Found> {
    const { plan, cloud } = this;
    const settings =
      cloud.createCarries && plan.settings ? newSettings(plan.settings).settings : undefined;
    const attempts = await this.#limiter.run(() =>
      cloud.create(name, {
        ...(code ? { code } : {}),
        ...(settings ? { settings } : {}),
      }),
    );
    const set: Partial<FunctionResult> = {
      ...answer(attempts.outcome),
      status: attempts.ok ? 'created' : 'failed',
      attempts: attempts.attempts,
    };
    // Only a function created, or found to exist, goes on.
    const found = (decided: Partial<FunctionResult> = {}, fn?: ListedFunction): Found => {
      const all = { ...set, ...decided };
      return { set: all, fn, end: all.status !== 'created' && all.status !== 'exists' };
    };
    if (attempts.ok || !inDoubt(attempts)) return found();
    if (!this.before.ok) return found(decidedByWording(attempts));
    const listing = await this.#poller.fresh(this.#poller.mark());
    const fn = listing.ok ? listing.functions.get(name) : undefined;
    const decided = decidedByList(attempts, fn);
    if (!decided || !fn) return found();
    return found({ ...seen(fn), ...decided, hint: undefined }, fn);
  }

  /** Sends the code, once the function is settled to take it; a create may have carried it. */
  async #upload(
    name: string,
    code: PreparedCode | undefined,
    fn: ListedFunction | undefined,
    created: boolean,
  ): Promise<Uploaded> {
    if (!code || this.plan.dryRun) return { set: {}, fn };
    if (created && this.cloud.createCarries) return { set: { code: 'deployed' }, fn };
    const settled = await this.#settledForUpload(name, fn, created);
    if (settled.end) return settled;
    // A list requested from here on may show the upload: none can show a change it did not.
    const since = this.#poller.mark();
    const sent = await uploadCode(this.#uploadContext(), name, code, settled.fn);
    if (!sent.ok) {
      const { errcode, errmsg, hint } = sent.outcome;
      const set = { code: 'failed' as const, errcode, errmsg: `code upload: ${errmsg}`, hint };
      return after(settled.set, {
        set: { ...set, ...(sent.state ? { state: sent.state } : {}) },
        end: true,
      });
    }
    return { set: { ...settled.set, code: 'deployed' }, fn: settled.fn, since };
  }

  /**
   * Waits, before an upload, for a function this run created (until it is listed, even with
   * `wait-timeout-seconds: 0`: it cannot take code before) or one still settling. Gives it
   * as listed; a state that cannot take code fails the code.
   */
  async #settledForUpload(
    name: string,
    fn: ListedFunction | undefined,
    created: boolean,
  ): Promise<Found> {
    if (!this.before.ok || (!created && !isSettling(fn?.status))) return { set: {}, fn };
    const done = (f: ListedFunction | undefined) => f !== undefined && !isSettling(f.status);
    const since = created ? this.#poller.mark() : -1;
    const waited = await this.#wait(name, done, since, 'before its upload', true);
    if (waited.end || !waited.fn) return waited;
    const verdict = judge(waited.fn.status, waited.fn.reason);
    if (verdict.kind !== 'broken') return waited;
    const errmsg = `code upload: the function is ${stateOf(waited.fn)}`;
    const set = { code: 'failed' as const, errcode: null, errmsg, hint: verdict.hint };
    return after(waited.set, {
      set: { ...set, ...(created ? { status: 'failed' } : {}) },
      end: true,
    });
  }

  /**
   * Waits until a function this run created, or sent code to, can run: `Active`, and, after an
   * upload, changed since the upload's mark (see changedSince).
   */
  async #untilRunnable(
    name: string,
    uploaded: Uploaded,
    created: boolean,
    codeTaken: boolean,
  ): Promise<Step> {
    const afterUpload = uploaded.since !== undefined;
    if (this.plan.dryRun || !(created || afterUpload)) return { set: {} };
    const since = uploaded.since ?? this.#poller.mark();
    if (this.plan.waitTimeoutMs === 0 || !this.before.ok) return { set: {} };
    const base = uploaded.fn;
    let changed = !afterUpload || base === undefined;
    const done = (f: ListedFunction | undefined) => {
      if (base && changedSince(f, base)) changed = true;
      return f !== undefined && changed && !isSettling(f.status);
    };
    const end = await this.#poller.until(name, done, { since, limitMs: this.plan.waitTimeoutMs });
    if (!end.ok) {
      // The code was taken: a list that fails since (keys that expired, say) does not undo that.
      return failed(
        `could not list the functions to see it Active${codeTaken ? ', though its code was taken' : ''}: ${end.outcome.errmsg}`,
        end.outcome.hint,
      );
    }
    const set = end.fn ? seen(end.fn) : {};
    if (!end.done) {
      if (end.fn?.status === 'Active' && !changed) {
        const note = `the host took the code, but after ${this.#seconds()} s the list still shows the function as before the upload (state and mod_time unchanged)`;
        this.warnings.push(`${name}: ${note}.`);
        return { set: { ...set, note } };
      }
      const still = end.fn ? end.fn.status : 'not listed';
      const why = `still ${still} after waiting ${this.#seconds()} s for Active (wait-timeout-seconds)`;
      return after(set, failedState(afterUpload, why));
    }
    const fn = end.fn as ListedFunction;
    const verdict = judge(fn.status, fn.reason);
    if (verdict.kind === 'ready') return { set };
    const hint = 'hint' in verdict ? verdict.hint : undefined;
    return after(set, failedState(afterUpload, stateOf(fn), hint));
  }

  /** Configures the function; when that set it updating, waits until it is settled again. */
  async #configure(name: string, created: boolean, exists: boolean): Promise<Step> {
    const { plan, cloud } = this;
    const ask = this.#configAsk(name);
    // Permissions a route cannot set are not asked of it: a warning says so at the end.
    if (!((ask.openapi !== undefined && cloud.setsPermissions) || ask.settings)) return { set: {} };
    const mark = this.#poller.mark();
    const carried = created && cloud.createCarries;
    const configured = await configure(
      { cloud, limiter: this.#limiter, dryRun: plan.dryRun },
      name,
      carried ? { openapi: ask.openapi } : ask,
      exists,
    );
    // Created with its settings: what they changed is what they are.
    const settled = carried && ask.settings ? newSettings(ask.settings).change : undefined;
    const set: Partial<FunctionResult> = {
      changes: [...configured.changes, ...(settled ? describeChange(settled) : [])],
      config: carried && ask.settings ? 'updated' : configured.status,
    };
    if (configured.failure) {
      return { set: { ...set, ...answer(configured.failure), config: 'failed' }, end: true };
    }
    if (configured.status === 'updated' && plan.waitTimeoutMs > 0 && this.before.ok) {
      const settling = (f: ListedFunction | undefined) => !isSettling(f?.status);
      return after(set, await this.#wait(name, settling, mark, 'after the configuration write'));
    }
    return { set };
  }

  /**
   * The timer triggers of config.json, once the function runs: each created, updated or left as
   * it is; those the folder does not name are left alone. A failure fails the configuration.
   */
  async #triggers(name: string, wouldCreate: boolean): Promise<Step> {
    const { cloud, plan } = this;
    const wanted = plan.code?.folders.get(name)?.triggers ?? [];
    const triggers = cloud.triggers;
    if (wanted.length === 0 || !triggers) return { set: {} };
    if (wouldCreate) {
      return { set: { triggers: wanted.map((t) => ({ name: t.name, action: 'would-create' })) } };
    }
    const fail = (what: string, outcome: Outcome): Step => ({
      set: { ...answer(outcome), config: 'failed', errmsg: `triggers: ${what}: ${outcome.errmsg}` },
      end: true,
    });
    const read = await this.#limiter.run(() => triggers.read(name));
    if (!read.ok) {
      return fail(
        'reading those held (none was written, so that none is made twice)',
        read.outcome,
      );
    }
    const done: TriggerResult[] = [];
    for (const { trigger, how } of planTriggers(wanted, read.value)) {
      if (how === 'unchanged' || plan.dryRun) {
        done.push({ name: trigger.name, action: how === 'unchanged' ? how : `would-${how}` });
        continue;
      }
      const refused = await this.#limiter.run(() => triggers.write(name, trigger, how));
      if (refused) {
        done.push({ name: trigger.name, action: 'failed' });
        const what = `${how === 'create' ? 'creating' : 'updating'} ${trigger.name}`;
        return after({ triggers: done }, fail(what, refused));
      }
      done.push({ name: trigger.name, action: how === 'create' ? 'created' : 'updated' });
    }
    const named = new Set(wanted.map((t) => t.name));
    for (const held of read.value) {
      if (!named.has(held.name)) done.push({ name: held.name, action: 'left-alone' });
    }
    return { set: { triggers: done } };
  }

  /**
   * A wait that ends the function's run when it fails or runs out; else the function as the
   * list shows it, if it does.
   */
  async #wait(
    name: string,
    done: (fn: ListedFunction | undefined) => boolean,
    since: number,
    when: string,
    forUpload = false,
  ): Promise<Found> {
    const limitMs = this.plan.waitTimeoutMs || (forUpload ? UPLOAD_WAIT_MS : 0);
    const end = await this.#poller.until(name, done, { since: Math.max(since, 0), limitMs });
    if (!end.ok) {
      return failed(
        `could not list the functions to wait ${when || 'for it'}: ${end.outcome.errmsg}`,
        end.outcome.hint,
      );
    }
    const set = end.fn ? seen(end.fn) : {};
    if (!end.done) {
      const still = end.fn ? end.fn.status : 'not listed';
      return after(
        set,
        failed(
          `still ${still} after waiting ${limitMs / 1000} s${when ? ` ${when}` : ''} (wait-timeout-seconds)`,
        ),
      );
    }
    return { set, fn: end.fn };
  }

  #seconds(): number {
    return this.plan.waitTimeoutMs / 1000;
  }

  #configAsk(name: string): ConfigAsk {
    const openapi = this.plan.code?.folders.get(name)?.openapi;
    return {
      ...(openapi !== undefined ? { openapi } : {}),
      ...(this.plan.settings ? { settings: this.plan.settings } : {}),
    };
  }

  #uploadContext() {
    return {
      cloud: this.cloud,
      poller: this.#poller,
      limiter: this.#limiter,
      retry: this.plan.retry,
      sleep: this.clock.sleep,
      waitMs: this.plan.waitTimeoutMs || UPLOAD_WAIT_MS,
      onAttempt: this.hooks.onAttempt ?? (() => {}),
    };
  }

  /** The smoke test: every function that did not fail, invoked once all are done. */
  async invokeAll(results: FunctionResult[], event: string): Promise<void> {
    await Promise.all(
      results
        .filter((r) => !fails(r, this.plan.ifExists))
        .map(async (r) => {
          fold(r, await this.#invoke(r.functionName, event));
          r.durationMs = this.clock.now() - this.started;
        }),
    );
  }

  /** Invokes one function with the event: its answer, or why it failed. */
  async #invoke(name: string, event: string): Promise<Step> {
    const invoked = await this.#limiter.run(() => this.cloud.invoke(name, event));
    if (invoked.ok) return { set: { invoke: 'ok', response: invoked.response } };
    const { outcome } = invoked;
    return { set: { ...answer(outcome), invoke: 'failed', errmsg: `invoke: ${outcome.errmsg}` } };
  }

  /**
   * Without waits, one warning names every function not `Active`; after a run that sent
   * something, one list first tells the states as they are now.
   */
  async warnUnsettled(results: FunctionResult[]): Promise<void> {
    if (!this.plan.dryRun && this.before.ok) {
      const listing = await this.#poller.fresh(this.#poller.mark());
      for (const r of results) {
        const fn = listing.ok ? listing.functions.get(r.functionName) : undefined;
        if (fn) fold(r, { set: seen(fn) });
      }
    }
    const unsettled = results
      .filter(
        (r) => !fails(r, this.plan.ifExists) && r.status !== 'would-create' && r.state !== 'Active',
      )
      .map((r) => `${r.functionName} (${r.state ?? 'not listed'})`);
    if (unsettled.length > 0) {
      this.warnings.push(
        `Not Active, and not waited for (wait-timeout-seconds is 0): ${unsettled.join(', ')}.`,
      );
    }
  }
}
