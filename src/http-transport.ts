// One HTTP POST, bounded in time and size, through @actions/http-client: it chooses the agent
// (direct, or a tunnel through `https_proxy` unless `no_proxy` says otherwise) and sends the
// request. Every way an exchange can end is a value, never a throw, and says whether the request
// can have reached the server, so that callers know a lost answer from a request that never left.
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import { HttpClient, type HttpClientResponse } from '@actions/http-client';

export type Exchange = Answer | Failure;

export interface Answer {
  answered: true;
  status: number;
  statusText: string;
  body: string;
  latencyMs: number;
}

export interface Failure {
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
  timeoutMs: number;
  /** Answers longer than this are cut off and fail. */
  maxAnswerBytes: number;
}

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
  readonly #options: TransportOptions;
  /** CONNECT requests still open, so that a hung proxy cannot keep the process alive. */
  readonly #connects = new Set<ClientRequest>();
  readonly #tunnels = new WeakSet<http.Agent>();
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
    this.#http = new HttpClient(options.userAgent, [], {
      // Reuse connections across requests and retries. No socket limit: callers bound the
      // requests in flight, and a request that timed out must not hold a slot.
      keepAlive: true,
      socketTimeout: options.timeoutMs,
      allowRedirects: false,
      allowRetries: false,
    });
  }

  /** Closes every connection, kept or half-open, so that nothing outlives the run. */
  close(): void {
    for (const connect of this.#connects) destroyQuietly(connect);
    this.#connects.clear();
    this.#http.dispose();
  }

  async post(url: string, body: string, headers: Record<string, string>): Promise<Exchange> {
    const started = performance.now();
    const latencyMs = () => Math.round(performance.now() - started);
    const { timeoutMs, maxAnswerBytes } = this.#options;
    const parsedUrl = new URL(url);
    const agent = this.#http.getAgent(url);
    const tunnel = this.#watchTunnel(agent);
    const controller = new AbortController();
    const secure = parsedUrl.protocol === 'https:';
    let request: ClientRequest | undefined;
    let flushed = false;
    const module = secure ? https : http;
    // Building the request opens the tunnel's CONNECT at once: collect it for this attempt.
    const opened: ClientRequest[] = [];
    const httpModule = {
      request: (options: RequestOptions, callback?: (message: IncomingMessage) => void) => {
        this.#opening = opened;
        try {
          request = module.request(options, callback);
        } finally {
          this.#opening = undefined;
        }
        request.on('finish', () => {
          flushed = true;
        });
        return request;
      },
    } as unknown as typeof https;

    let message: IncomingMessage | undefined;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Say where it stuck: a proxy or a connect that never completed did not take the request.
        const stuck =
          tunnel && !request?.socket
            ? `the proxy ${proxyName(tunnel)} did not open a tunnel`
            : request?.socket?.connecting
              ? `could not connect to ${parsedUrl.host}`
              : 'no answer';
        reject(Object.assign(new Error(`${stuck} within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
        controller.abort();
        message?.destroy();
        for (const connect of opened) this.#drop(connect);
      }, timeoutMs);
    });
    deadline.catch(() => {});
    try {
      const response: HttpClientResponse = await Promise.race([
        this.#http.requestRaw(
          {
            parsedUrl,
            httpModule,
            options: {
              // An IPv6 literal keeps its brackets in a URL, but not as a host to connect to.
              host: parsedUrl.hostname.replace(/^\[(.*)\]$/, '$1'),
              port: parsedUrl.port ? Number(parsedUrl.port) : secure ? 443 : 80,
              path: `${parsedUrl.pathname}${parsedUrl.search}`,
              method: 'POST',
              headers: { ...headers, 'user-agent': this.#http.userAgent },
              agent,
              signal: controller.signal,
            },
          },
          body,
        ),
        deadline,
      ]);
      message = response.message;
      const text = await Promise.race([readBounded(message, maxAnswerBytes), deadline]);
      return {
        answered: true,
        status: message.statusCode ?? 0,
        statusText: message.statusMessage ?? '',
        body: text,
        latencyMs: latencyMs(),
      };
    } catch (error) {
      return {
        ...judgeFailure(error, flushed || message !== undefined, tunnel),
        latencyMs: latencyMs(),
      };
    } finally {
      clearTimeout(timer);
      for (const connect of opened) this.#connects.delete(connect);
    }
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

function proxyName(tunnel: TunnelAgent): string {
  return `${tunnel.proxyOptions.host}:${tunnel.proxyOptions.port}`;
}

function destroyQuietly(request: ClientRequest): void {
  request.on('error', () => {});
  request.destroy();
}

class AnswerTooLarge extends Error {}

function readBounded(message: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
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
  const text = error instanceof Error ? error.message : String(error);
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
