// One HTTP POST through @actions/http-client: it chooses the agent (direct, or a tunnel through
// `https_proxy` for https and `http_proxy` for http, unless `no_proxy` says otherwise) and sends
// the request; each scheme has a client, and so an agent, of its own. Every way an exchange can
// end is a value, never a throw, and says whether the request can have reached the server, so
// that callers know a lost answer from a request that never left.
//
// `timeoutMs` bounds time without progress, never the size of a body: connecting (a proxy's
// CONNECT and the TLS handshake included); a stall while the body is sent, when the socket takes
// no byte for that long (the server cannot have the whole request: not sent); the wait for the
// answer once the socket took the last byte (sent: the server may have acted); a stall while the
// answer is read. An upload that keeps moving is never cut for its size, but no attempt outlives
// its limit (attemptLimitMs), however steadily a server trickles.
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { HttpClient } from '@actions/http-client';
import { messageOf, size } from '../text/text.js';

export type Exchange = Answer | Failure;

interface Answer {
  answered: true;
  status: number;
  statusText: string;
  body: string;
  latencyMs: number;
}

interface Failure {
  answered: false;
  /** What went wrong, on one line; may quote the URL, so callers redact it. */
  error: string;
  /** The request was handed to the network in full: the server may have acted on it. */
  sent: boolean;
  /** Trying again cannot help (a certificate, proxy credentials, an oversized answer). */
  permanent: boolean;
  latencyMs: number;
}

export interface TransportOptions {
  userAgent: string;
  /** The longest time without progress (see the top of this file). */
  timeoutMs: number;
  /** Answers longer than this are cut off and fail. */
  maxAnswerBytes: number;
  /** The most one attempt may take, however it progresses; attemptLimitMs() unless given. */
  maxAttemptMs?: number;
}

/**
 * Ten minutes. A signed upload's timestamp is valid for five, so the host refuses a slower one
 * anyway: twice that cuts nothing it could still accept, and carries its largest body (10 MB) at
 * 140 kbit/s. Yet a server that sends a byte now and then, just often enough to dodge the stall
 * timer, cannot hold a job for hours.
 */
const MAX_ATTEMPT_MS = 10 * 60_000;

/** The body goes to the socket in pieces of this size: each piece it takes is progress. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Once the socket has taken the last byte, the system may still hold much of the body in its
 * buffers (megabytes, in front of a slow link or a slow reader), and nothing says when it has
 * left. So the wait for the answer grows by a second for every 64 KiB of body: the time it takes
 * at 512 kbit/s, the slowest link planned for.
 */
const DELIVERY_BYTES_PER_S = 64 * 1024;

/**
 * The most one attempt may take: the time without progress, twice (connecting, and waiting for
 * the answer), and twice what its body takes at the slowest link planned for (sending it, and
 * what the system may still hold of it when the socket took it all), within MAX_ATTEMPT_MS. A
 * call of WeChat's API ends within a minute at the defaults; an upload of 10 MB within 6 min 20 s.
 */
export function attemptLimitMs(bodyBytes: number, timeoutMs: number): number {
  const delivery = Math.ceil(bodyBytes / DELIVERY_BYTES_PER_S) * 1000;
  return Math.min(MAX_ATTEMPT_MS, 2 * timeoutMs + 2 * delivery);
}

/** Where an attempt stands; each stage has its own bound, in this order. */
const STAGES = ['connecting', 'sending', 'waiting', 'reading'] as const;
type Stage = (typeof STAGES)[number];

/** Network errors that prove the request never left this machine. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** Certificate problems: the same certificate comes back on every retry. */
const TLS_CODES =
  /^(ERR_TLS_CERT_ALTNAME_INVALID|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|CERT_\w+|UNABLE_TO_\w+|ERR_SSL_\w+|ERR_TLS_\w+)$/;

/** The variables http-client takes a proxy from. */
const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];

/** How the proxy tunnel (the `tunnel` package inside http-client) reports a failed CONNECT. */
const TUNNEL_FAILED = /^tunneling socket could not be established/;

/** A tunnelling agent, as http-client builds it for a proxy: it opens CONNECT requests itself. */
interface TunnelAgent extends http.Agent {
  proxyOptions: { host: string; port: string | number; proxyAuth?: string };
  request: (options: RequestOptions) => ClientRequest;
}

