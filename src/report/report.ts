// Everything the runner sees once the run is over: the outputs, the log's closing lines, the
// annotations, the job summary and the step's failure. GitHub's own limits are kept: 10
// annotations of a kind, 1 MiB per output and per summary. A hint is said once per cause.
import * as core from '@actions/core';
import { describe } from '../clouds/wechat/errcodes.js';
import { fails } from '../run/fails.js';
import type { Deployment, FunctionResult, IfExists } from '../run/result.js';
import { messageOf, oneLine, sentence } from '../text/text.js';
import { hintsFor, logOutcomes, stoppedBecause } from './log.js';
import { outputsOf, setOutputs } from './outputs.js';
import * as runner from './runner-text.js';
import { summary } from './summary.js';

/** GitHub shows at most this many annotations of each kind for a step. */
const MAX_ANNOTATIONS = 10;
/** The combined failure message names at most this many functions in full. */
const MAX_COMBINED = 20;

interface Report {
  env: string;
  ifExists: IfExists;
  dryRun: boolean;
  withCode: boolean;
  invoked: boolean;
  deployment: Deployment;
  durationMs: number;
}

/** Sets the outputs, logs and summarises the run, and fails the step if it must. */
export async function finish(report: Report): Promise<void> {
  const { env, ifExists, dryRun, deployment } = report;
  const { results, stopped } = deployment;
  const failing = results.filter((r) => fails(r, ifExists));
  // Outputs that cannot be written fail the step, but the summary and the errors still say
  // what happened.
  let outputsFailure: string | undefined;
  try {
    setOutputs(outputsOf(deployment, report));
  } catch (error) {
    outputsFailure = messageOf(error);
  }
  if (!stopped) logOutcomes(deployment, env, dryRun, report.durationMs);

  const warnings = [...deployment.warnings];
  try {
    await writeSummary(report);
  } catch (error) {
    warnings.push(`Could not write the job summary: ${oneLine(messageOf(error))}`);
  }
  annotate(runner.warning, warnings);

  let failure: string | undefined;
  if (stopped) {
    failure = `${stoppedBecause(stopped, env)}: ${explain(stopped.outcome)}`;
  } else if (failing.length > 0) {
    failure = failFunctions(failing, results.length, env);
  }
  const message = [failure, outputsFailure].filter(Boolean).join('\n');
  if (message) runner.setFailed(message);
}

/** A failure and what to do about it. */
function explain(result: Pick<FunctionResult, 'errcode' | 'errmsg' | 'hint'>): string {
  return `${sentence(describe(result))}${result.hint ? ` ${result.hint}` : ''}`;
}

/**
 * One annotation per failed function (within GitHub's limit), and the message of the combined
 * failure, which carries the rest and each hint once: the step's one failure when a single
 * function failed.
 */
function failFunctions(failing: readonly FunctionResult[], total: number, env: string): string {
  const message = (r: FunctionResult) => `${r.functionName}: ${sentence(describe(r))}`;
  const hints = hintsFor(failing);
  if (failing.length === 1) return [message(failing[0]), ...hints].join(' ');
  const shown = failing.slice(0, MAX_ANNOTATIONS - 1);
  for (const r of shown) runner.error(message(r), { title: `${r.functionName} in ${env}` });
  const rest = failing.slice(shown.length);
  const more = rest.slice(0, MAX_COMBINED).map(message);
  if (rest.length > MAX_COMBINED) {
    more.push(`and ${rest.length - MAX_COMBINED} more (see the \`results\` output)`);
  }
  return [`${failing.length} of ${total} functions failed in ${env}.`, ...more, ...hints].join(
    '\n',
  );
}

/** Up to GitHub's limit of annotations; the last one carries whatever did not fit. */
function annotate(kind: (message: string) => void, messages: readonly string[]): void {
  const fit = messages.slice(0, MAX_ANNOTATIONS - 1);
  const rest = messages.slice(fit.length);
  for (const message of fit) kind(message);
  if (rest.length === 1) kind(rest[0]);
  else if (rest.length > 1) {
    const first = rest.slice(0, MAX_COMBINED).map((m) => oneLine(m, 200));
    kind(`${rest.length} more:\n${first.join('\n')}${rest.length > MAX_COMBINED ? '\n…' : ''}`);
  }
}

// @actions/github, read for the summary's ref and sha, brings Octokit along: loaded off the path
// of a step that fails early, and once.
let github: Promise<typeof import('@actions/github')> | undefined;
const loadGithub = () => {
  github ??= import('@actions/github');
  return github;
};

/**
 * Starts loading what the summary needs, for a run to call once it is under way. A failure to
 * load shows when the summary is written.
 */
export function preloadSummary(): void {
  loadGithub().catch(() => {});
}

async function writeSummary(report: Report): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const { deployment, ifExists } = report;
  const { context } = await loadGithub();
  const text = summary({
    ...report,
    deployment,
    ref: context.ref,
    sha: context.sha,
    failing: (r) => fails(r, ifExists),
  });
  await core.summary.addRaw(text).write();
}
