// Everything the runner sees: log lines, annotations, outputs and the job summary. Text that came
// from the server is untrusted: it is put on one line and shortened before it is logged or set
// as an output, and HTML-escaped in the summary, so it can neither issue a workflow command nor
// forge an output or markup. The runner's own limits are kept: 10 annotations of a kind, 1 MiB
// per output and per summary.
import * as core from '@actions/core';
import { type Deployment, type FunctionResult, type FunctionStatus, fails } from './deploy.js';
import { errcodeInfo, hintFor, type TokenOrigin } from './errcodes.js';
import type { IfExists } from './inputs.js';
import type { AttemptEvent, Outcome } from './wechat-client.js';

const MAX_TEXT = 500;
/** GitHub shows at most this many annotations of each kind for a step. */
const MAX_ANNOTATIONS = 10;
/** GitHub refuses a job summary or an output over 1 MiB; these leave room for the rest. */
const MAX_OUTPUT_BYTES = 960 * 1024;
const MAX_SUMMARY_BYTES = 960 * 1024;
/** The combined failure message names at most this many functions in full. */
const MAX_COMBINED = 20;

/** What a thrown value says: its message, or the value itself. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One line, no control characters, at most `max` characters. */
export function oneLine(text: string, max = MAX_TEXT): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
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

export function logAttempt(event: AttemptEvent): void {
  const { call, subject, attempt, maxAttempts, outcome, delayMs } = event;
  const label = call === 'createfunction' ? subject : `${call} ${subject}`;
  const next = delayMs === undefined ? '' : `; retrying in ${delayMs} ms`;
  if (core.isDebug()) {
    const answer = event.httpStatus === undefined ? 'no answer' : `HTTP ${event.httpStatus}`;
    core.debug(
      `${label}: attempt ${attempt} of ${maxAttempts}: POST ${event.url} → ${answer} in ${event.latencyMs} ms`,
    );
  }
  core.info(`${label}: attempt ${attempt} of ${maxAttempts}: ${describe(outcome)}${next}`);
}

/** `failed` exactly when the step fails; else `created`, `would-create` or `exists`. */
export function overallStatus(
  results: readonly FunctionResult[],
  ifExists: IfExists,
): FunctionStatus {
  if (results.some((r) => fails(r, ifExists))) return 'failed';
  for (const status of ['created', 'would-create'] as const) {
    if (results.some((r) => r.status === status)) return status;
  }
  return 'exists';
}

export interface Report {
  env: string;
  ifExists: IfExists;
  origin: TokenOrigin;
  dryRun: boolean;
  deployment: Deployment;
  durationMs: number;
}

/** Sets the outputs, writes the summary and the annotations, and fails the step if it must. */
export async function finish(report: Report): Promise<void> {
  const { env, ifExists, origin, deployment } = report;
  const { results, tokenFailure, listFailure, waitFailure } = deployment;
  const failing = results.filter((r) => fails(r, ifExists));
  const decisive = failing[0] ?? results[0];
  // Outputs that cannot be written fail the step, but the summary and the errors still say
  // what happened.
  let outputsFailure: string | undefined;
  try {
    setOutputs({
      status: overallStatus(results, ifExists),
      errcode: decisive?.errcode ?? null,
      errmsg: decisive?.errmsg ?? '',
      attempts: results.reduce((sum, r) => sum + r.attempts, 0),
      results,
    });
  } catch (error) {
    outputsFailure = messageOf(error);
  }

  for (const r of results) if (r.note) core.info(`${r.functionName}: ${oneLine(r.note)}`);
  const warnings: string[] = [];
  if (listFailure && !report.dryRun) {
    warnings.push(
      `Could not list the functions of ${env}: ${explain(listFailure, origin)} Existence was inferred from createfunction's answers, and creation was not awaited.`,
    );
  }
  if (waitFailure) {
    warnings.push(
      `Could not list the functions of ${env} to wait until they are Active: ${explain(waitFailure, origin)}`,
    );
  }
  try {
    await writeSummary(report);
  } catch (error) {
    warnings.push(`Could not write the job summary: ${oneLine(messageOf(error))}`);
  }
  annotate(core.warning, warnings);
  if (ifExists === 'skip') {
    annotate(
      core.notice,
      results
        .filter((r) => r.status === 'exists')
        .map((r) => {
          const what =
            r.code === null
              ? 'skipped'
              : `not created again${r.code === 'deployed' ? ', code uploaded' : ''}`;
          return `${r.functionName} already exists in ${env}: ${what}.`;
        }),
    );
  }

  let failure: string | undefined;
  if (tokenFailure) {
    failure = `Could not get an access token from cgi-bin/stable_token: ${explain(tokenFailure, origin)}`;
  } else if (listFailure && report.dryRun) {
    failure = `Could not list the functions of ${env}: ${explain(listFailure, origin)}`;
  } else if (failing.length > 0) {
    failure = failFunctions(failing, results.length, env, origin);
  }
  const message = [failure, outputsFailure].filter(Boolean).join('\n');
  if (message) core.setFailed(message);
}

