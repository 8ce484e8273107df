import * as core from '@actions/core';
import pkg from '../package.json' with { type: 'json' };
import { deploy } from './deploy.js';
import { Transport } from './http-transport.js';
import { InputError, type Inputs, parseInputs } from './inputs.js';
import { logAttempt, logStart, logWait } from './log.js';
import { failRun, finish } from './report.js';
import { cloudFor } from './route.js';
import { Secrets } from './secrets.js';
import { messageOf } from './text.js';
import { MAX_ANSWER_BYTES } from './wechat-client.js';

const USER_AGENT = `${pkg.name}/${pkg.version}`;

/** `secrets` is the caller's, so that whatever escapes run() is redacted as well. */
export async function run(secrets = new Secrets(core.setSecret)): Promise<void> {
  const started = Date.now();
  let transport: Transport | undefined;
  let finishing = false;
  try {
    const inputs = readInputs(secrets);
    if (!inputs) return;
    transport = new Transport({
      userAgent: USER_AGENT,
      timeoutMs: inputs.requestTimeoutMs,
      maxAnswerBytes: MAX_ANSWER_BYTES,
    });
    const retry = { maxAttempts: inputs.maxAttempts, baseDelayMs: inputs.retryDelayMs };
    const cloud = cloudFor(inputs, { transport, secrets, retry, onAttempt: logAttempt });
    const deployment = await deploy(
      { ...inputs, waitTimeoutMs: inputs.waitTimeoutSeconds * 1000, retry },
      cloud,
      { onAttempt: logAttempt, onStart: logStart, onWait: logWait },
    );
    finishing = true;
    await finish({
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
