import * as core from '@actions/core';
import pkg from '../package.json' with { type: 'json' };
import { parseInputs } from './inputs.js';
import { finish, logAttempt, setFailedOutputs } from './report.js';
import { Secrets } from './secrets.js';
import { WeChatClient } from './wechat-client.js';

const USER_AGENT = `${pkg.name}/${pkg.version}`;

export async function run(): Promise<void> {
  const started = Date.now();
  const secrets = new Secrets(core.setSecret);
  try {
    const inputs = parseInputs(core.getInput, (value) => secrets.add(value));
    const client = new WeChatClient({
      baseUrl: inputs.apiBaseUrl,
      timeoutMs: inputs.requestTimeoutMs,
      userAgent: USER_AGENT,
      retry: { maxAttempts: inputs.maxAttempts, baseDelayMs: inputs.retryDelayMs },
      secrets,
      onAttempt: logAttempt,
    });
    try {
      const deployment = await client.createFunctions(inputs);
      await finish({ ...inputs, deployment, durationMs: Date.now() - started });
    } finally {
      client.close();
    }
  } catch (error) {
    const message = secrets.redact(error instanceof Error ? error.message : String(error));
    setFailedOutputs(message);
    core.setFailed(message);
  }
}
