// Through an HTTPS proxy (`https_proxy`), as a runner behind a fixed-IP proxy reaches WeChat.
// Nothing leaves this machine: the proxy on loopback answers every CONNECT with a local TLS
// endpoint in front of the stand-in server; its certificate, for a `.localhost` name, is made
// here and trusted through NODE_EXTRA_CA_CERTS.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAction } from '../stand-in/runner.js';
import { type StandIn, startStandIn } from '../stand-in/server.js';
import { expectNoLeak } from './leaks.js';

const HOST = 'api.weixin.localhost';
const dir = mkdtempSync(join(tmpdir(), 'proxy-'));
const servers: Server[] = [];
const connects: string[] = [];
let standIn: StandIn;
let proxyUrl: string;

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

beforeAll(async () => {
  // biome-ignore format: flags and their values in pairs
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-subj', `/CN=${HOST}`, '-addext', `subjectAltName=DNS:${HOST}`,
  ]);
  standIn = await startStandIn();
  const standInPort = Number(new URL(standIn.url).port);
  const tls = createTlsServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (socket) => {
      const upstream = connect(standInPort, '127.0.0.1');
      for (const end of [socket, upstream]) end.on('error', () => end.destroy());
      socket.pipe(upstream).pipe(socket);
    },
  );
  const tlsPort = await listen(tls);
  const proxy = createServer();
  proxy.on('connect', (req, client, head) => {
    connects.push(req.url ?? '');
    const upstream = connect(tlsPort, '127.0.0.1', () => {
      for (const end of [client, upstream]) end.on('error', () => end.destroy());
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
  });
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
});

afterAll(async () => {
  for (const server of servers) server.close();
  await standIn.close();
});

it('creates the function through the proxy named by https_proxy', async () => {
  const result = await runAction({
    inputs: {
      env: 'test-777bb9',
      'function-name': 'login\npay',
      'access-token': standIn.accessToken,
      'api-base-url': `https://${HOST}`,
    },
    env: { https_proxy: proxyUrl, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') },
  });
  expect(result.stdout).not.toContain('::error::');
  expect(result.code).toBe(0);
  expect(result.outputs.status).toBe('created');
  expect(connects.length).toBeGreaterThan(0);
  expect(new Set(connects)).toEqual(new Set([`${HOST}:443`]));
  expect(standIn.functions('test-777bb9').sort()).toEqual(['login', 'pay']);
  expectNoLeak(result, [standIn.accessToken]);
});
