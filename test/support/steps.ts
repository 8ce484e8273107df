// The `with:` block of a step against the stand-in, with fast retries: each kind of credentials,
// on either route, and whatever a test adds; and the function folders a step deploys.
import { join } from 'node:path';
import { beforeEach } from 'vitest';
import type { StandIn } from '../../stand-in/server.js';
import { temporaryFolder, writeTree } from './folders.js';

export const ENV = 'test-777bb9';
const FAST = { 'retry-delay-ms': '1', 'request-timeout-ms': '300' };

function step(standIn: StandIn, credentials: object, inputs: Record<string, string>) {
  return {
    env: ENV,
    'function-name': 'login',
    ...credentials,
    'api-base-url': standIn.url,
    ...FAST,
    ...inputs,
  } as Record<string, string>;
}

export function withToken(standIn: StandIn, inputs: Record<string, string> = {}) {
  return step(standIn, { 'access-token': standIn.accessToken }, inputs);
}

export function withApp(standIn: StandIn, inputs: Record<string, string> = {}) {
  return step(standIn, { 'app-id': standIn.appId, 'app-secret': standIn.appSecret }, inputs);
}

/** `api: tencentcloud` with the stand-in's Tencent Cloud keys and its API as the endpoint. */
export function withKeys(standIn: StandIn, inputs: Record<string, string> = {}) {
  return step(
    standIn,
    {
      api: 'tencentcloud',
      'tencentcloud-secret-id': standIn.tcb.secretId,
      'tencentcloud-secret-key': standIn.tcb.secretKey,
      'tencentcloud-endpoint': standIn.tcbUrl,
    },
    inputs,
  );
}

/** `api: tencentcloud` with the app id and secret: keys exchanged for the minted token. */
export function withAppKeys(standIn: StandIn, inputs: Record<string, string> = {}) {
  return withApp(standIn, {
    api: 'tencentcloud',
    'tencentcloud-endpoint': standIn.tcbUrl,
    ...inputs,
  });
}

/** The retry rule of client tests: 5 attempts, half of each backoff's ceiling, sleeps recorded. */
export function recordedRetry(sleeps: number[]) {
  return {
    maxAttempts: 5,
    baseDelayMs: 1000,
    random: () => 0.5,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
  };
}

/**
 * A `code-dir` for each test, removed after it: a folder per name, each with an index.js that
 * answers its name, and `files` (path → content) besides.
 */
export function codeFolders(
  names: string[],
  files: Record<string, string | Uint8Array> = {},
): { readonly path: string } {
  const folder = temporaryFolder();
  beforeEach(() => {
    for (const name of names) {
      writeTree(join(folder.path, name), {
        'index.js': `exports.main = async () => '${name}';\n`,
        ...files,
      });
    }
  });
  return folder;
}
