// The smoke test's invocation: a large answer is clipped, not failed, and an invocation is sent
// again only when it provably never left, never after an answer was lost, since the function may
// have run. Through dist/index.js, as the runner starts it, and the client in this process.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttemptEvent } from '../../src/clouds/cloud.js';
import { WeChatClient } from '../../src/clouds/wechat/wechat-client.js';
import { Secrets } from '../../src/secrets/secrets.js';
import { runAction } from '../../stand-in/runner.js';
import { type Fault, type StandIn, startStandIn } from '../../stand-in/server.js';
import { results } from '../support/leaks.js';
import { closedPort, testTransport } from '../support/net.js';
import { codeFolders, ENV, recordedRetry, withToken } from '../support/steps.js';

let standIn: StandIn;
beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

const code = codeFolders(['login']);
const invoke = () =>
  runAction({
    inputs: withToken(standIn, { 'code-dir': code.path, invoke: '{}', 'max-attempts': '3' }),
  });

describe('an invocation through dist', () => {
  it('answered with 200 KB: clipped to 4,096 characters, and the step succeeds', async () => {
    standIn.answerInvoke('login', { respData: 'z'.repeat(200_000) });
    const result = await invoke();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { response } = JSON.parse(result.outputs['invoke-results']).login;
    expect(response).toBe(`${'z'.repeat(4096)}…`);
    expect(standIn.calls('invokecloudfunction')).toHaveLength(1);
  });

  it.each<[string, Fault]>([
    ['no answer in time', { hang: true }],
    ['the connection closed before an answer', { reset: true }],
    ["a gateway's 502", { status: 502 }],
    ['system busy', { errcode: -1, errmsg: 'system busy' }],
  ])('after %s: not sent again, as the function may have run', async (_name, fault) => {
    standIn.script('invokecloudfunction', [fault, fault, fault]);
    const result = await invoke();
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({ invoke: 'failed' });
    expect(standIn.calls('invokecloudfunction')).toHaveLength(1);
    expect(result.stdout).not.toMatch(/invokecloudfunction attempt 2/);
  });
});

describe('an invocation that never left', () => {
  it('is sent again, by the retry rule', async () => {
    const events: AttemptEvent[] = [];
    const client = new WeChatClient({
      baseUrl: await closedPort(),
      transport: testTransport(),
      credentials: { kind: 'access-token', accessToken: 'token-never-sent' },
      secrets: new Secrets(),
      retry: recordedRetry([]),
      onAttempt: (event) => events.push(event),
    });
    const answer = await client.invoke(ENV, 'login', '{}');
    expect(answer.ok).toBe(false);
    expect(events.map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5]);
  });
});