export class Transport {
  readonly #http: HttpClient;
  readonly #https: HttpClient;
  readonly #options: TransportOptions;
  /** Ends each attempt in flight, so that close() leaves nothing running. */
  readonly #attempts = new Set<(error: Error) => void>();
  /** CONNECT requests still open, so that a hung proxy cannot keep the process alive. */
  readonly #connects = new Set<ClientRequest>();
  readonly #tunnels = new WeakSet<http.Agent>();
  /** TLS sockets whose handshake is done: a kept-alive one is ready when it is reused. */
  readonly #secured = new WeakSet<Socket>();
  /** Collects the CONNECT requests that the request being built opens. */
  #opening: ClientRequest[] | undefined;

  constructor(options: TransportOptions) {
    this.#options = options;
    // curl reads a proxy without a scheme (`proxy.corp:3128`) as http://. http-client would parse
    // `proxy.corp:` as a scheme with no host and send every request direct, ignoring the proxy.
    for (const name of PROXY_VARIABLES) {
      const proxy = process.env[name]?.trim();
      if (proxy && !proxy.includes('://')) process.env[name] = `http://${proxy}`;
    }
    // http-client keeps the first agent it makes, for whichever scheme came first, and an https
    // agent refuses http URLs (and the reverse): one client per scheme.
    const client = () =>
      new HttpClient(options.userAgent, [], {
        // Reuse connections across requests and retries. No socket limit: callers bound the
        // requests in flight, and a request that timed out must not hold a slot.
        keepAlive: true,
        // Its idle timer must not cut a slow upload; the timers here end every attempt first.
        socketTimeout: options.maxAttemptMs ?? MAX_ATTEMPT_MS,
        allowRedirects: false,
        allowRetries: false,
      });
    this.#http = client();
    this.#https = client();
  }

