import { EOL } from 'node:os';
import * as core from '@actions/core';
import { run } from './main.js';
import { failRun } from './report/fail-run.js';
import { Secrets } from './secrets/secrets.js';
import { messageOf, oneLine } from './text/text.js';

// Whatever escapes run() (an error event no one listens to, a bug) still ends the step with one
// `::error::` line and exit code 1, never a stack trace on stderr, and never a secret: the error
// may quote a request's URL. The handler must not throw (Node would print the error and the
// line of the bundle it came from), so each step of it has a fallback.
const secrets = new Secrets(core.setSecret);
/** Enough to say what went wrong; a longer message is more likely to quote what it should not. */
const MAX_MESSAGE = 300;
let reported = false;

/**
 * The message an error may show: redacted, on one line, short. Not a SyntaxError's: V8 quotes
 * the code it could not compile there (a RegExp's pattern, which may spell a secret out) or the
 * JSON it could not parse. Never the stack: it quotes the bundle.
 */
function shown(error: unknown): string {
  try {
    if (error instanceof SyntaxError) return 'SyntaxError (its message may quote code: not shown)';
    return oneLine(secrets.redact(messageOf(error)), MAX_MESSAGE);
  } catch {
    return 'its message could not be checked for secrets: not shown';
  }
}

function unexpected(error: unknown): void {
  process.exitCode = 1;
  // Once: a second failure (a write to a closed stdout, say) would only repeat or loop.
  if (reported) return;
  reported = true;
  try {
    failRun(`Unexpected failure: ${shown(error)}`, { setOutputs: false });
  } catch {
    try {
      process.stdout.write(`::error::Unexpected failure${EOL}`);
    } catch {
      // Nothing is left to report with; the exit code still fails the step.
    }
  }
}
process.on('uncaughtException', unexpected);
process.on('unhandledRejection', unexpected);

await run(secrets);
// Every connection is closed by now; should anything else still hold the process, the step
// must not outlive its outputs.
setTimeout(() => process.exit(), 1000).unref();