/**
 * One annotation per failed function (within GitHub's limit), and the message of the combined
 * failure, which carries the rest: the step's one failure when a single function failed.
 */
function failFunctions(
  failing: readonly FunctionResult[],
  total: number,
  env: string,
  origin: TokenOrigin,
): string {
  const message = (r: FunctionResult) =>
    r.status === 'exists' && r.code !== 'failed'
      ? `${r.errmsg}.`
      : `${r.functionName}: ${explain(r, origin)}`;
  if (failing.length === 1) return message(failing[0]);
  const shown = failing.slice(0, MAX_ANNOTATIONS - 1);
  for (const r of shown) core.error(message(r), { title: `${r.functionName} in ${env}` });
  const rest = failing.slice(shown.length);
  const more = rest.slice(0, MAX_COMBINED).map(message);
  if (rest.length > MAX_COMBINED)
    more.push(`and ${rest.length - MAX_COMBINED} more (see the \`results\` output)`);
  return [`${failing.length} of ${total} functions failed in ${env}.`, ...more].join('\n');
}

/** Up to GitHub's limit of annotations; the last one carries whatever did not fit. */
function annotate(kind: (message: string) => void, messages: readonly string[]): void {
  const fit = messages.slice(0, MAX_ANNOTATIONS - 1);
  const rest = messages.slice(fit.length);
  for (const message of fit) kind(message);
  if (rest.length === 1) kind(rest[0]);
  else if (rest.length > 1) {
    const names = rest.slice(0, MAX_COMBINED).join(' ');
    kind(`${rest.length} more: ${names}${rest.length > MAX_COMBINED ? ' …' : ''}`);
  }
}

/** The failure of a call, with its hint, or the errcode table's for this token's origin. */
function explain(
  result: Pick<Outcome, 'errcode' | 'errmsg'> & { attempts?: number; hint?: string },
  origin: TokenOrigin,
): string {
  const hint = result.hint ?? hintFor(result.errcode, origin);
  const after =
    result.attempts && result.attempts > 1 ? ` (after ${result.attempts} attempts)` : '';
  return `${describe(result)}${after}.${hint ? ` ${hint}` : ''}`;
}

interface Outputs {
  status: FunctionStatus;
  errcode: number | null;
  errmsg: string;
  attempts: number;
  results: readonly FunctionResult[];
}

export function setOutputs({ status, errcode, errmsg, attempts, results }: Outputs): void {
  try {
    core.setOutput('status', status);
    core.setOutput('errcode', errcode ?? '');
    core.setOutput('errmsg', oneLine(errmsg));
    core.setOutput('attempts', attempts);
    core.setOutput('results', resultsJson(results));
  } catch (error) {
    throw new Error(
      `Could not write the step's outputs (GITHUB_OUTPUT): ${oneLine(messageOf(error))}`,
    );
  }
}

/** The `results` output, its errmsgs shortened as far as needed to stay within the limit. */
function resultsJson(results: readonly FunctionResult[]): string {
  for (let max = MAX_TEXT; ; max = Math.floor(max / 2)) {
    const json = JSON.stringify(
      results.map((r) => ({
        function_name: r.functionName,
        status: r.status,
        state: r.state,
        errcode: r.errcode,
        errmsg: oneLine(r.errmsg, max),
        attempts: r.attempts,
        code: r.code,
        code_sha256: r.codeSha256,
      })),
    );
    if (max === 0 || Buffer.byteLength(json) <= MAX_OUTPUT_BYTES) return json;
  }
}

