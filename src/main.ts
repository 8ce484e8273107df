import * as core from '@actions/core';
import pkg from '../package.json' with { type: 'json' };
import { InputError, type Inputs, parseInputs } from './inputs/inputs.js';
import type { Transport } from './net/http-transport.js';
import { failRun } from './report/fail-run.js';
import { Secrets } from './secrets/secrets.js';
import { messageOf } from './text/text.js';

const USER_AGENT = `${pkg.name}/${pkg.version}`;

/** `secrets` is the caller's, so that whatever escapes run() is redacted as well. */
export async function run(secrets = new Secrets(core.setSecret)): Promise<void> {
  const started = Date.now();
  let transport: Transport | undefined;
  let finishing = false;
  try {
    const inputs = readInputs(secrets);
    if (!inputs) return;
    // The run's code, loaded once the inputs are valid: a step that fails on one needs none of
    // it. One chunk of the bundle, read at once.
    const [{ deploy }, { Transport }, { cloudFor }, { MAX_ANSWER_BYTES }, log, report] =
      await Promise.all([
        import(/* webpackChunkName: "run" */ './run/deploy.js'),
        import(/* webpackChunkName: "run" */ './net/http-transport.js'),
        import(/* webpackChunkName: "run" */ './route.js'),
        import(/* webpackChunkName: "run" */ './clouds/wechat/wechat-client.js'),
        import(/* webpackChunkName: "run" */ './report/log.js'),
        import(/* webpackChunkName: "run" */ './report/report.js'),
      ]);
    // First, before any request: which route, and why (the inputs decide, see inputs/route-choice.ts).
    core.info(`route: ${log.API_NAMES[inputs.api]} (${inputs.because})`);
    transport = new Transport({
      userAgent: USER_AGENT,
      timeoutMs: inputs.requestTimeoutMs,
      maxAnswerBytes: MAX_ANSWER_BYTES,
    });
    const retry = { maxAttempts: inputs.maxAttempts, baseDelayMs: inputs.retryDelayMs };
    const cloud = cloudFor(inputs, {
      transport,
      secrets,
      retry,
      onAttempt: log.logAttempt,
      // Masked the moment it is had; it goes nowhere but STS.
      idToken: async (audience) => {
        const token = await core.getIDToken(audience);
        secrets.add(token);
        return token;
      },
      repository: process.env.GITHUB_REPOSITORY ?? '',
      run: [process.env.GITHUB_RUN_ID, process.env.GITHUB_RUN_ATTEMPT].filter(Boolean).join('-'),
    });
    const deploying = deploy(
      { ...inputs, waitTimeoutMs: inputs.waitTimeoutSeconds * 1000, retry },
      cloud,
      { onAttempt: log.logAttempt, onStart: log.logStart, onWait: log.waitLogger() },
    );
    // On the next turn, the run under way: the summary's code compiles while the run waits on the
    // network, not at the step's end.
    setImmediate(report.preloadSummary);
    const deployment = await deploying;
    finishing = true;
    await report.finish({
      ...inputs,
      withCode: inputs.code !== undefined,
      invoked: inputs.invoke !== undefined,
      deployment,
      durationMs: Date.now() - started,
    });
  } catch (error) {
    failRun(secrets.redact(messageOf(error)), { setOutputs: !finishing });
  } finally {
    transport?.close();
  }
}

/** The inputs, checked; undefined when one is wrong, and the step has failed saying which. */
function readInputs(secrets: Secrets): Inputs | undefined {
  try {
    return parseInputs(core.getInput, {
      onSecret: (value) => secrets.add(value),
      environment: process.env,
    });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    failRun(secrets.redact(error.message), { setOutputs: true, summary: true });
    return undefined;
  }
}
