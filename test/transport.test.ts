// The transport on its own, against loopback servers that fail the ways a network does: what
// each failure says, whether the request can have left, whether a retry can help; then TLS and
// IPv6 through the bundled action.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, connect as netConnect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { type Exchange, Transport } from '../src/http-transport.js';
import { ROOT, runAction } from '../stand-in/runner.js';
import { type StandIn, startStandIn } from '../stand-in/server.js';
import { commands, expectNoLeak } from './leaks.js';
import {
  certificates,
  closedPort,
  refusingProxy,
  silentServer,
  tlsFront,
  unansweredPort,
} from './net.js';

/** Not loopback, so http-client sends it through the proxy; nothing resolves it here. */
const TARGET = 'https://api.weixin.localhost/tcb/createfunction?access_token=token';

async function post(url: string, timeoutMs = 200): Promise<Exchange> {
  const transport = new Transport({ userAgent: 'test', timeoutMs, maxAnswerBytes: 1024 });
  try {
    return await transport.post(url, '{}', {});
  } finally {
    transport.close();
  }
}

/** Routes https and http through `proxy`, whatever the environment of the test run says. */
function useProxy(proxy: string, name = 'https_proxy'): void {
  for (const other of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']) {
    vi.stubEnv(other, '');
  }
  vi.stubEnv('no_proxy', '');
  vi.stubEnv('NO_PROXY', '');
  vi.stubEnv(name, proxy);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('a request that never left', () => {
  it('ends at request-timeout-ms when the TCP handshake never completes, as not sent', async () => {
    const url = await unansweredPort();
    const exchange = await post(`${url}/x`);
    expect(exchange).toMatchObject({ answered: false, sent: false, permanent: false });
    expect(exchange.answered || exchange.error).toMatch(
      /could not connect to 127\.0\.0\.1:\d+ within 200 ms/,
    );
    expect(exchange.latencyMs).toBeLessThan(5000);
  });

  it('ends at request-timeout-ms when the proxy accepts and never answers the CONNECT', async () => {
    const proxy = await silentServer();
    useProxy(proxy);
    const exchange = await post(TARGET);
    expect(exchange).toMatchObject({ answered: false, sent: false, permanent: false });
    expect(exchange.answered || exchange.error).toBe(
      `ETIMEDOUT: the proxy ${new URL(proxy).host} did not open a tunnel within 200 ms`,
    );
    expect(exchange.latencyMs).toBeLessThan(5000);
  });

  it("ends at request-timeout-ms when the proxy's TCP handshake never completes", async () => {
    const proxy = await unansweredPort();
    useProxy(proxy);
    const exchange = await post(TARGET);
    expect(exchange).toMatchObject({ answered: false, sent: false, permanent: false });
    expect(exchange.answered || exchange.error).toBe(
      `ETIMEDOUT: the proxy ${new URL(proxy).host} did not open a tunnel within 200 ms`,
    );
  });

  it.each([
    ['refuses the connection', async () => closedPort()],
    ['answers the CONNECT with 502', async () => (await refusingProxy('502 Bad Gateway')).url],
    ['answers the CONNECT with 403', async () => (await refusingProxy('403 Forbidden')).url],
    ['hangs up on the CONNECT', async () => (await refusingProxy('hang up')).url],
  ])('is not sent, and worth a retry, when the proxy %s', async (_, start) => {
    const proxy = await start();
    useProxy(proxy);
    const exchange = await post(TARGET);
    expect(exchange).toMatchObject({ answered: false, sent: false, permanent: false });
    expect(exchange.answered || exchange.error).toMatch(
      new RegExp(`^the proxy ${new URL(proxy).host} did not open a tunnel: `),
    );
  });

  it('is permanent on a 407, asking for credentials in the proxy URL, never showing them', async () => {
    const proxy = await refusingProxy('407 Proxy Authentication Required');
    const [login, password] = ['ci-login-5f1c', 'pw-9b7e2d41'];
    useProxy(`http://${login}:${password}@127.0.0.1:${proxy.port}`);
    const exchange = await post(TARGET);
    expect(exchange).toMatchObject({ answered: false, sent: false, permanent: true });
    const error = exchange.answered ? '' : exchange.error;
    expect(error).toMatch(
      new RegExp(`^the proxy 127\\.0\\.0\\.1:${proxy.port} asks for credentials .*proxy URL`),
    );
    // The credentials went to the proxy, and nowhere else.
    const basic = Buffer.from(`${login}:${password}`).toString('base64');
    expect(proxy.requests).toEqual([
      { target: 'api.weixin.localhost:443', auth: `Basic ${basic}` },
    ]);
    for (const secret of [login, password, basic]) expect(error).not.toContain(secret);
  });

  it('may have reached a server that accepted it and never answered', async () => {
    const url = await silentServer();
    const exchange = await post(`${url}/x`);
    expect(exchange).toMatchObject({ answered: false, sent: true, permanent: false });
    expect(exchange.answered || exchange.error).toMatch(/no answer within 200 ms/);
  });
});

describe('a proxy given without a scheme', () => {
  it.each([
    ['https_proxy', 'localhost', TARGET],
    ['HTTPS_PROXY', '127.0.0.1', TARGET],
    ['http_proxy', 'localhost', 'http://api.weixin.localhost/x'],
  ])('is used: %s=%s:PORT', async (name, host, url) => {
    const proxy = await refusingProxy('502 Bad Gateway');
    useProxy(`${host}:${proxy.port}`, name);
    const exchange = await post(url);
    expect(proxy.requests.map((r) => r.target)).toEqual([
      `api.weixin.localhost:${url.startsWith('https') ? 443 : 80}`,
    ]);
    expect(exchange.answered || exchange.error).toMatch(`the proxy ${host}:${proxy.port}`);
  });
});

// A process with the transport alone, no exit backstop: it must end by itself once close() is
// called. Should a handle outlive close(), the watchdog names what is left and fails the test.
const CLOSING = `
const { Transport } = await import(process.argv[1]);
const [url, timeoutMs, closeWhileOpen] = process.argv.slice(2);
let transport;
function close() {
  transport.close();
  setTimeout(() => {
    console.log('still alive: ' + process.getActiveResourcesInfo().join(', '));
    process.exit(3);
  }, 3000).unref();
}
if (closeWhileOpen) {
  // A proxy in this process that never answers: close() comes while its CONNECT is open.
  const { createServer } = await import('node:net');
  const proxy = createServer((socket) => {
    socket.unref();
    close();
  }).unref();
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  process.env.https_proxy = 'http://127.0.0.1:' + proxy.address().port;
}
transport = new Transport({ userAgent: 'test', timeoutMs: Number(timeoutMs), maxAnswerBytes: 1024 });
const exchange = await transport.post(url, '{}', {});
console.log(JSON.stringify(exchange));
if (!closeWhileOpen) close();
`;

function runClosing(
  url: string,
  timeoutMs: number,
  env: Record<string, string>,
  closeWhileOpen = '',
) {
  const script = join(ROOT, 'src', 'http-transport.ts');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      CLOSING,
      script,
      url,
      String(timeoutMs),
      closeWhileOpen,
    ],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } },
  );
  onTestFinished(() => {
    child.kill();
  });
  let out = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      out += chunk;
    });
  }
  return new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, out })),
  );
}

