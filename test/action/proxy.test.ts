// Through an HTTPS proxy (`https_proxy`), as a runner behind a fixed-IP proxy reaches WeChat.
// Nothing leaves this machine: the API is a `.localhost` name, which http-client does not take
// for loopback, so it goes through the proxy; the proxy on loopback answers every CONNECT with a
// local TLS endpoint in front of the stand-in server, whose certificate is made here and trusted
// through NODE_EXTRA_CA_CERTS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { expectNoLeak, expectOneError } from '../support/leaks.js';
import {
  certificates,
  closedPort,
  refusingProxy,
  silentServer,
  tlsFront,
  tunnellingProxy,
  unansweredPort,
} from '../support/net.js';
import { ENV, withToken } from '../support/steps.js';

const HOST = 'api.weixin.localhost';
const dir = mkdtempSync(join(tmpdir(), 'proxy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let certs: Awaited<ReturnType<typeof certificates>>;
let cert: string;
let standIn: StandIn;
let tlsPort: number;

beforeAll(async () => {
  certs = await certificates(dir);
  cert = await certs.issue(HOST, { san: `DNS:${HOST}` });
});
beforeEach(async () => {
  standIn = await startStandIn();
  tlsPort = await tlsFront(certs.key, cert, Number(new URL(standIn.url).port));
});
afterEach(() => standIn.close());

const inputs = (more: Record<string, string> = {}) =>
  withToken(standIn, { 'api-base-url': `https://${HOST}`, 'request-timeout-ms': '2000', ...more });

it('creates the function through the proxy named by https_proxy', async () => {
  const proxy = await tunnellingProxy(tlsPort);
  const result = await runAction({
    inputs: inputs({ 'function-name': 'login\npay' }),
    env: { https_proxy: proxy.url, NODE_EXTRA_CA_CERTS: certs.ca },
  });
  expect(result.stdout).not.toContain('::error::');
  expect(result.code).toBe(0);
  expect(result.outputs.status).toBe('created');
  expect(proxy.targets.length).toBeGreaterThan(0);
  expect(new Set(proxy.targets)).toEqual(new Set([`${HOST}:443`]));
  expect(standIn.functions(ENV).sort()).toEqual(['login', 'pay']);
  expectNoLeak(result, [standIn.accessToken]);
});

it.each(['localhost', '127.0.0.1'])(
  'takes https_proxy=%s:PORT, without a scheme, as curl does',
  async (host) => {
    const proxy = await tunnellingProxy(tlsPort);
    const result = await runAction({
      inputs: inputs(),
      env: {
        https_proxy: `${host}:${new URL(proxy.url).port}`,
        NODE_EXTRA_CA_CERTS: certs.ca,
      },
    });
    expect(result.stdout).not.toContain('::error::');
    expect(result.outputs.status).toBe('created');
    expect(new Set(proxy.targets)).toEqual(new Set([`${HOST}:443`]));
    expect(standIn.functions(ENV)).toEqual(['login']);
    expectNoLeak(result, [standIn.accessToken]);
  },
);

it('authenticates to the proxy with the credentials in its URL, saying nothing of them', async () => {
  const proxy = await tunnellingProxy(tlsPort);
  const [login, password] = ['ci-login-5f1c', 'pw-9b7e2d41'];
  const basic = Buffer.from(`${login}:${password}`).toString('base64');
  const result = await runAction({
    inputs: inputs(),
    env: {
      https_proxy: `http://${login}:${password}@127.0.0.1:${new URL(proxy.url).port}`,
      NODE_EXTRA_CA_CERTS: certs.ca,
    },
  });
  expect(result.outputs.status).toBe('created');
  expect(result.code).toBe(0);
  expect(new Set(proxy.auths)).toEqual(new Set([`Basic ${basic}`]));
  // Not even a deprecation warning of the proxy tunnel.
  expect(result.stderr).toBe('');
  expectNoLeak(result, [standIn.accessToken, login, password, basic]);
});

it('stops at once when the proxy asks for credentials, naming it but never them', async () => {
  const proxy = await refusingProxy('407 Proxy Authentication Required');
  const [login, password] = ['ci-login-5f1c', 'pw-9b7e2d41'];
  const basic = Buffer.from(`${login}:${password}`).toString('base64');
  const result = await runAction({
    inputs: inputs({ 'max-attempts': '5' }),
    env: { HTTPS_PROXY: `http://${login}:${password}@127.0.0.1:${proxy.port}` },
  });
  expectOneError(result);
  expect(result.outputs).toMatchObject({ status: 'failed', attempts: '0' });
  expect(result.outputs.errmsg).toMatch(
    new RegExp(`the proxy 127\\.0\\.0\\.1:${proxy.port} asks for credentials.*proxy URL`),
  );
  expect(result.stdout).not.toMatch(/attempt 2 of 5/);
  // The listing asked the proxy once, with the credentials; refused for good, nothing followed.
  expect(proxy.requests).toEqual([{ target: `${HOST}:443`, auth: `Basic ${basic}` }]);
  expect(standIn.requests).toEqual([]);
  expectNoLeak(result, [standIn.accessToken, login, password, basic, `${login}:${password}`]);
});

describe('a proxy that opens no tunnel: the request never left, so it is retried', () => {
  it.each([
    ['refuses the connection', async () => closedPort()],
    ['answers the CONNECT with 502', async () => (await refusingProxy('502 Bad Gateway')).url],
    ['hangs up on the CONNECT', async () => (await refusingProxy('hang up')).url],
  ])('when it %s', async (_, start) => {
    const proxy = await start();
    const result = await runAction({
      inputs: inputs({ 'max-attempts': '3' }),
      env: { https_proxy: proxy },
    });
    expectOneError(result);
    expect(result.outputs).toMatchObject({ status: 'failed', attempts: '3' });
    expect(result.outputs.errmsg).toMatch(
      `the proxy ${new URL(proxy).host} did not open a tunnel: `,
    );
    expect(standIn.requests).toEqual([]);
    expectNoLeak(result, [standIn.accessToken]);
  });
});

describe('a proxy that never answers: every attempt ends at request-timeout-ms', () => {
  it.each([
    ['accepts the connection and never answers the CONNECT', silentServer],
    ['never completes the TCP handshake', unansweredPort],
  ])('when it %s, and the process ends with its outputs', async (_, start) => {
    const proxy = await start();
    const started = performance.now();
    const result = await runAction({
      inputs: inputs({ 'max-attempts': '2', 'request-timeout-ms': '200' }),
      env: { https_proxy: proxy },
    });
    // Two calls (list, create) of two attempts of 200 ms: well within this bound, unless an
    // attempt or the process hangs.
    expect(performance.now() - started).toBeLessThan(5000);
    expectOneError(result);
    expect(result.outputs).toMatchObject({ status: 'failed', attempts: '2' });
    expect(result.outputs.errmsg).toBe(
      `ETIMEDOUT: the proxy ${new URL(proxy).host} did not open a tunnel within 200 ms`,
    );
    expect(standIn.requests).toEqual([]);
    expectNoLeak(result, [standIn.accessToken]);
  });
});
