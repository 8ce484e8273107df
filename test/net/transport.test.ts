// The transport on its own, against loopback servers that fail the ways a network does: what
// each failure says, whether the request can have left, whether a retry can help; how long an
// exchange may take; both schemes from one transport; then TLS and IPv6 through the bundled
// action.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer, connect as netConnect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  onTestFinished,
  vi,
} from 'vitest';
import { type Exchange, Transport, type TransportOptions } from '../../src/net/http-transport.js';
import { ROOT, runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { commands, expectNoLeak } from '../support/leaks.js';
import {
  certificates,
  closedPort,
  countingServer,
  halfAnsweringServer,
  refusingProxy,
  silentServer,
  tlsFront,
  tricklingServer,
  tunnellingProxy,
  unansweredPort,
  unansweringServer,
} from '../support/net.js';
import { ENV, withToken } from '../support/steps.js';

/** Not loopback, so http-client sends it through the proxy; nothing resolves it here. */
const TARGET = 'https://api.weixin.localhost/tcb/createfunction?access_token=token';

const MiB = 1024 * 1024;

/** Far more than socket buffers take in (a few MiB on Linux), so that a stall reaches the sender. */
const LARGE_BODY = 'x'.repeat(32 * MiB);

async function post(
  url: string,
  {
    timeoutMs = 200,
    body = '{}',
    maxAttemptMs,
  }: Partial<TransportOptions> & { body?: string } = {},
): Promise<Exchange> {
  const transport = new Transport({
    userAgent: 'test',
    timeoutMs,
    maxAnswerBytes: 1024,
    maxAttemptMs,
  });
  try {
    return await transport.post(url, body, {});
  } finally {
    transport.close();
  }
}

const errorOf = (exchange: Exchange) => (exchange.answered ? '' : exchange.error);
const portOf = (url: string) => Number(new URL(url).port);

/** Routes https and http through `proxy`, whatever the environment of the test run says. */
function useProxy(proxy: string, name = 'https_proxy'): void {
  for (const other of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']) {
    vi.stubEnv(other, '');
  }
  vi.stubEnv('no_proxy', '');
  vi.stubEnv('NO_PROXY', '');
  vi.stubEnv(name, proxy);
}

let certs: Awaited<ReturnType<typeof certificates>>;
const certsDir = mkdtempSync(join(tmpdir(), 'tls-'));
beforeAll(async () => {
  certs = await certificates(certsDir);
});
afterAll(() => rmSync(certsDir, { recursive: true, force: true }));

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

  it('ends at request-timeout-ms when the TLS handshake never completes, as not sent', async () => {
    const url = (await silentServer()).replace('http:', 'https:');
    const exchange = await post(`${url}/x`);
    expect(exchange).toMatchObject({ answered: false, sent: false, permanent: false });
    expect(errorOf(exchange)).toBe(
      `ETIMEDOUT: the TLS handshake with ${new URL(url).host} did not complete within 200 ms`,
    );
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

describe('time without progress, not the size of a body', () => {
  it('lets an upload that keeps moving take as long as it needs', { timeout: 60_000 }, async () => {
    // 32 MiB read at 4 MiB/s: about eight seconds of sending, four times the timeout, and far
    // more than the socket buffers hold, so that only the progress of the send keeps it going.
    const url = await countingServer(4 * MiB);
    const exchange = await post(`${url}/upload`, { timeoutMs: 2000, body: LARGE_BODY });
    expect(exchange).toMatchObject({
      answered: true,
      status: 200,
      body: `{"received":${32 * MiB}}`,
    });
  });

  it('fails as not sent when the server stops reading part way through the body', async () => {
    const server = await unansweringServer(256 * 1024);
    const exchange = await post(`${server.url}/upload`, { timeoutMs: 300, body: LARGE_BODY });
    expect(exchange).toMatchObject({ answered: false, sent: false, permanent: false });
    expect(errorOf(exchange)).toMatch(
      /^ETIMEDOUT: sending stalled: no progress for 300 ms after [\d.]+ [KM]iB of 32\.0 MiB$/,
    );
    expect(server.received()).toBeLessThan(32 * MiB);
  });

  it('fails as sent when the server read the whole body and never answers', async () => {
    const server = await unansweringServer();
    const exchange = await post(`${server.url}/upload`, { body: 'x'.repeat(128 * 1024) });
    expect(exchange).toMatchObject({ answered: false, sent: true, permanent: false });
    // The system may still have held the body when the socket took its last byte.
    expect(errorOf(exchange)).toBe(
      'ETIMEDOUT: no answer within 200 ms after the request was sent, and 2 s more for its 128.0 KiB to get through',
    );
    expect(server.received()).toBe(128 * 1024);
  });

  it('fails as sent when the answer stops part way', async () => {
    const exchange = await post(`${await halfAnsweringServer()}/x`);
    expect(exchange).toMatchObject({ answered: false, sent: true, permanent: false });
    expect(errorOf(exchange)).toBe(
      'ETIMEDOUT: the answer stalled: no progress for 200 ms after 10 B',
    );
  });

  it('gives up at the limit per attempt on an answer that trickles in, never stalling', async () => {
    const url = await tricklingServer();
    const exchange = await post(`${url}/x`, { timeoutMs: 200, maxAttemptMs: 500 });
    expect(exchange).toMatchObject({ answered: false, sent: true, permanent: false });
    expect(errorOf(exchange)).toMatch(
      /^ETIMEDOUT: gave up after the 500 ms limit per attempt, with \d+ B of the answer read$/,
    );
  });

  it("fails as not sent when the proxy's tunnel stops carrying the body", async () => {
    const server = await unansweringServer();
    const proxy = await tunnellingProxy(portOf(server.url), { forwardBytes: 256 * 1024 });
    useProxy(proxy.url, 'http_proxy');
    const exchange = await post('http://api.weixin.localhost/upload', {
      timeoutMs: 300,
      body: LARGE_BODY,
    });
    expect(proxy.targets).toEqual(['api.weixin.localhost:80']);
    expect(exchange).toMatchObject({ answered: false, sent: false, permanent: false });
    expect(errorOf(exchange)).toMatch(
      /^ETIMEDOUT: sending stalled: no progress for 300 ms after [\d.]+ [KM]iB of 32\.0 MiB$/,
    );
  });

  it('ends an upload in flight when closed, as not sent', async () => {
    const server = await unansweringServer(256 * 1024);
    const transport = new Transport({ userAgent: 'test', timeoutMs: 60_000, maxAnswerBytes: 1024 });
    const exchange = transport.post(`${server.url}/upload`, LARGE_BODY, {});
    await vi.waitFor(() => expect(server.received()).toBeGreaterThanOrEqual(256 * 1024));
    transport.close();
    expect(await exchange).toMatchObject({
      answered: false,
      error: 'closed while the request was in flight',
      sent: false,
    });
  });
});

describe('the body', () => {
  // Up to 64 KiB it is written whole; past that it goes in pieces. Either side of that line
  // (which of the two ways is taken shows in speed alone, in the bench), it arrives as it was.
  it.each([64 * 1024, 64 * 1024 + 1])(
    'of %i bytes arrives as it was, with one Content-Length',
    async (bytes) => {
      const received: { lengths: string[]; body: string }[] = [];
      const server = createHttpServer(async (request, response) => {
        // Every value sent as Content-Length, however it was spelled.
        const lengths = request.rawHeaders.filter(
          (_, i, all) => i % 2 === 1 && /^content-length$/i.test(all[i - 1]),
        );
        received.push({ lengths, body: await text(request) });
        response.end('{"errcode":0}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      onTestFinished(() => {
        server.close();
      });
      const body = 'é'.repeat(bytes / 2) + (bytes % 2 ? 'x' : '');
      const exchange = await post(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, {
        body,
        timeoutMs: 5000,
      });
      expect(exchange).toMatchObject({ answered: true, status: 200, body: '{"errcode":0}' });
      expect(received).toEqual([{ lengths: [String(bytes)], body }]);
    },
  );
});

describe('both schemes from one transport', () => {
  it.each([
    ['http', 'https'],
    ['https', 'http'],
  ])('sends %s, then %s, each through the proxy its variable names', async (...schemes) => {
    const proxies = {
      https: await refusingProxy('502 Bad Gateway'),
      http: await refusingProxy('502 Bad Gateway'),
    };
    useProxy(proxies.https.url, 'https_proxy');
    vi.stubEnv('http_proxy', proxies.http.url);
    const transport = new Transport({ userAgent: 'test', timeoutMs: 2000, maxAnswerBytes: 1024 });
    try {
      for (const scheme of schemes) {
        const exchange = await transport.post(`${scheme}://api.weixin.localhost/x`, '{}', {});
        expect(errorOf(exchange)).toMatch(
          `the proxy ${new URL(proxies[scheme as 'http' | 'https'].url).host} did not open a tunnel`,
        );
      }
    } finally {
      transport.close();
    }
    expect(proxies.https.requests.map((r) => r.target)).toEqual(['api.weixin.localhost:443']);
    expect(proxies.http.requests.map((r) => r.target)).toEqual(['api.weixin.localhost:80']);
  });
});

// A process with the transport alone, no exit backstop: it posts to each URL in turn, printing
// each exchange, and must end by itself once close() is called. Should a handle outlive close(),
// the watchdog names what is left and fails the test.
const CHILD = `
const { Transport } = await import(process.argv[1]);
const { posts, timeoutMs, closeWhileOpen } = JSON.parse(process.argv[2]);
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
transport = new Transport({ userAgent: 'test', timeoutMs, maxAnswerBytes: 1024 });
for (const { url, bytes } of posts) {
  const exchange = await transport.post(url, bytes ? 'x'.repeat(bytes) : '{}', {});
  console.log(JSON.stringify(exchange));
}
if (!closeWhileOpen) close();
`;

interface ChildRun {
  posts: { url: string; bytes?: number }[];
  timeoutMs: number;
  env?: Record<string, string>;
  closeWhileOpen?: boolean;
}

async function runChild({ env = {}, ...run }: ChildRun) {
  const script = join(ROOT, 'src', 'net', 'http-transport.ts');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', CHILD, script, JSON.stringify(run)],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } },
  );
  onTestFinished(() => {
    child.kill();
  });
  const [stdout, stderr, code] = await Promise.all([
    text(child.stdout),
    text(child.stderr),
    new Promise<number | null>((resolve) => child.on('close', resolve)),
  ]);
  const exchanges: Exchange[] = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
  return { code, stdout, stderr, exchanges };
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
    const { url, env }: { url: string; env?: Record<string, string> } = await setUp();
    const { code, stdout, exchanges } = await runChild({ posts: [{ url }], timeoutMs: 200, env });
    expect(exchanges).toEqual([expect.objectContaining({ answered: false, sent: false })]);
    expect(errorOf(exchanges[0])).toMatch(/within 200 ms$/);
    expect(stdout).not.toMatch(/still alive/);
    expect(code).toBe(0);
  });

  it('ends a CONNECT still open when it is called', async () => {
    const { code, stdout, exchanges } = await runChild({
      posts: [{ url: TARGET }],
      timeoutMs: 60_000,
      closeWhileOpen: true,
    });
    expect(exchanges).toEqual([expect.objectContaining({ answered: false, sent: false })]);
    expect(stdout).not.toMatch(/still alive/);
    expect(code).toBe(0);
  });
});

