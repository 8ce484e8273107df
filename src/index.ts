import * as core from '@actions/core';
import { run } from './main.js';
import { failRun, messageOf } from './report.js';
import { Secrets } from './secrets.js';

// Whatever escapes run() (an error event no one listens to, a bug) still ends the step with one
// `::error::` line and exit code 1, never a stack trace on stderr, and never a secret: the error
// may quote a request's URL.
const secrets = new Secrets(core.setSecret);
const unexpected = (error: unknown) =>
  failRun(secrets.redact(`Unexpected failure: ${messageOf(error)}`), { setOutputs: false });
process.on('uncaughtException', unexpected);
process.on('unhandledRejection', unexpected);

await run(secrets);
// Every connection is closed by now; should anything else still hold the process, the step
// must not outlive its outputs.
setTimeout(() => process.exit(), 1000).unref();
