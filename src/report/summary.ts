// The job summary, in HTML throughout and a blank line between blocks, so that GitHub's Markdown
// renderer shows it as written: a heading with the environment and the API, a count line, one
// table row per function (failed ones first, marked), the reasons of failures, and the full
// SHA-256 of each zip where it can be copied. Server text is escaped. It stays under the
// runner's limit of 1 MiB.

import { triggerWords } from '../clouds/triggers.js';
import { describe } from '../clouds/wechat/errcodes.js';
import type { Deployment, FunctionResult } from '../run/result.js';
import {
  blocks,
  escapeHtml,
  html,
  MARK_FAILED,
  oneLine,
  seconds,
  sentence,
  size,
} from '../text/text.js';
import { API_NAMES, countLine, hintsFor, stoppedBecause } from './log.js';

/** GitHub refuses a job summary over 1 MiB; this leaves room for the rest. */
const MAX_SUMMARY_BYTES = 960 * 1024;

interface SummaryFacts {
  env: string;
  dryRun: boolean;
  deployment: Deployment;
  durationMs: number;
  /** Where the run came from: `refs/tags/v1.2.0`, and the commit. */
  ref?: string;
  sha?: string;
  /** Does this function fail the step? */
  failing: (r: FunctionResult) => boolean;
}

export function summary(facts: SummaryFacts): string {
  const { env, dryRun, deployment, durationMs, failing } = facts;
  const { results, stopped, listFailure } = deployment;
  const cell = (text: string | null) => escapeHtml(oneLine(text ?? ''));
  const withCode = results.some((r) => r.codeSha256 !== null || r.code !== null);
  const withConfig = results.some((r) => r.config !== null);
  const withInvoke = results.some((r) => r.invoke !== null);

  const head = ['Function', 'Status', 'State', 'Runtime'];
  if (withCode) head.push('Code', 'Size', 'SHA-256');
  if (withConfig) head.push('Config');
  if (withInvoke) head.push('Invoke');
  head.push('Time');
  const ordered = [...results.filter(failing), ...results.filter((r) => !failing(r))];
  const rows = ordered.map((r) => {
    const failed = failing(r);
    const cells = [
      `${failed ? `${MARK_FAILED} ` : ''}<code>${cell(r.functionName)}</code>`,
      failed ? `<strong>${cell(r.status)}</strong>` : cell(r.status),
      cell(r.state),
      cell(r.runtime),
    ];
    if (withCode) {
      cells.push(
        cell(r.code ?? (dryRun && r.codeSha256 ? 'not sent (dry run)' : '')),
        cell(r.codeBytes === null ? '' : size(r.codeBytes)),
        r.codeSha256 ? `<code>${cell(r.codeSha256.slice(0, 12))}</code>` : '',
      );
    }
    if (withConfig) cells.push(cell(r.config));
    if (withInvoke) cells.push(cell(r.invoke));
    cells.push(cell(seconds(r.durationMs)));
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  // A run stopped before anything was tried has one reason, said once above the table.
  const notes = (stopped ? [] : ordered)
    .filter(
      (r) =>
        failing(r) ||
        r.note ||
        r.changes.length > 0 ||
        (r.triggers?.length ?? 0) > 0 ||
        (r.invoke === 'ok' && r.response),
    )
    .map((r) => {
      const parts: string[] = [];
      if (failing(r)) parts.push(html(describe(r)));
      if (r.note && !failing(r)) parts.push(escapeHtml(oneLine(r.note)));
      if (r.changes.length > 0)
        parts.push(
          escapeHtml(
            oneLine(
              `${r.config === 'would-update' ? 'Would change' : 'Changed'}: ${r.changes.join('; ')}`,
            ),
          ),
        );
      if (r.triggers && r.triggers.length > 0) {
        parts.push(escapeHtml(oneLine(`Timer triggers: ${triggerWords(r.triggers)}`)));
      }
      if (r.invoke === 'ok' && r.response) {
        parts.push(`Invoked, it answered <code>${escapeHtml(oneLine(r.response, 60))}</code>`);
      }
      const said = parts.filter(Boolean).map((part) => sentence(part));
      return `<li><code>${cell(r.functionName)}</code>: ${said.join(' ')}</li>`;
    });

  const where = [
    facts.ref && `<code>${cell(facts.ref)}</code>`,
    facts.sha && `<code>${cell(facts.sha.slice(0, 7))}</code>`,
  ]
    .filter(Boolean)
    .join(' at ');
  const parts = [
    `<h3>WeChat cloud functions in <code>${cell(env)}</code></h3>`,
    `<p>${escapeHtml(countLine(deployment, dryRun))}. Through ${escapeHtml(API_NAMES[deployment.api])}, ${seconds(durationMs)}${where ? `, ${where}` : ''}.</p>`,
  ];
  if (dryRun)
    parts.push('<p><strong>Dry run</strong>: nothing was created, uploaded or written.</p>');
  if (stopped) {
    parts.push(
      `<p>${MARK_FAILED} ${escapeHtml(stoppedBecause(stopped, env))}: ${html(sentence(describe(stopped.outcome)))}${stopped.outcome.hint ? ` ${html(stopped.outcome.hint)}` : ''}</p>`,
    );
  }
  if (listFailure) {
    parts.push(
      `<p>⚠️ The list of functions could not be read (${escapeHtml(describe(listFailure))}): the run went on by the answers of its creates, saw no state and waited for nothing, so no function is known to be runnable, and the step fails.</p>`,
    );
  }
  const budget = withinBudget([...rows, ...notes], MAX_SUMMARY_BYTES - 4096);
  const keptRows = Math.min(budget, rows.length);
  parts.push(
    `<table>\n<thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>\n<tbody>\n${rows.slice(0, keptRows).join('\n')}\n</tbody>\n</table>`,
  );
  if (keptRows < rows.length) {
    parts.push(
      `<p>${rows.length - keptRows} more rows left out: see the <code>results</code> output.</p>`,
    );
  }
  const keptNotes = Math.max(0, budget - keptRows);
  if (keptNotes > 0) parts.push(`<ul>\n${notes.slice(0, keptNotes).join('\n')}\n</ul>`);
  if (keptNotes < notes.length)
    parts.push(`<p>${notes.length - keptNotes} more notes left out.</p>`);
  const hints = stopped ? [] : hintsFor(results.filter(failing));
  if (hints.length > 0) {
    parts.push(
      `<p>What to do:</p>\n<ul>\n${hints
        .slice(0, 20)
        .map((hint) => `<li>${html(hint)}</li>`)
        .join('\n')}\n</ul>`,
    );
  }
  for (const warning of deployment.warnings.slice(0, 20))
    parts.push(`<p>⚠️ ${html(oneLine(warning, 1000))}</p>`);
  const hashes = results.filter((r) => r.codeSha256 !== null).slice(0, keptRows);
  if (hashes.length > 0) {
    const width = Math.max(...hashes.map((r) => r.functionName.length));
    const lines = hashes.map(
      (r) => `${cell(r.functionName)}${' '.repeat(width - r.functionName.length)}  ${r.codeSha256}`,
    );
    parts.push(
      `<details><summary>SHA-256 of each zip</summary>\n<pre>\n${lines.join('\n')}\n</pre>\n</details>`,
    );
  }
  return blocks(...parts);
}

/** How many of `items`, taken in order, fit in `budget` bytes. */
function withinBudget(items: readonly string[], budget: number): number {
  let used = 0;
  for (let i = 0; i < items.length; i++) {
    used += Buffer.byteLength(items[i]) + 1;
    if (used > budget) return i;
  }
  return items.length;
}
