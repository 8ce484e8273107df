// Servers on loopback that misbehave the ways a network can, the client tests' transport, and a
// plain call of the stand-in: nothing here sends a byte elsewhere.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { onTestFinished } from 'vitest';
import { MAX_ANSWER_BYTES } from '../../src/clouds/wechat/wechat-client.js';
import { Transport, type TransportOptions } from '../../src/net/http-transport.js';
import type { StandIn } from '../../stand-in/server.js';

async function listen(server: Server | ReturnType<typeof createNetServer>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a server and every connection it holds once the test ends. */
function closeWithTest(server: ReturnType<typeof createNetServer>): void {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  onTestFinished(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
}

/** The transport of the client tests, closed when the test ends. */
export function testTransport(options: Partial<TransportOptions> = {}): Transport {
  const transport = new Transport({
    userAgent: 'test-agent/1.0',
    timeoutMs: 2000,
    maxAnswerBytes: MAX_ANSWER_BYTES,
    ...options,
  });
  onTestFinished(() => transport.close());
  return transport;
}

/** POSTs `body` as JSON to the stand-in's WeChat route `tcb/<route>`; answers the JSON it reads. */
export async function wechatPost(
  standIn: StandIn,
  route: string,
  body: unknown,
  token = standIn.accessToken,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${standIn.url}/tcb/${route}?access_token=${token}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}

/** The URL of a port that refuses connections. */
export async function closedPort(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return url;
}

/** A server that sends its headers, then a byte every 50 ms, until the test ends. */
export async function tricklingServer(): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const timer = setInterval(() => res.write(' '), 50);
    res.on('close', () => clearInterval(timer));
  });
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  return listen(server);
}

/**
 * A server that reads request bodies, no faster than `bytesPerSecond` if given, and answers with
 * how many bytes it read.
 */
export async function countingServer(bytesPerSecond = Number.POSITIVE_INFINITY): Promise<string> {
  const server = createServer((req, res) => {
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      req.pause();
      setTimeout(() => req.resume(), (chunk.length / bytesPerSecond) * 1000);
    });
    req.on('end', () => res.end(JSON.stringify({ received })));
  });
  closeWithTest(server);
  return listen(server);
}

/**
 * A server that reads the first `readBytes` of a request's body, then reads no more and never
 * answers. `received()` is how much it read.
 */
export async function unansweringServer(
  readBytes = Number.POSITIVE_INFINITY,
): Promise<{ url: string; received: () => number }> {
  let received = 0;
  const server = createServer((req) => {
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= readBytes) req.pause();
    });
    req.on('error', () => {});
  });
  closeWithTest(server);
  return { url: await listen(server), received: () => received };
}

/** A server that reads the request, then sends headers and 10 of the 100 bytes they announce. */
export async function halfAnsweringServer(): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 100 });
      res.write('{"errcode"');
    });
  });
  closeWithTest(server);
  return listen(server);
}

/** A server that accepts connections and never says a word: a proxy that ignores CONNECT. */
export async function silentServer(): Promise<string> {
  const server = createNetServer();
  closeWithTest(server);
  return listen(server);
}

// Runs in a thread of its own, which it then blocks: nothing ever accepts on this socket.
const UNACCEPTING = `
const { parentPort, workerData } = require('node:worker_threads');
const server = require('node:net').createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  Atomics.wait(workerData, 0, 0);
  server.close();
});`;

/**
 * The URL of a loopback port where a TCP handshake never completes, as behind a firewall that
 * drops packets. The listening socket's queue is filled and never accepted from, so the kernel
 * drops every further SYN: a connect stays in SYN-SENT until the client gives up.
 */
export async function unansweredPort(): Promise<string> {
  const wake = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(UNACCEPTING, { eval: true, workerData: wake });
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  const fillers: Socket[] = [];
  onTestFinished(async () => {
    for (const filler of fillers) filler.destroy();
    Atomics.store(wake, 0, 1);
    Atomics.notify(wake, 0);
    await new Promise((resolve) => worker.once('exit', resolve));
  });
  // Linux queues backlog + 1 = 2 connections: once they are in, the kernel drops further SYNs.
  // One more, left pending, is a margin for a kernel that queues one more.
  for (let i = 0; i < 3; i++) {
    const filler = connect(port, '127.0.0.1');
    filler.on('error', () => {});
    fillers.push(filler);
    if (i < 2) await new Promise((resolve) => filler.once('connect', resolve));
  }
  return `http://127.0.0.1:${port}`;
}

