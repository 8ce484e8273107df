// The step's log, as a person reads it: one line on what the run will do, a line per round of
// waiting, retries and failures as they happen (an attempt that succeeds at once goes to the
// debug log), then one line per function with its outcome and one for the whole step.
import * as core from '@actions/core';
import type { Api, AttemptEvent } from '../clouds/cloud.js';
import { triggerWords } from '../clouds/triggers.js';
import { describe } from '../clouds/wechat/errcodes.js';
import { partFailed } from '../run/fails.js';
import type { WaitRound } from '../run/poller.js';
import type { Deployment, FunctionResult } from '../run/result.js';
import { oneLine, seconds, size } from '../text/text.js';
import * as runner from './runner-text.js';

export const API_NAMES: Readonly<Record<Api, string>> = {
  wechat: "WeChat's API",
  tencentcloud: "Tencent Cloud's API",
};

/** Why a run sent nothing for any function: before any call, or after the list alone. */
export function stoppedBecause(stopped: NonNullable<Deployment['stopped']>, env: string): string {
  return stopped.from
    ? `Nothing was tried: could not get ${stopped.from}`
    : `Nothing was sent after the list: the list of the functions in ${env} was refused`;
}

/** Names for one line: the first ten, then how many more. */
function firstTen(names: readonly string[]): string {
  const more = names.length > 10 ? [`${names.length - 10} more`] : [];
  return [...names.slice(0, 10), ...more].join(', ');
}

/**
 * Each hint of the failed functions once, saying which functions it is for when more than one
 * failed (one failure is named already).
 */
export function hintsFor(failing: readonly FunctionResult[]): string[] {
  const names = new Map<string, string[]>();
  for (const r of failing)
    if (r.hint) names.set(r.hint, [...(names.get(r.hint) ?? []), r.functionName]);
  return [...names].map(([hint, those]) => {
    return failing.length === 1 ? hint : `For ${firstTen(those)}: ${hint}`;
  });
}

export function logAttempt(event: AttemptEvent): void {
  const { call, subject, attempt, maxAttempts, outcome, delayMs } = event;
  const debug = core.isDebug();
  // What succeeded at once is detail; a retry, and what led to it, is news.
  const news = !(event.ok && attempt === 1);
  if (!news && !debug) return;
  const next = event.then
    ? `; ${event.then}`
    : delayMs === undefined
      ? ''
      : `; retrying in ${delayMs} ms`;
  // A failure that ends the call at once was no attempt among several: its count is noise.
  const final = !event.ok && attempt === 1 && !next;
  const which = final ? '' : ` attempt ${attempt} of ${maxAttempts}`;
  let line = `${subject}: ${call}${which}: ${describe(outcome)}${next}`;
  if (debug) {
    const answer = event.httpStatus === undefined ? 'no answer' : `HTTP ${event.httpStatus}`;
    line += ` (POST ${event.url} → ${answer} in ${event.latencyMs} ms)`;
  }
  if (news) runner.info(line);
  else runner.debug(line);
}

export function logStart({
  api,
  env,
  total,
  listed,
}: {
  api: Api;
  env: string;
  total: number;
  listed: string[];
}): void {
  const functions = total === 1 ? '1 function' : `${total} functions`;
  const shown =
    listed.length === 0
      ? total === 1
        ? 'it is not listed yet'
        : 'none of them is listed yet'
      : `the list shows ${listed.length === total ? (total === 1 ? 'it' : 'all of them') : `${listed.length}`} already${listed.length < total ? ` (${listed.slice(0, 10).join(', ')}${listed.length > 10 ? ', …' : ''})` : ''}`;
  runner.info(`${env}: ${functions} through ${API_NAMES[api]}; ${shown}.`);
}

/** The log of a run's waits: a line for a round only when what it would say changed. */
export function waitLogger(): (round: WaitRound) => void {
  let last = '';
  return ({ waiting, elapsedMs, limitMs }) => {
    const names = waiting.map((w) => `${w.name} (${w.state ?? 'not listed'})`);
    const line = `waiting for ${firstTen(names)}: ${Math.round(elapsedMs / 1000)} s of ${Math.round(limitMs / 1000)}`;
    if (line !== last) runner.info(line);
    last = line;
  };
}

/** What happened to one function, on one line: `login: created · code deployed 1.2 MiB …`. */
function outcomeLine(r: FunctionResult, dryRun: boolean): string {
  const parts = [dryRun && r.status === 'would-create' ? 'would be created' : r.status];
  if (r.codeSha256 !== null && r.codeBytes !== null) {
    const zip = `${size(r.codeBytes)} sha256 ${r.codeSha256.slice(0, 12)}`;
    parts.push(
      r.code === null
        ? `code ${zip}${dryRun ? ' (not sent: dry run)' : ''}`
        : `code ${r.code} ${zip}`,
    );
  } else if (r.code === 'failed') parts.push('code failed');
  if (r.state) parts.push(r.state);
  if (r.runtime) parts.push(r.runtime);
  if (r.config) {
    parts.push(`config ${r.config}${r.changes.length > 0 ? ` (${r.changes.join('; ')})` : ''}`);
  }
  if (r.triggers && r.triggers.length > 0) parts.push(`triggers ${triggerWords(r.triggers)}`);
  if (r.invoke) parts.push(`invoke ${r.invoke}`);
  parts.push(seconds(r.durationMs));
  const why = partFailed(r) ? ` — ${describe(r)}` : '';
  return oneLine(`${r.functionName}: ${parts.join(' · ')}${why}`, 2000);
}

/**
 * The count line: `3 functions: 1 created, 1 existed, 1 failed; code deployed to 2`. Each
 * function has one status, so the statuses add up to the functions.
 */
export function countLine(deployment: Deployment, dryRun: boolean): string {
  const { results } = deployment;
  const count = (test: (r: FunctionResult) => boolean) => results.filter(test).length;
  const statuses = (
    [
      [count((r) => r.status === 'created'), 'created'],
      [count((r) => r.status === 'would-create'), 'would be created'],
      [count((r) => r.status === 'exists'), 'existed'],
      [count((r) => r.status === 'failed'), 'failed'],
    ] as const
  )
    .filter(([n]) => n !== 0)
    .map(([n, what]) => `${n} ${what}`);
  const segments = [statuses.join(', ')];
  if (results.some((r) => r.codeSha256 !== null || r.code !== null)) {
    segments.push(
      dryRun ? 'code zipped, not sent' : `code deployed to ${count((r) => r.code === 'deployed')}`,
    );
  }
  if (results.some((r) => r.config !== null)) {
    segments.push(
      dryRun
        ? `configuration would change for ${count((r) => r.config === 'would-update')}`
        : `configuration updated for ${count((r) => r.config === 'updated')}`,
    );
  }
  if (results.some((r) => r.invoke !== null))
    segments.push(`${count((r) => r.invoke === 'ok')} answered when invoked`);
  const functions = results.length === 1 ? '1 function' : `${results.length} functions`;
  return `${functions}: ${segments.filter(Boolean).join('; ')}`;
}

export function logOutcomes(
  deployment: Deployment,
  env: string,
  dryRun: boolean,
  durationMs: number,
): void {
  if (dryRun)
    runner.info('Dry run: what a run would do (nothing was created, uploaded or written):');
  for (const r of deployment.results) runner.info(outcomeLine(r, dryRun));
  runner.info(`${env}: ${countLine(deployment, dryRun)}; ${seconds(durationMs)}.`);
}