  /** Ends every exchange in flight and closes every connection, so that nothing outlives it. */
  close(): void {
    for (const end of this.#attempts) end(new Error('closed while the request was in flight'));
    for (const connect of this.#connects) destroyQuietly(connect);
    this.#connects.clear();
    this.#http.dispose();
    this.#https.dispose();
  }

  /** `maxAnswerBytes` overrides the transport's for this request. */
  async post(
    url: string,
    body: string,
    headers: Record<string, string>,
    { maxAnswerBytes = this.#options.maxAnswerBytes } = {},
  ): Promise<Exchange> {
    const started = performance.now();
    const latencyMs = () => Math.round(performance.now() - started);
    const { timeoutMs } = this.#options;
    const parsedUrl = new URL(url);
    const secure = parsedUrl.protocol === 'https:';
    const client = secure ? this.#https : this.#http;
    const agent = client.getAgent(url);
    const tunnel = this.#watchTunnel(agent);
    const payload = Buffer.from(body, 'utf8');
    const maxAttemptMs = this.#options.maxAttemptMs ?? attemptLimitMs(payload.length, timeoutMs);
    // Building the request opens the tunnel's CONNECT at once: collect it for this attempt.
    const opened: ClientRequest[] = [];
    let request: ClientRequest | undefined;
    let message: IncomingMessage | undefined;
    let stage = 'connecting' as Stage;
    let finished = false;
    // A body of one piece is written whole, at once: a stream costs more than the request itself.
    const whole = payload.length <= CHUNK_BYTES;
    let pushed = whole ? payload.length : 0;
    let received = 0;

    const source = whole
      ? undefined
      : new Readable({
          highWaterMark: CHUNK_BYTES,
          read() {
            // Asked for another piece: the socket has taken the one before.
            if (stage === 'sending') stall.refresh();
            const piece = payload.subarray(pushed, pushed + CHUNK_BYTES);
            pushed += piece.length;
            this.push(piece.length > 0 ? piece : null);
          },
        });
    /** Body bytes the socket has taken: pushed, less what the stream and the request still hold. */
    const taken = () =>
      Math.max(0, pushed - (source?.readableLength ?? 0) - (request?.writableLength ?? 0));

    let fail: (error: Error) => void = () => {};
    const failed = new Promise<never>((_, reject) => {
      fail = reject;
    });
    failed.catch(() => {});
    const end = (error: Error) => {
      fail(error);
      request?.destroy();
      message?.destroy();
      for (const connect of opened) this.#drop(connect);
    };
    this.#attempts.add(end);
    const timeOut = (text: string) => end(Object.assign(new Error(text), { code: 'ETIMEDOUT' }));

    const allowanceMs = Math.floor(payload.length / DELIVERY_BYTES_PER_S) * 1000;
    // Say where it stuck: a proxy, a connect or a handshake that never completed, or a body that
    // stopped part way, did not give the server the request.
    const stalled = (): string => {
      if (stage === 'connecting') {
        const stuck =
          tunnel && !request?.socket
            ? `the proxy ${proxyName(tunnel)} did not open a tunnel`
            : !request?.socket || request.socket.connecting
              ? `could not connect to ${parsedUrl.host}`
              : `the TLS handshake with ${parsedUrl.host} did not complete`;
        return `${stuck} within ${timeoutMs} ms`;
      }
      if (stage === 'sending') {
        return `sending stalled: no progress for ${timeoutMs} ms after ${size(taken())} of ${size(payload.length)}`;
      }
      if (stage === 'waiting') {
        const more = allowanceMs
          ? `, and ${allowanceMs / 1000} s more for its ${size(payload.length)} to get through`
          : '';
        return `no answer within ${timeoutMs} ms after the request was sent${more}`;
      }
      return `the answer stalled: no progress for ${timeoutMs} ms after ${size(received)}`;
    };
    const onStall = () => timeOut(stalled());
    let stall = setTimeout(onStall, timeoutMs);
    const cap = setTimeout(() => {
      const where = {
        connecting: 'before a connection was made',
        sending: `with ${size(taken())} of ${size(payload.length)} sent`,
        waiting: 'with the request sent and no answer yet',
        reading: `with ${size(received)} of the answer read`,
      }[stage];
      timeOut(`gave up after the ${duration(maxAttemptMs)} limit per attempt, ${where}`);
    }, maxAttemptMs);
    let over = false;
    /** Moves on to a later stage, whose bound starts now; an earlier one is past already. */
    const advance = (next: Stage, boundMs = timeoutMs) => {
      // Late events of an attempt that has ended must not start a timer that nothing clears.
      if (over || STAGES.indexOf(next) <= STAGES.indexOf(stage)) return;
      stage = next;
      clearTimeout(stall);
      stall = setTimeout(onStall, boundMs);
    };

    const module = secure ? https : http;
    const httpModule = {
      request: (options: RequestOptions, callback?: (message: IncomingMessage) => void) => {
        this.#opening = opened;
        let built: ClientRequest;
        try {
          built = module.request(options, callback);
        } finally {
          this.#opening = undefined;
        }
        request = built;
        built.once('socket', (socket: Socket) => this.#whenReady(socket, () => advance('sending')));
        built.once('finish', () => {
          finished = true;
          advance('waiting', timeoutMs + allowanceMs);
        });
        built.once('response', (answer: IncomingMessage) => {
          message = answer;
          advance('reading');
        });
        return built;
      },
    } as unknown as typeof https;

    try {
      const response = await Promise.race([
        client.requestRaw(
          {
            parsedUrl,
            httpModule,
            options: {
              // An IPv6 literal keeps its brackets in a URL, but not as a host to connect to.
              host: parsedUrl.hostname.replace(/^\[(.*)\]$/, '$1'),
              port: parsedUrl.port ? Number(parsedUrl.port) : secure ? 443 : 80,
              path: `${parsedUrl.pathname}${parsedUrl.search}`,
              method: 'POST',
              headers: {
                ...headers,
                'content-length': String(payload.length),
                'user-agent': client.userAgent,
              },
              agent,
            },
          },
          source ?? body,
        ),
        failed,
      ]);
      const text = await Promise.race([
        readBounded(response.message, maxAnswerBytes, (bytes) => {
          received += bytes;
          stall.refresh();
        }),
        failed,
      ]);
      return {
        answered: true,
        status: response.message.statusCode ?? 0,
        statusText: response.message.statusMessage ?? '',
        body: text,
        latencyMs: latencyMs(),
      };
    } catch (error) {
      const sent = stage === 'waiting' || stage === 'reading';
      return { ...judgeFailure(error, sent, tunnel), latencyMs: latencyMs() };
    } finally {
      over = true;
      clearTimeout(stall);
      clearTimeout(cap);
      this.#attempts.delete(end);
      for (const connect of opened) this.#connects.delete(connect);
      // A server may answer before it has read the whole body: the rest is not worth sending.
      if (!finished) request?.destroy();
    }
  }

  /** Calls `ready` once the socket can carry the request: connected, its TLS handshake done. */
  #whenReady(socket: Socket, ready: () => void): void {
    if (socket instanceof TLSSocket && !this.#secured.has(socket)) {
      socket.once('secureConnect', () => {
        this.#secured.add(socket);
        ready();
      });
    } else if (socket.connecting) socket.once('connect', ready);
    else ready();
  }

  /** Wraps a tunnelling agent once, so that its CONNECT requests can be ended with the run. */
  #watchTunnel(agent: http.Agent): TunnelAgent | undefined {
    if (!('proxyOptions' in agent)) return undefined;
    const tunnel = agent as TunnelAgent;
    if (!this.#tunnels.has(agent)) {
      this.#tunnels.add(agent);
      const open = tunnel.request;
      // The tunnel would encode the proxy's credentials with the deprecated `new Buffer()`, and
      // Node's warning about it would land on stderr: the same header is set here instead.
      const { proxyAuth } = tunnel.proxyOptions;
      delete tunnel.proxyOptions.proxyAuth;
      const authorization = proxyAuth && `Basic ${Buffer.from(proxyAuth).toString('base64')}`;
      tunnel.request = (options) => {
        if (authorization) {
          options.headers = { ...options.headers, 'Proxy-Authorization': authorization };
        }
        const connect = open(options);
        this.#connects.add(connect);
        this.#opening?.push(connect);
        connect.once('close', () => this.#connects.delete(connect));
        return connect;
      };
    }
    return tunnel;
  }

  #drop(connect: ClientRequest): void {
    this.#connects.delete(connect);
    destroyQuietly(connect);
  }
}

/** `600 s`, or `250 ms` where seconds would need a fraction. */
function duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function proxyName(tunnel: TunnelAgent): string {
  return `${tunnel.proxyOptions.host}:${tunnel.proxyOptions.port}`;
}

function destroyQuietly(request: ClientRequest): void {
  request.on('error', () => {});
  request.destroy();
}

class AnswerTooLarge extends Error {}

/** Reads the answer to its end, up to `limit` bytes, telling `progress` of every piece. */
function readBounded(
  message: IncomingMessage,
  limit: number,
  progress: (bytes: number) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    message.on('data', (chunk: Buffer) => {
      progress(chunk.length);
      length += chunk.length;
      if (length > limit) {
        message.destroy();
        reject(new AnswerTooLarge(`answer larger than ${limit} bytes`));
      } else chunks.push(chunk);
    });
    message.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    message.on('error', reject);
    message.on('close', () => {
      if (!message.complete) reject(new Error('connection closed before the answer was complete'));
    });
  });
}

