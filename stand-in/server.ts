// A stand-in for api.weixin.qq.com on 127.0.0.1: it checks requests as WeChat does and answers
// as WeChat does (see ../shared/wechat-api.md), and it can be scripted to misbehave, one fault
// per request, in order. Tests, the demo and the benchmark run against it.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How to answer one request instead of (or before) the real answer. */
export interface Fault {
  /** Wait this long before answering (or before the other fault). */
  delayMs?: number;
  /** Answer with this WeChat errcode and errmsg. */
  errcode?: number;
  errmsg?: string;
  /** Answer with this HTTP status and raw body (default: a gateway's HTML page). */
  status?: number;
  /** Answer 200 (or `status`) with this raw body. */
  body?: string;
  /** Answer 200 with this JSON value. */
  json?: unknown;
  /** Accept the request and never answer. */
  hang?: boolean;
  /** Close the connection without answering. */
  reset?: boolean;
  /** Send half of a JSON answer, then close. */
  truncate?: boolean;
  /** Answer 200 with this many bytes of JSON-looking text. */
  bytes?: number;
  /** Carry out the request (create the function) before the fault: the answer is what is lost. */
  apply?: boolean;
}

export type Route = 'createfunction' | 'listfunctions' | 'stable_token';

/** A function as the stand-in holds it; its status moves on by itself once `settlesAt` passes. */
export interface HeldFunction {
  status: string;
  /** The status it takes at `settlesAt`, with the reason of a failure. */
  settles?: { at: number; status: string; reason?: { errcode: string; errmsg: string } };
  reason?: { errcode: string; errmsg: string };
  addTime: string;
}

export interface RecordedRequest {
  route: string;
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  query: Record<string, string>;
  body: unknown;
}

export interface StandInOptions {
  port?: number;
  /** Environments that exist; createfunction in any other says `env not exists`. */
  envs?: string[];
  /** Functions that exist already, per environment. */
  existing?: Record<string, string[]>;
  accessToken?: string;
  expiredToken?: string;
  appId?: string;
  appSecret?: string;
  /** Every answer waits this long (the benchmark's network). */
  latencyMs?: number;
  /** A new function is `Creating` this long, then `Active` (default 0: at once). */
  createMs?: number;
}

const MAX_REQUEST_BYTES = 1024 * 1024;
const GATEWAY_PAGE =
  '<html><head><title>502 Bad Gateway</title></head><body>bad gateway</body></html>';

const random = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

export class StandIn {
  readonly accessToken: string;
  readonly expiredToken: string;
  readonly appId: string;
  readonly appSecret: string;
  /** The token that stable_token hands out (stable: the same on every call). */
  readonly mintedToken = random('minted_');
  readonly requests: RecordedRequest[] = [];
  url = '';
  /** Connections accepted so far: with keep-alive, fewer than requests. */
  connections = 0;
  /** The most requests that were being answered at once. */
  maxInFlight = 0;
  #inFlight = 0;

  readonly #server = createServer((req, res) => void this.#handle(req, res));
  readonly #envs: Set<string>;
  readonly #functions = new Map<string, Map<string, HeldFunction>>();
  readonly #createFails = new Map<string, { errcode: string; errmsg: string }>();
  readonly #createMs: number;
  readonly #scripts = new Map<string, Fault[]>();
  readonly #sockets = new Set<Socket>();
  readonly #latencyMs: number;

