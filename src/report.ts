// Everything the runner sees: log lines, annotations, outputs and the job summary. Text that came
// from the server is untrusted: it is put on one line and shortened before it is logged or set
// as an output, and HTML-escaped in the summary, so it can neither issue a workflow command nor
// forge an output or markup.
import * as core from '@actions/core';
import { errcodeInfo } from './errcodes.js';
import type { IfExists } from './inputs.js';
import type {
  AttemptEvent,
  CreateResult,
  CreateStatus,
  Deployment,
  Outcome,
} from './wechat-client.js';

const MAX_TEXT = 500;

/** One line, no control characters, at most MAX_TEXT characters. */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT)}…` : flat;
}

export function escapeHtml(text: string): string {
  const entities: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
  };
  return text.replace(/[&<>"']/g, (c) => entities[c]);
}

/** `errcode -1 (system busy): "errmsg"`, or the transport failure when no answer came. */
export function describe({ errcode, errmsg }: Pick<Outcome, 'errcode' | 'errmsg'>): string {
  if (errcode === null) return oneLine(errmsg);
  const text = oneLine(errmsg);
  return `errcode ${errcode} (${errcodeInfo(errcode).meaning})${text ? `: ${JSON.stringify(text)}` : ''}`;
}

export function logAttempt({
  subject,
  attempt,
  maxAttempts,
  outcome,
  delayMs,
}: AttemptEvent): void {
  const next = delayMs === undefined ? '' : `; retrying in ${delayMs} ms`;
  core.info(`${subject}: attempt ${attempt} of ${maxAttempts}: ${describe(outcome)}${next}`);
}

export function overallStatus(results: readonly CreateResult[]): CreateStatus {
  if (results.some((r) => r.status === 'failed')) return 'failed';
  return results.some((r) => r.status === 'created') ? 'created' : 'exists';
}

export interface Report {
  env: string;
  ifExists: IfExists;
  deployment: Deployment;
  durationMs: number;
}

/** Sets the outputs, writes the summary and the annotations, and fails the step if it must. */
export async function finish({ env, ifExists, deployment, durationMs }: Report): Promise<void> {
  const { results, tokenFailure } = deployment;
  const failed = results.filter((r) => r.status === 'failed');
  const first = results.length === 1 ? results[0] : failed[0];
  setOutputs({
    status: overallStatus(results),
    errcode: first?.errcode ?? null,
    errmsg: first?.errmsg ?? '',
    attempts: results.reduce((sum, r) => sum + r.attempts, 0),
    results,
  });
  await writeSummary(env, results, durationMs);

  for (const r of results) if (r.note) core.info(`${r.functionName}: ${r.note}`);
  const problems = tokenFailure
    ? [`Could not get an access token from cgi-bin/stable_token: ${explain(tokenFailure)}`]
    : failed.map((r) => `${r.functionName}: ${explain(r)}`);
  for (const r of results.filter((r) => r.status === 'exists')) {
    if (ifExists === 'fail') {
      problems.push(`${r.functionName} already exists in ${env}, and \`if-exists\` is \`fail\`.`);
    } else core.notice(`${r.functionName} already exists in ${env}: skipped.`);
  }
  if (problems.length > 0) core.setFailed(problems.join('\n'));
}

/** The failure of a call, with the hint of the errcode table. */
function explain(result: Pick<Outcome, 'errcode' | 'errmsg'> & { attempts?: number }): string {
  const hint = result.errcode === null ? undefined : errcodeInfo(result.errcode).hint;
  const after =
    result.attempts && result.attempts > 1 ? ` (after ${result.attempts} attempts)` : '';
  return `${describe(result)}${after}.${hint ? ` ${hint}` : ''}`;
}

interface Outputs {
  status: CreateStatus;
  errcode: number | null;
  errmsg: string;
  attempts: number;
  results: readonly CreateResult[];
}

export function setOutputs({ status, errcode, errmsg, attempts, results }: Outputs): void {
  core.setOutput('status', status);
  core.setOutput('errcode', errcode ?? '');
  core.setOutput('errmsg', oneLine(errmsg));
  core.setOutput('attempts', attempts);
  core.setOutput(
    'results',
    JSON.stringify(
      results.map((r) => ({
        function_name: r.functionName,
        status: r.status,
        errcode: r.errcode,
        errmsg: oneLine(r.errmsg),
        attempts: r.attempts,
      })),
    ),
  );
}

/** Outputs for a step that failed before any function was tried (a bad input). */
export function setFailedOutputs(message: string): void {
  setOutputs({ status: 'failed', errcode: null, errmsg: message, attempts: 0, results: [] });
}

async function writeSummary(
  env: string,
  results: readonly CreateResult[],
  durationMs: number,
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  // Loaded here, off the path of a step that fails early: @actions/github brings Octokit along.
  const { context } = await import('@actions/github');
  const cell = (text: string | number | null) => escapeHtml(oneLine(String(text ?? '')));
  const rows = results.map((r) => [
    cell(env),
    cell(r.functionName),
    cell(r.status),
    cell(r.errcode),
    cell(r.attempts),
    cell(`${(r.durationMs / 1000).toFixed(1)} s`),
  ]);
  const where = [
    context.ref && `\`${cell(context.ref)}\``,
    context.sha && `\`${cell(context.sha.slice(0, 7))}\``,
  ]
    .filter(Boolean)
    .join(' at ');
  const notes = results
    .filter((r) => r.status === 'failed' || r.note)
    .map((r) => {
      const why = [r.status === 'failed' ? explain(r) : '', r.note ?? ''].filter(Boolean).join(' ');
      return `${cell(r.functionName)}: ${escapeHtml(oneLine(why))}`;
    });
  const summary = core.summary.addHeading('WeChat cloud functions', 3).addTable([
    [
      { data: 'Environment', header: true },
      { data: 'Function', header: true },
      { data: 'Status', header: true },
      { data: 'errcode', header: true },
      { data: 'Attempts', header: true },
      { data: 'Time', header: true },
    ],
    ...rows,
  ]);
  if (notes.length > 0) summary.addList(notes);
  await summary
    .addRaw(`${where ? `${where}, ` : ''}${(durationMs / 1000).toFixed(1)} s in all.`, true)
    .write();
}
