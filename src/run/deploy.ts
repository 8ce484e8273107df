// The run, for every function of the step: prepare → list → judge → create → upload → configure
// → wait → invoke. What the cloud can be asked is asked: a function exists when the list shows
// it, can run when it is `Active`, and holds the code sent when the list shows the update took.
// Each function goes through the steps on its own; `parallel` bounds the requests in flight,
// whatever step each has reached, and one list at a time serves every wait.

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
import { type Clock, Poller, type WaitEnd, type WaitRound } from './poller.js';
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

  async #deploy(r: FunctionResult, prepared: Prepared | undefined): Promise<void> {
    const { plan, cloud } = this;
    const listedFn = this.before.ok ? this.before.functions.get(r.functionName) : undefined;
    if (listedFn) this.#saw(r, listedFn);
    if (prepared && 'failure' in prepared) {
      Object.assign(r, {
        status: listedFn ? 'exists' : 'failed',
        code: 'failed',
        errcode: null,
        errmsg: `code: ${prepared.failure}`,
        hint: prepared.hint,
        note: listedFn ? undefined : 'not created: its code could not be prepared',
      });
      return;
    }
    const code = prepared;
    if (code) Object.assign(r, { codeSha256: code.sha256, codeBytes: code.zip.length });

    // Judge what the list shows, or create what it does not.
    let fn: ListedFunction | undefined;
    if (listedFn) {
      Object.assign(r, { status: 'exists', errcode: LISTED_ERRCODE[cloud.api], errmsg: 'ok' });
      if (plan.ifExists === 'fail') {
        Object.assign(r, {
          status: 'failed',
          errcode: null,
          errmsg: `already exists in ${plan.env}, and \`if-exists\` is \`fail\``,
        });
        return;
      }
      fn = await this.#judged(r, listedFn, code !== undefined);
      if (!fn) return;
    } else if (plan.dryRun) {
      Object.assign(r, { status: 'would-create', errcode: null, errmsg: '' });
    } else {
      fn = await this.#create(r, code);
      if (r.status !== 'created' && r.status !== 'exists') return;
    }

    // Upload the code: the function must be settled to take it.
    const created = r.status === 'created';
    let changedCode = false;
    let sinceUpload = 0;
    if (code && !plan.dryRun) {
      if (created && cloud.createCarries) {
        r.code = 'deployed';
      } else {
        const settled = await this.#settledForUpload(r, fn, created);
        if (settled === false) return;
        fn = settled;
        // A list requested from here on may show the upload: none can show a change it did not.
        sinceUpload = this.#poller.mark();
        const sent = await uploadCode(this.#uploadContext(), r.functionName, code, fn);
        if (!sent.ok) {
          Object.assign(r, {
            code: 'failed',
            errcode: sent.outcome.errcode,
            errmsg: `code upload: ${sent.outcome.errmsg}`,
            hint: sent.outcome.hint,
          });
          if (sent.state) r.state = sent.state;
          return;
        }
        r.code = 'deployed';
        changedCode = true;
      }
    }

    // Wait until what this run created or deployed can run.
    if (!plan.dryRun && (created || changedCode)) {
      const since = changedCode ? sinceUpload : this.#poller.mark();
      if (!(await this.#untilRunnable(r, fn, changedCode, since))) return;
    }

    // Configure, then wait again if that set the function updating.
    const ask = this.#configAsk(r.functionName);
    // Permissions a route cannot set are not asked of it: a warning says so at the end.
    if ((ask.openapi !== undefined && cloud.setsPermissions) || ask.settings) {
      const mark = this.#poller.mark();
      const carried = created && cloud.createCarries;
      const configured = await configure(
        { cloud, limiter: this.#limiter, dryRun: plan.dryRun },
        r.functionName,
        carried ? { openapi: ask.openapi } : ask,
        r.status !== 'would-create',
      );
      // Created with its settings: what they changed is what they are.
      const settled = carried && ask.settings ? newSettings(ask.settings).change : undefined;
      r.changes = [...configured.changes, ...(settled ? describeChange(settled) : [])];
      r.config = carried && ask.settings ? 'updated' : configured.status;
      if (configured.failure) {
        Object.assign(r, answer(configured.failure), { config: 'failed' });
        return;
      }
      if (configured.status === 'updated' && plan.waitTimeoutMs > 0 && this.before.ok) {
        const waited = await this.#wait(
          r,
          (f) => !isSettling(f?.status),
          mark,
          'after the configuration write',
        );
        if (!waited) return;
      }
    }
    await this.#triggers(r);
  }

  /**
   * The timer triggers of config.json, once the function runs: each created, updated or left as
   * it is; those the folder does not name are left alone. A failure fails the configuration.
   */
  async #triggers(r: FunctionResult): Promise<void> {
    const { cloud, plan } = this;
    const wanted = plan.code?.folders.get(r.functionName)?.triggers ?? [];
    if (wanted.length === 0 || !cloud.readTriggers || !cloud.writeTrigger) return;
    if (r.status === 'would-create') {
      r.triggers = wanted.map((t) => ({ name: t.name, action: 'would-create' }));
      return;
    }
    const readTriggers = cloud.readTriggers.bind(cloud);
    const writeTrigger = cloud.writeTrigger.bind(cloud);
    const fail = (what: string, outcome: Outcome) =>
      Object.assign(r, answer(outcome), {
        config: 'failed',
        errmsg: `triggers: ${what}: ${outcome.errmsg}`,
      });
    const read = await this.#limiter.run(() => readTriggers(r.functionName));
    if (!read.ok) {
      fail('reading those held (none was written, so that none is made twice)', read.outcome);
      return;
    }
    const done: TriggerResult[] = [];
    r.triggers = done;
    for (const { trigger, how } of planTriggers(wanted, read.value)) {
      if (how === 'unchanged' || plan.dryRun) {
        done.push({ name: trigger.name, action: how === 'unchanged' ? how : `would-${how}` });
        continue;
      }
      const refused = await this.#limiter.run(() => writeTrigger(r.functionName, trigger, how));
      if (refused) {
        done.push({ name: trigger.name, action: 'failed' });
        fail(`${how === 'create' ? 'creating' : 'updating'} ${trigger.name}`, refused);
        return;
      }
      done.push({ name: trigger.name, action: how === 'create' ? 'created' : 'updated' });
    }
    const named = new Set(wanted.map((t) => t.name));
    for (const held of read.value) {
      if (!named.has(held.name)) done.push({ name: held.name, action: 'left-alone' });
    }
  }

  /** A listed function, judged by its state; waited for while settling. Undefined: it failed. */
  async #judged(
    r: FunctionResult,
    listed: ListedFunction,
    withCode: boolean,
  ): Promise<ListedFunction | undefined> {
    let fn: ListedFunction | undefined = listed;
    if (isSettling(listed.status)) {
      // Not waited for: the warning at the end names it.
      if (this.plan.waitTimeoutMs === 0 && !withCode) return listed;
      const end = await this.#wait(r, (f) => !isSettling(f?.status), -1, '', withCode);
      if (!end) return undefined;
      fn = end.fn;
      if (!fn) return this.#fail(r, 'no longer listed: it was deleted while this run waited');
    }
    const verdict = judge(fn.status, fn.reason);
    if (verdict.kind === 'ready' || (verdict.kind === 'repairable' && withCode)) return fn;
    return this.#fail(r, stateOf(fn), 'hint' in verdict ? verdict.hint : undefined);
  }

  /** Creates a missing function, and settles an unclear answer by listing. */
  async #create(
    r: FunctionResult,
    code: PreparedCode | undefined,
  ): Promise<ListedFunction | undefined> {
    const { plan, cloud } = this;
    const settings =
      cloud.createCarries && plan.settings ? newSettings(plan.settings).settings : undefined;
    const attempts = await this.#limiter.run(() =>
      cloud.create(r.functionName, {
        ...(code ? { code } : {}),
        ...(settings ? { settings } : {}),
      }),
    );
    Object.assign(r, answer(attempts.outcome), {
      status: attempts.ok ? 'created' : 'failed',
      attempts: attempts.attempts,
    });
    if (attempts.ok || !inDoubt(attempts)) return undefined;
    if (!this.before.ok) {
      Object.assign(r, decidedByWording(attempts));
      return undefined;
    }
    const listing = await this.#poller.fresh(this.#poller.mark());
    const fn = listing.ok ? listing.functions.get(r.functionName) : undefined;
    const decided = decidedByList(attempts, fn);
    if (!decided || !fn) return undefined;
    this.#saw(r, fn);
    Object.assign(r, decided, { hint: undefined });
    return fn;
  }

  /**
   * Waits, before an upload, for a function this run created (until it is listed, even with
   * `wait-timeout-seconds: 0`: it cannot take code before) or one still settling. Returns it
   * as listed; a state that cannot take code fails the code.
   */
  async #settledForUpload(
    r: FunctionResult,
    fn: ListedFunction | undefined,
    created: boolean,
  ): Promise<ListedFunction | undefined | false> {
    if (!this.before.ok) return fn;
    if (!created && !isSettling(fn?.status)) return fn;
    const done = (f: ListedFunction | undefined) => f !== undefined && !isSettling(f.status);
    const end = await this.#wait(
      r,
      done,
      created ? this.#poller.mark() : -1,
      'before its upload',
      true,
    );
    if (!end) return false;
    const verdict = end.fn ? judge(end.fn.status, end.fn.reason) : undefined;
    if (end.fn && verdict?.kind === 'broken') {
      Object.assign(r, {
        code: 'failed',
        errcode: null,
        errmsg: `code upload: the function is ${stateOf(end.fn)}`,
        hint: verdict.hint,
      });
      if (created) r.status = 'failed';
      return false;
    }
    return end.fn;
  }

  /**
   * Waits until a function this run created, or sent code to, can run: `Active`, and, after an
   * upload, changed since `base` (see changedSince). False when it failed.
   */
  async #untilRunnable(
    r: FunctionResult,
    base: ListedFunction | undefined,
    afterUpload: boolean,
    since: number,
  ): Promise<boolean> {
    if (this.plan.waitTimeoutMs === 0 || !this.before.ok) return true;
    let changed = !afterUpload || base === undefined;
    const done = (f: ListedFunction | undefined) => {
      if (base && changedSince(f, base)) changed = true;
      return f !== undefined && changed && !isSettling(f.status);
    };
    const end = await this.#poller.until(r.functionName, done, {
      since,
      limitMs: this.plan.waitTimeoutMs,
    });
    if (!end.ok) {
      // The code was taken: a list that fails since (keys that expired, say) does not undo that.
      this.#fail(
        r,
        `could not list the functions to see it Active${r.code === 'deployed' ? ', though its code was taken' : ''}: ${end.outcome.errmsg}`,
        end.outcome.hint,
      );
      return false;
    }
    if (end.fn) this.#saw(r, end.fn);
    if (!end.done) {
      if (end.fn?.status === 'Active' && !changed) {
        r.note = `the host took the code, but after ${this.#seconds()} s the list still shows the function as before the upload (state and mod_time unchanged)`;
        this.warnings.push(`${r.functionName}: ${r.note}.`);
        return true;
      }
      const still = end.fn ? end.fn.status : 'not listed';
      this.#failState(
        r,
        afterUpload,
        `still ${still} after waiting ${this.#seconds()} s for Active (wait-timeout-seconds)`,
      );
      return false;
    }
    const fn = end.fn as ListedFunction;
    const verdict = judge(fn.status, fn.reason);
    if (verdict.kind === 'ready') return true;
    this.#failState(r, afterUpload, stateOf(fn), 'hint' in verdict ? verdict.hint : undefined);
    return false;
  }

  /** A wait that ends the function's run when it fails or runs out; undefined then. */
  async #wait(
    r: FunctionResult,
    done: (fn: ListedFunction | undefined) => boolean,
    since: number,
    when: string,
    forUpload = false,
  ): Promise<(WaitEnd & { ok: true }) | undefined> {
    const limitMs = this.plan.waitTimeoutMs || (forUpload ? UPLOAD_WAIT_MS : 0);
    const end = await this.#poller.until(r.functionName, done, {
      since: Math.max(since, 0),
      limitMs,
    });
    if (!end.ok) {
      this.#fail(
        r,
        `could not list the functions to wait ${when || 'for it'}: ${end.outcome.errmsg}`,
        end.outcome.hint,
      );
      return undefined;
    }
    if (end.fn) this.#saw(r, end.fn);
    if (!end.done) {
      const still = end.fn ? end.fn.status : 'not listed';
      this.#fail(
        r,
        `still ${still} after waiting ${limitMs / 1000} s${when ? ` ${when}` : ''} (wait-timeout-seconds)`,
      );
      return undefined;
    }
    return end;
  }

  #fail(r: FunctionResult, errmsg: string, hint?: string): undefined {
    Object.assign(r, { status: 'failed', errcode: null, errmsg, hint });
    return undefined;
  }

  /** A function that did not become runnable: its code when it was sent, else itself. */
  #failState(r: FunctionResult, afterUpload: boolean, why: string, hint?: string): void {
    if (afterUpload) {
      Object.assign(r, { code: 'failed', errcode: null, errmsg: `code upload: ${why}`, hint });
    } else this.#fail(r, why, hint);
  }

  #saw(r: FunctionResult, fn: ListedFunction): void {
    r.state = fn.status;
    if (fn.runtime) r.runtime = fn.runtime;
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
          const invoked = await this.#limiter.run(() => this.cloud.invoke(r.functionName, event));
          if (invoked.ok) Object.assign(r, { invoke: 'ok', response: invoked.response });
          else {
            Object.assign(r, answer(invoked.outcome), {
              invoke: 'failed',
              errmsg: `invoke: ${invoked.outcome.errmsg}`,
            });
          }
          r.durationMs = this.clock.now() - this.started;
        }),
    );
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
        if (fn) this.#saw(r, fn);
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