describe('in a process that trusts a test CA', () => {
  it.each([
    ['http', 'https'],
    ['https', 'http'],
  ])('reaches an %s server, then an %s one, on one transport', async (...schemes) => {
    const url = await countingServer();
    const cert = await certs.issue('loopback', { san: 'IP:127.0.0.1' });
    const ports = { http: portOf(url), https: await tlsFront(certs.key, cert, portOf(url)) };
    const { code, stderr, exchanges } = await runChild({
      posts: schemes.map((scheme) => ({
        url: `${scheme}://127.0.0.1:${ports[scheme as 'http' | 'https']}/x`,
      })),
      timeoutMs: 2000,
      env: { NODE_EXTRA_CA_CERTS: certs.ca },
    });
    const answer = { answered: true, status: 200, body: '{"received":2}' };
    expect(exchanges).toEqual([expect.objectContaining(answer), expect.objectContaining(answer)]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('sees a body stall inside TLS, inside a proxy tunnel, as not sent', async () => {
    const server = await unansweringServer();
    const cert = await certs.issue('api.weixin.localhost', { san: 'DNS:api.weixin.localhost' });
    const tlsPort = await tlsFront(certs.key, cert, portOf(server.url));
    const proxy = await tunnellingProxy(tlsPort, { forwardBytes: 256 * 1024 });
    const { code, stderr, exchanges } = await runChild({
      posts: [{ url: TARGET, bytes: LARGE_BODY.length }],
      timeoutMs: 300,
      env: { https_proxy: proxy.url, NODE_EXTRA_CA_CERTS: certs.ca },
    });
    expect(proxy.targets).toEqual(['api.weixin.localhost:443']);
    expect(exchanges).toEqual([
      expect.objectContaining({ answered: false, sent: false, permanent: false }),
    ]);
    expect(errorOf(exchanges[0])).toMatch(
      /^ETIMEDOUT: sending stalled: no progress for 300 ms after [\d.]+ [KM]iB of 32\.0 MiB$/,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('dist/index.js over TLS and IPv6', () => {
  let standIn: StandIn;
  let standInPort: number;

  beforeEach(async () => {
    standIn = await startStandIn();
    standInPort = Number(new URL(standIn.url).port);
  });
  afterEach(() => standIn.close());

  const inputs = (apiBaseUrl: string) =>
    withToken(standIn, {
      'api-base-url': apiBaseUrl,
      'max-attempts': '3',
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
      // Refused on the first call, the list: nothing else is tried.
      expect(result.outputs).toMatchObject({ status: 'failed', attempts: '0' });
      expect(result.outputs.errmsg).toMatch(says);
      // Final at once: no attempt count.
      expect(result.stdout).toMatch(/test-777bb9: listfunctions: /);
      expect(result.stdout).not.toMatch(/attempt \d of 3/);
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
