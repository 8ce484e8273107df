import * as core from '@actions/core';
import pkg from '../package.json' with { type: 'json' };
import { deploy } from './deploy.js';
import { Transport } from './http-transport.js';
import { parseInputs } from './inputs.js';
import { failRun, finish, logAttempt, messageOf } from './report.js';
import { ScfClient } from './scf-client.js';
import { Secrets } from './secrets.js';
import { MAX_ANSWER_BYTES, WeChatClient } from './wechat-client.js';

const USER_AGENT = `${pkg.name}/${pkg.version}`;

/** `secrets` is the caller's, so that whatever escapes run() is redacted as well. */
export async function run(secrets = new Secrets(core.setSecret)): Promise<void> {
  const started = Date.now();
  let transport: Transport | undefined;
  let finishing = false;
  try {
    const inputs = parseInputs(core.getInput, (value) => secrets.add(value));
    transport = new Transport({
      userAgent: USER_AGENT,
      timeoutMs: inputs.requestTimeoutMs,
      maxAnswerBytes: MAX_ANSWER_BYTES,
    });
    const retry = { maxAttempts: inputs.maxAttempts, baseDelayMs: inputs.retryDelayMs };
    const wechat = new WeChatClient({
      baseUrl: inputs.apiBaseUrl,
      transport,
      credentials: inputs.credentials,
      retry,
      secrets,
      onAttempt: logAttempt,
    });
    const scf = new ScfClient({ transport, secrets, apiBaseUrl: inputs.apiBaseUrl });
    const deployment = await deploy(
      { ...inputs, waitTimeoutMs: inputs.waitTimeoutSeconds * 1000, retry },
      { wechat, scf },
      { onAttempt: logAttempt },
    );
    finishing = true;
    await finish({
      ...inputs,
      origin: inputs.credentials.kind,
      deployment,
      durationMs: Date.now() - started,
    });
  } catch (error) {
    failRun(secrets.redact(messageOf(error)), { setOutputs: !finishing });
  } finally {
    transport?.close();
  }
}
