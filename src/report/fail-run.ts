// Failing the step before or without a run's report: on a wrong input, on a failure that ended
// the run before it could report, and on whatever escaped it. Apart from the run's report, so
// that a step that fails on its inputs loads none of the run's code.
import { appendFileSync } from 'node:fs';
import { blocks, html, MARK_FAILED, MAX_TEXT, oneLine, sentence } from '../text/text.js';
import { setOutputs } from './outputs.js';
import * as runner from './runner-text.js';

/** The summary of a run that was refused before anything was sent: which input and why. */
function inputErrorSummary(message: string): string {
  return blocks(
    '<h3>WeChat cloud functions</h3>',
    `<p>${MARK_FAILED} ${html(sentence(oneLine(message, 2000)))} Nothing was sent.</p>`,
  );
}

/**
 * Fails the step with `message`, before or without a run: the failed outputs are set when asked
 * (not once finish() has set them, so that what is known is never overwritten), and, for an
 * input error, a summary says which input. A runner whose files cannot be written still gets
 * the error.
 */
export function failRun(
  message: string,
  { setOutputs: set, summary: withSummary = false }: { setOutputs: boolean; summary?: boolean },
): void {
  if (set) {
    try {
      setOutputs({
        status: 'failed',
        code: '',
        errcode: null,
        errmsg: message,
        attempts: 0,
        results: [],
        invoked: false,
      });
    } catch {
      // The error below says what matters; the outputs cannot be written.
    }
  }
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (withSummary && file) {
    try {
      appendFileSync(file, inputErrorSummary(message));
    } catch {
      // As above: the error is what matters.
    }
  }
  runner.setFailed(oneLine(message, 4 * MAX_TEXT));
}
