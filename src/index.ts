import { run } from './main.js';
import { failRun } from './report.js';

// Whatever escapes run() (an error event no one listens to, a bug) still ends the step with one
// `::error::` line and exit code 1, never a stack trace on stderr.
const unexpected = (error: unknown) =>
  failRun(`Unexpected failure: ${error instanceof Error ? error.message : String(error)}`, {
    setOutputs: false,
  });
process.on('uncaughtException', unexpected);
process.on('unhandledRejection', unexpected);

await run();
// Every connection is closed by now; should anything else still hold the process, the step
// must not outlive its outputs.
setTimeout(() => process.exit(), 1000).unref();