/** A CONNECT proxy that opens no tunnel: it answers with `reply` (a status line) or hangs up. */
export async function refusingProxy(
  reply: string | 'hang up',
): Promise<{ url: string; port: number; requests: { target: string; auth?: string }[] }> {
  const requests: { target: string; auth?: string }[] = [];
  const server = createServer();
  server.on('connect', (req, socket: Socket) => {
    requests.push({ target: req.url ?? '', auth: req.headers['proxy-authorization'] });
    if (reply === 'hang up') socket.destroy();
    else socket.end(`HTTP/1.1 ${reply}\r\nProxy-Authenticate: Basic realm="proxy"\r\n\r\n`);
  });
  closeWithTest(server);
  const url = await listen(server);
  return { url, port: Number(new URL(url).port), requests };
}

/**
 * A CONNECT proxy that tunnels every request to `port` on loopback, whatever host it names. With
 * `forwardBytes`, it passes on that much of what a client sends and then reads no more from it,
 * as a proxy whose onward link died.
 */
export async function tunnellingProxy(
  port: number,
  { forwardBytes = Number.POSITIVE_INFINITY } = {},
): Promise<{ url: string; targets: string[]; auths: (string | undefined)[] }> {
  const targets: string[] = [];
  const auths: (string | undefined)[] = [];
  const proxy = createServer();
  proxy.on('connect', (req, client: Socket, head) => {
    targets.push(req.url ?? '');
    auths.push(req.headers['proxy-authorization']);
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      if (forwardBytes === Number.POSITIVE_INFINITY) client.pipe(upstream);
      else {
        let forwarded = head.length;
        client.on('data', (chunk: Buffer) => {
          upstream.write(chunk);
          forwarded += chunk.length;
          if (forwarded >= forwardBytes) client.pause();
        });
      }
    });
    for (const end of [client, upstream]) end.on('error', () => end.destroy());
  });
  closeWithTest(proxy);
  return { url: await listen(proxy), targets, auths };
}

/** A TLS endpoint with this key and certificate in front of `port` (the stand-in) on loopback. */
export async function tlsFront(keyFile: string, certFile: string, port: number): Promise<number> {
  const server = createTlsServer(
    { key: readFileSync(keyFile), cert: readFileSync(certFile) },
    (socket) => {
      const upstream = connect(port, '127.0.0.1');
      for (const end of [socket, upstream]) end.on('error', () => end.destroy());
      socket.pipe(upstream).pipe(socket);
    },
  );
  // A client that refuses the certificate ends the handshake: nothing to report.
  server.on('tlsClientError', () => {});
  closeWithTest(server);
  return Number(new URL(await listen(server)).port);
}

const openssl = (...args: string[]) => promisify(execFile)('openssl', args);

/**
 * Throwaway certificates in `dir`, all on one key: `ca.pem` (a test CA) and `issue()` for leaf
 * certificates, signed by that CA or by themselves. `days` may be negative (OpenSSL 3 takes it):
 * the certificate expired before it began.
 */
export async function certificates(dir: string) {
  const key = join(dir, 'key.pem');
  const ca = join(dir, 'ca.pem');
  // biome-ignore format: flags and their values in pairs
  await openssl(
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-keyout', key, '-out', ca, '-subj', '/CN=Throwaway test CA',
  );
  const issue = async (
    name: string,
    { san, days = 1, selfSigned = false }: { san: string; days?: number; selfSigned?: boolean },
  ): Promise<string> => {
    const cert = join(dir, `${name}.pem`);
    if (selfSigned) {
      // biome-ignore format: flags and their values in pairs
      await openssl(
        'req', '-x509', '-key', key, '-days', String(days), '-out', cert,
        '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`,
      );
      return cert;
    }
    const csr = join(dir, `${name}.csr`);
    const ext = join(dir, `${name}.ext`);
    await openssl('req', '-new', '-key', key, '-subj', `/CN=${name}`, '-out', csr);
    writeFileSync(ext, `subjectAltName=${san}\n`);
    // biome-ignore format: flags and their values in pairs
    await openssl(
      'x509', '-req', '-in', csr, '-CA', ca, '-CAkey', key, '-CAcreateserial',
      '-days', String(days), '-extfile', ext, '-out', cert,
    );
    return cert;
  };
  return { key, ca, issue };
}