function judgeFailure(
  error: unknown,
  sent: boolean,
  tunnel: TunnelAgent | undefined,
): Omit<Failure, 'latencyMs'> {
  if (error instanceof AnswerTooLarge) {
    return { answered: false, error: error.message, sent: true, permanent: true };
  }
  const code = (error as { code?: unknown }).code;
  const text = messageOf(error);
  if (TUNNEL_FAILED.test(text) && tunnel) {
    // The proxy refused or failed the CONNECT: the request itself never left.
    const proxy = proxyName(tunnel);
    if (/statusCode=407\b/.test(text)) {
      return {
        answered: false,
        error: `the proxy ${proxy} asks for credentials (HTTP 407): put them in the proxy URL, e.g. https_proxy=http://user:password@${proxy}`,
        sent: false,
        permanent: true,
      };
    }
    const why = text.replace(TUNNEL_FAILED, '').replace(/^, /, '');
    return {
      answered: false,
      error: `the proxy ${proxy} did not open a tunnel: ${why}`,
      sent: false,
      permanent: false,
    };
  }
  if (typeof code === 'string' && TLS_CODES.test(code)) {
    return {
      answered: false,
      error: `TLS certificate problem (${code}): ${text}. ${tlsFix(code)}`,
      sent: false,
      permanent: true,
    };
  }
  const described = typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
  const neverLeft = typeof code === 'string' && NOT_SENT.has(code);
  return { answered: false, error: described, sent: sent && !neverLeft, permanent: false };
}

/** What to do about a certificate that is refused. */
function tlsFix(code: string): string {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return 'The certificate is for another host: check api-base-url';
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return "Check this machine's clock; if it is right, the server's certificate is out of date";
  }
  return 'If a corporate proxy or CA signs the certificate, point NODE_EXTRA_CA_CERTS at its CA certificate (PEM)';
}