/**
 * Fails the step with `message`, setting the failed outputs when asked: not once finish() has
 * set them, so that what is known is never overwritten. A runner whose output file cannot be
 * written still gets the error.
 */
export function failRun(message: string, { setOutputs: set }: { setOutputs: boolean }): void {
  if (set) {
    try {
      setOutputs({ status: 'failed', errcode: null, errmsg: message, attempts: 0, results: [] });
    } catch {
      // The error below says what matters; the outputs cannot be written.
    }
  }
  core.setFailed(oneLine(message, 4 * MAX_TEXT));
}

async function writeSummary(report: Report): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const { env, ifExists, origin, dryRun, deployment, durationMs } = report;
  const { results, listFailure } = deployment;
  const withCode = results.some((r) => r.codeSha256 !== null);
  // Loaded here, off the path of a step that fails early: @actions/github brings Octokit along.
  const { context } = await import('@actions/github');
  const cell = (text: string | number | null) => escapeHtml(oneLine(String(text ?? '')));
  const header = ['Environment', 'Function', 'Status', 'State', 'errcode', 'Attempts', 'Time'];
  if (withCode) header.push('Code', 'Size', 'SHA-256');
  const rows = results.map((r) => [
    cell(env),
    cell(r.functionName),
    cell(r.status),
    cell(r.state),
    cell(r.errcode),
    cell(r.attempts),
    cell(`${(r.durationMs / 1000).toFixed(1)} s`),
    ...(withCode
      ? [
          cell(r.code ?? (dryRun && r.codeSha256 ? 'not sent (dry run)' : '')),
          cell(r.codeBytes === null ? '' : kib(r.codeBytes)),
          r.codeSha256 ? `<code>${cell(r.codeSha256)}</code>` : '',
        ]
      : []),
  ]);
  const notes = results
    .filter((r) => fails(r, ifExists) || r.note)
    .map((r) => {
      const failed = r.status === 'failed' || r.code === 'failed';
      const why = [failed ? explain(r, origin) : '', r.note ?? ''].filter(Boolean).join(' ');
      return `${cell(r.functionName)}: ${escapeHtml(oneLine(why || r.errmsg))}`;
    });
  const keptRows = withinBudget(
    rows,
    (row) => Buffer.byteLength(row.join('')) + 9 * row.length + 9,
    MAX_SUMMARY_BYTES / 3,
  );
  const keptNotes = withinBudget(
    notes,
    (note) => Buffer.byteLength(note) + 9,
    MAX_SUMMARY_BYTES / 2,
  );

  const summary = core.summary.addHeading('WeChat cloud functions', 3);
  if (dryRun) summary.addRaw('<p><strong>Dry run</strong>: nothing was created.</p>', true);
  if (listFailure && !dryRun) {
    summary.addRaw(
      `<p>The list of functions could not be read (${escapeHtml(describe(listFailure))}): existence was inferred from createfunction's answers.</p>`,
      true,
    );
  }
  summary.addTable([header.map((data) => ({ data, header: true })), ...rows.slice(0, keptRows)]);
  if (keptRows < rows.length) {
    summary.addRaw(
      `<p>${rows.length - keptRows} more rows left out: see the <code>results</code> output.</p>`,
      true,
    );
  }
  if (keptNotes > 0) summary.addList(notes.slice(0, keptNotes));
  if (keptNotes < notes.length) {
    summary.addRaw(`<p>${notes.length - keptNotes} more notes left out.</p>`, true);
  }
  const where = [
    context.ref && `<code>${cell(context.ref)}</code>`,
    context.sha && `<code>${cell(context.sha.slice(0, 7))}</code>`,
  ]
    .filter(Boolean)
    .join(' at ');
  await summary
    .addRaw(`<p>${where ? `${where}, ` : ''}${(durationMs / 1000).toFixed(1)} s in all.</p>`, true)
    .write();
}

function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** How many of `items`, taken in order, fit in `budget` bytes. */
function withinBudget<T>(items: readonly T[], size: (item: T) => number, budget: number): number {
  let used = 0;
  for (let i = 0; i < items.length; i++) {
    used += size(items[i]);
    if (used > budget) return i;
  }
  return items.length;
}