  constructor(options: StandInOptions = {}) {
    this.accessToken = options.accessToken ?? random('token_');
    this.expiredToken = options.expiredToken ?? random('expired_');
    this.appId = options.appId ?? 'wx0123456789abcdef';
    this.appSecret = options.appSecret ?? randomBytes(16).toString('hex');
    this.#envs = new Set(options.envs ?? ['test-777bb9', 'prod-3gewtf9c10f60c76']);
    this.#latencyMs = options.latencyMs ?? 0;
    this.#createMs = options.createMs ?? 0;
    for (const [env, names] of Object.entries(options.existing ?? {})) {
      for (const name of names) this.#held(env).set(name, { status: 'Active', addTime: now() });
    }
    this.#server.on('connection', (socket) => {
      this.connections++;
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Queues faults for the next requests to `route`, or to createfunction of one function. */
  script(route: Route, faults: Fault[], functionName?: string): this {
    const key = functionName ? `${route}:${functionName}` : route;
    this.#scripts.set(key, [...(this.#scripts.get(key) ?? []), ...faults]);
    return this;
  }

  /** The environments that exist. */
  get envs(): string[] {
    return [...this.#envs];
  }

  /** The functions that exist in `env`. */
  functions(env: string): string[] {
    return [...this.#held(env).keys()];
  }

  /** A function's status as listfunctions shows it now. */
  status(env: string, name: string): string | undefined {
    const fn = this.#held(env).get(name);
    return fn && settle(fn).status;
  }

  /** Makes a function exist (as another run would), with a status. */
  put(env: string, name: string, status = 'Active'): this {
    this.#held(env).set(name, { status, addTime: now() });
    return this;
  }

  /** The next creation of `name` ends `CreateFailed` with this reason. */
  failCreate(name: string, reason: { errcode: string; errmsg: string }): this {
    this.#createFails.set(name, reason);
    return this;
  }

  #held(env: string): Map<string, HeldFunction> {
    const functions = this.#functions.get(env) ?? new Map<string, HeldFunction>();
    this.#functions.set(env, functions);
    return functions;
  }

  /** The recorded requests to one route. */
  calls(route: string): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  #nextFault(route: string, functionName: unknown): Fault | undefined {
    const keys = typeof functionName === 'string' ? [`${route}:${functionName}`, route] : [route];
    for (const key of keys) {
      const fault = this.#scripts.get(key)?.shift();
      if (fault) return fault;
    }
    return undefined;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.maxInFlight = Math.max(this.maxInFlight, ++this.#inFlight);
    res.on('close', () => this.#inFlight--);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const route = url.pathname.split('/').pop() ?? '';
    const text = await readText(req);
    if (text === undefined) return void req.socket.destroy();
    const body = parseJson(text);
    this.requests.push({
      route,
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      query: Object.fromEntries(url.searchParams),
      body: body === undefined ? text : body,
    });
    const fault = this.#nextFault(route, (body as { function_name?: unknown })?.function_name);
    await delay(this.#latencyMs + (fault?.delayMs ?? 0));
    const answer = () => this.#answer(url, route, req.method ?? '', body);

    if (!fault) return send(res, 200, answer());
    if (fault.apply) answer();
    if (fault.hang) return;
    if (fault.reset) return void req.socket.destroy();
    if (fault.truncate) {
      const whole = JSON.stringify({ errcode: 0, errmsg: 'ok' });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': whole.length });
      res.write(whole.slice(0, whole.length / 2));
      return void setImmediate(() => req.socket.destroy());
    }
    if (fault.bytes !== undefined) return sendBytes(res, fault.bytes);
    if (fault.errcode !== undefined) {
      return send(res, 200, { errcode: fault.errcode, errmsg: fault.errmsg ?? 'scripted' });
    }
    if (fault.json !== undefined) return send(res, 200, fault.json);
    if (fault.status !== undefined || fault.body !== undefined) {
      res.writeHead(fault.status ?? 200, { 'Content-Type': 'text/html' });
      return void res.end(fault.body ?? GATEWAY_PAGE);
    }
    return send(res, 200, answer());
  }

  /** What WeChat answers, and what it does. */
  #answer(url: URL, route: string, method: string, body: unknown): object {
    if (method !== 'POST') return { errcode: 43002, errmsg: 'require POST method' };
    switch (route) {
      case 'createfunction':
        return this.#createFunction(url.searchParams.get('access_token'), body);
      case 'listfunctions':
        return this.#listFunctions(url.searchParams.get('access_token'), body);
      case 'stable_token':
        return this.#stableToken(body);
      case 'token':
        return { access_token: random('revoking_'), expires_in: 7200 };
      default:
        return { errcode: 40066, errmsg: 'invalid url' };
    }
  }

  /** The token check every tcb call makes: an error answer, or undefined when it passes. */
  #refuseToken(token: string | null): object | undefined {
    if (!token) return { errcode: 41001, errmsg: 'access_token missing' };
    if (token === this.expiredToken) return { errcode: 42001, errmsg: 'access_token expired' };
    if (token !== this.accessToken && token !== this.mintedToken) {
      return { errcode: 40014, errmsg: 'invalid access_token' };
    }
    return undefined;
  }

  #createFunction(token: string | null, body: unknown): object {
    const refused = this.#refuseToken(token);
    if (refused) return refused;
    if (typeof body !== 'object' || body === null)
      return { errcode: 47001, errmsg: 'data format error' };
    const { env, function_name: name, ...rest } = body as Record<string, unknown>;
    if (typeof env !== 'string' || typeof name !== 'string') {
      return { errcode: 40101, errmsg: 'missing parameter' };
    }
    if (Object.keys(rest).length > 0) return { errcode: -501007, errmsg: 'parameter error' };
    if (!this.#envs.has(env)) return { errcode: -501000, errmsg: '[100003] env not exists' };
    const functions = this.#held(env);
    if (functions.has(name)) {
      return {
        errcode: -501000,
        errmsg: `[ResourceInUse.Function] Function ${name} already exists.`,
      };
    }
    const failure = this.#createFails.get(name);
    this.#createFails.delete(name);
    functions.set(name, {
      status: 'Creating',
      addTime: now(),
      settles: {
        at: Date.now() + this.#createMs,
        status: failure ? 'CreateFailed' : 'Active',
        reason: failure,
      },
    });
    return { errcode: 0, errmsg: 'ok' };
  }

  #listFunctions(token: string | null, body: unknown): object {
    const refused = this.#refuseToken(token);
    if (refused) return refused;
    const { env, limit, offset } = (body ?? {}) as Record<string, unknown>;
    if (typeof env !== 'string' || !Number.isInteger(limit) || !Number.isInteger(offset)) {
      return { errcode: 40101, errmsg: 'missing parameter' };
    }
    if ((limit as number) < 1 || (limit as number) > 100 || (offset as number) < 0) {
      return { errcode: -501007, errmsg: 'parameter error' };
    }
    if (!this.#envs.has(env)) return { errcode: -501000, errmsg: '[100003] env not exists' };
    const all = [...this.#held(env)].map(([name, held]) => {
      const fn = settle(held);
      return {
        name,
        runtime: 'Nodejs16.13',
        status: fn.status,
        add_time: fn.addTime,
        mod_time: fn.addTime,
        ...(fn.reason ? { status_reason: [fn.reason] } : {}),
      };
    });
    const start = offset as number;
    return {
      errcode: 0,
      errmsg: 'ok',
      total_count: all.length,
      functions: all.slice(start, start + (limit as number)),
    };
  }

  #stableToken(body: unknown): object {
    const { grant_type, appid, secret } = (body ?? {}) as Record<string, unknown>;
    if (grant_type !== 'client_credential') return { errcode: 40002, errmsg: 'invalid grant_type' };
    if (appid !== this.appId) return { errcode: 40013, errmsg: 'invalid appid' };
    if (secret !== this.appSecret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    return { access_token: this.mintedToken, expires_in: 7200 };
  }
}

export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  return new StandIn(options).listen(options.port);
}

/** Moves a function on to the status it settles at, once its time has come. */
function settle(fn: HeldFunction): HeldFunction {
  if (fn.settles && Date.now() >= fn.settles.at) {
    fn.status = fn.settles.status;
    fn.reason = fn.settles.reason;
    fn.settles = undefined;
  }
  return fn;
}

function now(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ');
}

function readText(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(size <= MAX_REQUEST_BYTES ? Buffer.concat(chunks).toString() : undefined),
    );
    req.on('error', () => resolve(undefined));
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendBytes(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let left = bytes;
  const pump = () => {
    while (left > 0) {
      const part = chunk.subarray(0, Math.min(chunk.length, left));
      left -= part.length;
      if (!res.write(part)) return void res.once('drain', pump);
    }
    res.end();
  };
  res.on('error', () => {});
  pump();
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