describe('close()', () => {
  it.each([
    ['the TCP handshake never completed', async () => ({ url: `${await unansweredPort()}/x` })],
    [
      'the proxy never answered the CONNECT',
      async () => ({ url: TARGET, env: { https_proxy: await silentServer() } }),
    ],
    [
      "the proxy's TCP handshake never completed",
      async () => ({ url: TARGET, env: { https_proxy: await unansweredPort() } }),
    ],
  ])('leaves nothing that keeps the process alive after %s', async (_, setUp) => {
    const { url, env = {} }: { url: string; env?: Record<string, string> } = await setUp();
    const { code, out } = await runClosing(url, 200, env);
    expect(out).toMatch(/"answered":false,"error":"[^"]*within 200 ms","sent":false/);
    expect(out).not.toMatch(/still alive/);
    expect(code).toBe(0);
  });

  it('ends a CONNECT still open when it is called', async () => {
    const { code, out } = await runClosing(TARGET, 60_000, {}, 'close while open');
    expect(out).toMatch(/"answered":false,.*"sent":false/);
    expect(out).not.toMatch(/still alive/);
    expect(code).toBe(0);
  });
});

describe('dist/index.js over TLS and IPv6', () => {
  const ENV = 'test-777bb9';
  const dir = mkdtempSync(join(tmpdir(), 'tls-'));
  let standIn: StandIn;
  let certs: Awaited<ReturnType<typeof certificates>>;
  let standInPort: number;

  beforeAll(async () => {
    certs = await certificates(dir);
  });
  beforeEach(async () => {
    standIn = await startStandIn();
    standInPort = Number(new URL(standIn.url).port);
  });
  afterEach(() => standIn.close());

  const inputs = (apiBaseUrl: string) => ({
    env: ENV,
    'function-name': 'login',
    'access-token': standIn.accessToken,
    'api-base-url': apiBaseUrl,
    'max-attempts': '3',
    'retry-delay-ms': '1',
    'request-timeout-ms': '2000',
  });

  it('trusts a certificate of the CA named by NODE_EXTRA_CA_CERTS', async () => {
    const cert = await certs.issue('valid', { san: 'IP:127.0.0.1' });
    const port = await tlsFront(certs.key, cert, standInPort);
    const result = await runAction({
      inputs: inputs(`https://127.0.0.1:${port}`),
      env: { NODE_EXTRA_CA_CERTS: certs.ca },
    });
    expect(result.outputs.status).toBe('created');
    expect(result.code).toBe(0);
    expect(standIn.functions(ENV)).toEqual(['login']);
    expectNoLeak(result, [standIn.accessToken]);
  });

  it.for([
    {
      problem: 'a self-signed certificate',
      issue: () => certs.issue('self', { san: 'IP:127.0.0.1', selfSigned: true }),
      trust: true,
      says: /DEPTH_ZERO_SELF_SIGNED_CERT.*NODE_EXTRA_CA_CERTS/,
    },
    {
      problem: 'a certificate of a CA that is not trusted',
      issue: () => certs.issue('unknown-ca', { san: 'IP:127.0.0.1' }),
      trust: false,
      says: /UNABLE_TO_VERIFY_LEAF_SIGNATURE.*NODE_EXTRA_CA_CERTS/,
    },
    {
      problem: 'a certificate for another host',
      issue: () => certs.issue('other-host', { san: 'DNS:other.localhost' }),
      trust: true,
      says: /ERR_TLS_CERT_ALTNAME_INVALID.*127\.0\.0\.1.*another host.*api-base-url/,
    },
    {
      problem: 'an expired certificate',
      // OpenSSL before 3 refuses a negative -days: then this case is skipped.
      issue: () => certs.issue('expired', { san: 'IP:127.0.0.1', days: -1 }).catch(() => undefined),
      trust: true,
      says: /CERT_HAS_EXPIRED.*clock/,
    },
  ])(
    'fails at once on $problem, naming it and the fix',
    async ({ issue, trust, says }, context) => {
      const cert = await issue();
      if (!cert) return context.skip('openssl cannot make a certificate that has expired');
      const port = await tlsFront(certs.key, cert, standInPort);
      const result = await runAction({
        inputs: inputs(`https://127.0.0.1:${port}`),
        env: trust ? { NODE_EXTRA_CA_CERTS: certs.ca } : {},
      });
      expect(result.code).toBe(1);
      expect(result.outputs).toMatchObject({ status: 'failed', attempts: '1' });
      expect(result.outputs.errmsg).toMatch(says);
      expect(result.stdout).toMatch(/login: attempt 1 of 3: /);
      expect(result.stdout).not.toMatch(/attempt 2 of 3/);
      expect(commands(result.stdout).filter((c) => c.startsWith('::error::'))).toHaveLength(1);
      expect(standIn.requests).toEqual([]);
      expect(result.stderr).toBe('');
      expectNoLeak(result, [standIn.accessToken]);
    },
  );

  it('reaches a server on the IPv6 loopback, http://[::1]:PORT', async (context) => {
    // ::1 in front of the stand-in, which listens on 127.0.0.1 only.
    const front: Server = createServer((client) => {
      const upstream = netConnect(standInPort, '127.0.0.1');
      for (const end of [client, upstream]) end.on('error', () => end.destroy());
      client.pipe(upstream).pipe(client);
    });
    const listening = await new Promise<boolean>((resolve) => {
      front.once('error', () => resolve(false));
      front.listen(0, '::1', () => resolve(true));
    });
    if (!listening) return context.skip('no IPv6 loopback on this machine');
    try {
      const port = (front.address() as { port: number }).port;
      const result = await runAction({ inputs: inputs(`http://[::1]:${port}`) });
      expect(result.stdout).not.toMatch(/::error::/);
      expect(result.outputs.status).toBe('created');
      expect(result.code).toBe(0);
      expect(standIn.functions(ENV)).toEqual(['login']);
      expect(standIn.requests.every((r) => r.headers.host === `[::1]:${port}`)).toBe(true);
      expectNoLeak(result, [standIn.accessToken]);
    } finally {
      front.close();
    }
  });
});
