// The step's outputs, from the run's results, by one set of rules (action.yml says them too):
// - `status` is `failed` exactly when the step fails; else `created` if any function was
//   created, `would-create` in a dry run that would create one, or `exists`;
// - `code` is `deployed` when every function's code was deployed, `failed` when any was not,
//   and empty without `code-dir` or in a dry run;
// - `errcode`/`errmsg` are those of the first failed function, else of the first function:
//   WeChat's errcode of the answer that decided, empty exactly when what decided was not a
//   WeChat answer (then `errmsg` says what it was).
// Every output stays under GitHub's limit of 1 MiB.
import * as core from '@actions/core';
import { fails } from '../run/fails.js';
import type { Deployment, FunctionResult, FunctionStatus, IfExists } from '../run/result.js';
import { clip, MAX_RESPONSE_CHARS, MAX_TEXT, messageOf, oneLine } from '../text/text.js';

/** GitHub refuses an output over 1 MiB; this leaves room for the rest. */
const MAX_OUTPUT_BYTES = 960 * 1024;

interface Outputs {
  status: FunctionStatus;
  code: 'deployed' | 'failed' | '';
  errcode: number | null;
  errmsg: string;
  attempts: number;
  results: readonly FunctionResult[];
  /** Whether `invoke` was asked: `invoke-results` is empty otherwise. */
  invoked: boolean;
}

export function outputsOf(
  { results }: Pick<Deployment, 'results'>,
  {
    ifExists,
    dryRun,
    withCode,
    invoked,
  }: { ifExists: IfExists; dryRun: boolean; withCode: boolean; invoked: boolean },
): Outputs {
  const decisive = results.find((r) => fails(r, ifExists)) ?? results[0];
  return {
    status: overallStatus(results, ifExists),
    code:
      !withCode || dryRun
        ? ''
        : results.every((r) => r.code === 'deployed')
          ? 'deployed'
          : 'failed',
    errcode: decisive?.errcode ?? null,
    errmsg: decisive?.errmsg ?? '',
    attempts: results.reduce((sum, r) => sum + r.attempts, 0),
    results,
    invoked,
  };
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

export function setOutputs(outputs: Outputs): void {
  try {
    core.setOutput('status', outputs.status);
    core.setOutput('code', outputs.code);
    core.setOutput('errcode', outputs.errcode ?? '');
    core.setOutput('errmsg', oneLine(outputs.errmsg));
    core.setOutput('attempts', outputs.attempts);
    core.setOutput('results', resultsJson(outputs.results));
    core.setOutput('invoke-results', outputs.invoked ? invokeResultsJson(outputs.results) : '');
  } catch (error) {
    throw new Error(
      `Could not write the step's outputs (GITHUB_OUTPUT): ${oneLine(messageOf(error))}`,
    );
  }
}

/** The `results` output, its server text shortened as far as needed to stay within the limit. */
function resultsJson(results: readonly FunctionResult[]): string {
  return withinLimit((max) =>
    results.map((r) => ({
      function_name: r.functionName,
      status: r.status,
      state: r.state === null ? null : oneLine(r.state, max),
      runtime: r.runtime === null ? null : oneLine(r.runtime, max),
      errcode: r.errcode,
      errmsg: oneLine(r.errmsg, max),
      attempts: r.attempts,
      code: r.code,
      code_sha256: r.codeSha256,
      config: r.config,
      triggers: r.triggers,
      invoke: r.invoke,
    })),
  );
}

/** What each function answered its invocation, or why it did not. */
function invokeResultsJson(results: readonly FunctionResult[]): string {
  return withinLimit((max) =>
    Object.fromEntries(
      results.map((r) => [
        r.functionName,
        r.invoke === 'ok'
          ? {
              invoke: 'ok',
              // As much as the docs say, shortened with the errmsgs when the output is too large.
              response: clip(r.response ?? '', Math.floor((MAX_RESPONSE_CHARS * max) / MAX_TEXT)),
            }
          : { invoke: r.invoke, errcode: r.errcode, errmsg: oneLine(r.errmsg, max) },
      ]),
    ),
  );
}

/** The JSON of `build(max)`, with `max` halved until it fits in MAX_OUTPUT_BYTES. */
function withinLimit(build: (max: number) => unknown): string {
  for (let max = MAX_TEXT; ; max = Math.floor(max / 2)) {
    const json = JSON.stringify(build(max));
    if (max === 0 || Buffer.byteLength(json) <= MAX_OUTPUT_BYTES) return json;
  }
}
