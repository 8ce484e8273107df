// A stand-in for api.weixin.qq.com on 127.0.0.1: it checks requests as WeChat does and answers
// as WeChat does (its pages, named in docs/contract.md; its errcodes, in docs/errors.md), and it
// can be scripted to misbehave, one fault per request, in order. Tests, the demo and the benchmark run against it.
//
// A code upload ends at Tencent Cloud, not WeChat, so a second server on its own port stands in
// for scf.tencentcloudapi.com ("the SCF endpoint"): it answers UpdateFunctionCode as Tencent Cloud
// API 3.0 does. getuploadsignature signs for it with a key of the stand-in's own:
//   Signature = hex(HMAC-SHA256(key, `${hashed_payload}\n${X-TC-Timestamp}\n${Host}`))
// in TC3's Authorization form, so a client is held to TC3's rules (the body, the host and the time
// are what was signed; the Content-Type is application/json) without Tencent's secret keys.
//
// A third server stands in for CloudBase's Tencent Cloud API (tencentcloud.ts), on the same
// functions: what one route creates or changes, the others see.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { HeldFunction, Reason, TencentError } from './held.js';
import { modelOf } from './models.js';
import { OidcStandIn } from './oidc.js';
import { STS_VERSION, type StsRoute, StsStandIn } from './sts.js';
import { requestService, signatureFailure, signedEnvelope } from './tc3-envelope.js';
import {
  type CodeSent,
  type FunctionStore,
  loadModels,
  type ScfRoute,
  type Settings,
  type TcbAction,
  TcbStandIn,
  tencentRoute,
} from './tencentcloud.js';
import { readZip } from './zip-reader.js';

/** How to answer one request instead of (or before) the real answer. */
export interface Fault {
  /** Wait this long before answering (or before the other fault). */
  delayMs?: number;
  /** Answer with this WeChat errcode and errmsg. */
  errcode?: number;
  errmsg?: string;
  /** Answer with this Tencent Cloud error (`{"Response":{"Error":…}}`), as the SCF endpoint does. */
  tencentError?: TencentError;
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
  /**
   * Answer as usual, without these fields: of a Tencent Cloud answer's `Response`, of a WeChat
   * answer itself.
   */
  omit?: string[];
  /** Carry out the request (create, take the code) before the fault: the answer is what is lost. */
  apply?: boolean;
  /**
   * With `apply`: then every temporary key handed out expires, earlier than its `expired_time`
   * said, so that the next request signed with one is refused.
   */
  expireKeys?: boolean;
}

/** The WeChat API's routes, by the last part of their path. */
export const WECHAT_ROUTES = [
  'createfunction',
  'listfunctions',
  'stable_token',
  'getcodesecret',
  'getuploadsignature',
  'getfuncconfig',
  'uploadfuncconfig',
  'invokecloudfunction',
  'getqcloudtoken',
] as const;

export type Route =
  | (typeof WECHAT_ROUTES)[number]
  /** The signed upload host. */
  | 'scf'
  /** CloudBase's Tencent Cloud API, by action. */
  | TcbAction
  /** SCF's API at the same URL, as `scf.ACTION`. */
  | ScfRoute
  /** STS at the same URL, as `sts.ACTION`. */
  | StsRoute
  /** GitHub's OIDC token endpoint, at the WeChat API's URL. */
  | 'idtoken';

/** How a function is put in place: its status, and whatever else a test needs of it. */
export interface Placed {
  status?: string;
  reason?: Reason;
  runtime?: string;
  /** It moves on to this status after `ms` (e.g. `Updating` → `Active`). */
  settles?: { ms: number; status: string; reason?: Reason };
  /** Configurations by type, as JSON text. */
  configs?: Record<number, string>;
}

/** How invokecloudfunction answers for one function, instead of echoing the event. */
export type Invocation = { respData: string } | { errcode: number; errmsg: string };

/** WeChat's listfunctions examples show new functions on this runtime. */
const DEFAULT_RUNTIME = 'Nodejs8.9';

export interface RecordedRequest {
  /** The last segment of the path; `scf` for the SCF endpoint. */
  route: string;
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  query: Record<string, string>;
  /** The JSON value, or the text when it is not JSON; undefined when too large to keep. */
  body: unknown;
}

export interface SlowReading {
  bytesPerSecond?: number;
  stallAfterBytes?: number;
  stallMs?: number;
  times?: number;
}

export interface StandInOptions {
  port?: number;
  /** Environments that exist; createfunction in any other says `env not exists`. */
  envs?: string[];
  /** Functions that exist already, per environment: a name, or a name with its state. */
  existing?: Record<string, (string | ({ name: string } & Placed))[]>;
  accessToken?: string;
  expiredToken?: string;
  appId?: string;
  appSecret?: string;
  /** Every answer waits this long (the benchmark's network). */
  latencyMs?: number;
  /** A new function is `Creating` this long, then `Active` (default 0: at once). */
  createMs?: number;
  /** Uploaded code leaves its function `Updating` this long (default 0: at once). */
  updateMs?: number;
  /** Port of the SCF endpoint (default 0: a free one). */
  scfPort?: number;
  /** Port of CloudBase's Tencent Cloud API (default 0: a free one). */
  tcbPort?: number;
  /** The account's key that CloudBase's Tencent Cloud API accepts (default: random). */
  secretId?: string;
  secretKey?: string;
}

const MAX_REQUEST_BYTES = 1024 * 1024;
/** Tencent Cloud API 3.0 refuses a signed POST body larger than 10 MB. */
const MAX_SCF_BODY_BYTES = 10 * 1024 * 1024;
/** The Tencent Cloud requests that carry a function's code, by the route they are recorded under. */
const CARRIES_CODE = new Set(['scf', 'CreateFunction', 'UpdateFunctionCode']);
const UPLOAD_FIELDS = ['CodeSecret', 'FunctionName', 'Handler', 'ZipFile'];
const OPTIONAL_UPLOAD_FIELDS = ['EnvId', 'Namespace', 'InstallDependency'];
/** The form getuploadsignature's Authorization takes; the date is the timestamp's UTC day. */
const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=AKIDstandin\/\d{4}-\d{2}-\d{2}\/scf\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/;
/** Base64 as Tencent Cloud takes it; checked without a regular expression that recurses per group. */
const isBase64 = (text: string) =>
  text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text) && !/=[^=]/.test(text);
const WECHAT_OK = { errcode: 0, errmsg: 'ok' };
const TOO_LARGE = Symbol('too large');
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
  /** The code secret getcodesecret hands out and the SCF endpoint expects as `CodeSecret`. */
  readonly codeSecret = randomBytes(16).toString('hex');
  readonly requests: RecordedRequest[] = [];
  url = '';
  /** The SCF endpoint, `http://127.0.0.1:PORT`, and the Host its signatures are for. */
  scfUrl = '';
  scfHost = '';
  /** CloudBase's Tencent Cloud API, `http://127.0.0.1:PORT`: its keys, and those it handed out. */
  tcbUrl = '';
  readonly tcb: TcbStandIn;
  /** GitHub's OIDC token endpoint, and STS, which takes its tokens for a role's keys. */
  readonly oidc = new OidcStandIn();
  readonly sts: StsStandIn;
  /** Connections accepted so far by the WeChat API: with keep-alive, fewer than requests. */
  connections = 0;
  /** Connections accepted so far by the SCF endpoint. */
  scfConnections = 0;

  readonly #server = createServer((req, res) => void this.#handle(req, res));
  readonly #scfServer = createServer((req, res) => void this.#handleScf(req, res));
  readonly #tcbServer = createServer((req, res) => void this.#handleTcb(req, res));
  readonly #envs: Set<string>;
  readonly #functions = new Map<string, Map<string, HeldFunction>>();
  /** Reasons the next creation (`create:NAME`) or code update (`update:NAME`) fails with. */
  readonly #failures = new Map<string, { errcode: string; errmsg: string }>();
  readonly #createMs: number;
  readonly #updateMs: number;
  readonly #scfPort: number;
  readonly #tcbPort: number;
  readonly #signingKey = randomBytes(32);
  #staleSignatures = { ageMs: 0, left: 0 };
  readonly #scripts = new Map<string, Fault[]>();
  readonly #invocations = new Map<string, Invocation[]>();
  #slowUploads: SlowReading | undefined;
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
    this.#updateMs = options.updateMs ?? 0;
    this.#scfPort = options.scfPort ?? 0;
    this.#tcbPort = options.tcbPort ?? 0;
    this.tcb = new TcbStandIn(this.#store(), options);
    this.sts = new StsStandIn(this.oidc, this.tcb);
    for (const [env, functions] of Object.entries(options.existing ?? {})) {
      for (const fn of functions) {
        if (typeof fn === 'string') this.put(env, fn);
        else this.put(env, fn.name, fn);
      }
    }
    this.#track(this.#server, () => this.connections++);
    this.#track(this.#scfServer, () => this.scfConnections++);
    this.#track(this.#tcbServer, () => {});
  }

  /** Counts a server's connections and keeps them, for close() to end. */
  #track(server: Server, count: () => void): void {
    server.on('connection', (socket) => {
      count();
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  async listen(port = 0): Promise<this> {
    loadModels();
    modelOf('sts', STS_VERSION, 'AssumeRoleWithWebIdentity');
    this.url = `http://${await listenOn(this.#server, port)}`;
    this.scfHost = await listenOn(this.#scfServer, this.#scfPort);
    this.scfUrl = `http://${this.scfHost}`;
    this.tcb.host = await listenOn(this.#tcbServer, this.#tcbPort);
    this.tcbUrl = `http://${this.tcb.host}`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await Promise.all(
      [this.#server, this.#scfServer, this.#tcbServer].map(
        (server) => new Promise<void>((resolve) => server.close(() => resolve())),
      ),
    );
  }

  /**
   * Queues faults for the next requests to `route`, or for one function's: createfunction's
   * `function_name`, the SCF endpoint's and Tencent Cloud actions' `FunctionName`.
   */
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

  /** Makes a function exist (as another run would), `Active` unless said otherwise. */
  put(env: string, name: string, placed: string | Placed = {}): this {
    const {
      status = 'Active',
      reason,
      runtime = DEFAULT_RUNTIME,
      settles,
      configs = {},
    } = typeof placed === 'string' ? { status: placed } : placed;
    const time = now();
    this.#held(env).set(name, {
      status,
      reason,
      runtime,
      addTime: time,
      modTime: time,
      settles: settles && {
        at: Date.now() + settles.ms,
        status: settles.status,
        reason: settles.reason,
      },
      configs: new Map(Object.entries(configs).map(([type, text]) => [Number(type), text])),
    });
    return this;
  }

  /** A function as the stand-in holds it now. */
  held(env: string, name: string): HeldFunction | undefined {
    const fn = this.#held(env).get(name);
    return fn && settle(fn);
  }

  /** The next invocations of `name` answer this, in order, instead of echoing the event. */
  answerInvoke(name: string, ...answers: Invocation[]): this {
    this.#invocations.set(name, [...(this.#invocations.get(name) ?? []), ...answers]);
    return this;
  }

  /** The next creation of `name` ends `CreateFailed` with this reason. */
  failCreate(name: string, reason: { errcode: string; errmsg: string }): this {
    this.#failures.set(`create:${name}`, reason);
    return this;
  }

  /** The next accepted code of `name` ends `UpdateFailed` (say, its install failed). */
  failUpdate(name: string, reason: { errcode: string; errmsg: string }): this {
    this.#failures.set(`update:${name}`, reason);
    return this;
  }

  /** The failure scripted for the next `kind` of `name`, taken once. */
  #nextFailure(kind: 'create' | 'update', name: string) {
    const reason = this.#failures.get(`${kind}:${name}`);
    this.#failures.delete(`${kind}:${name}`);
    return reason;
  }

  /** The zip last uploaded to a function, as the SCF endpoint took it. */
  code(env: string, name: string): Buffer | undefined {
    return this.#held(env).get(name)?.code?.zip;
  }

  /** InstallDependency of the last upload to a function: `TRUE`, `FALSE`, or undefined if not sent. */
  installDependency(env: string, name: string): string | undefined {
    return this.#held(env).get(name)?.code?.installDependency;
  }

  /**
   * The next `times` signatures from getuploadsignature carry a timestamp `ms` in the past, as if
   * the client had waited that long before uploading (over 5 minutes: `AuthFailure.SignatureExpire`).
   */
  signWithAge(ms: number, times = 1): this {
    this.#staleSignatures = { ageMs: ms, left: times };
    return this;
  }

  #held(env: string): Map<string, HeldFunction> {
    const functions = this.#functions.get(env) ?? new Map<string, HeldFunction>();
    this.#functions.set(env, functions);
    return functions;
  }

  /**
   * The next `times` uploads are read slowly, as over a thin link: `bytesPerSecond`, and, after
   * `stallAfterBytes`, a pause of `stallMs` with nothing read.
   */
  readSlowly(reading: SlowReading): this {
    this.#slowUploads = reading;
    return this;
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
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const route = url.pathname.split('/').pop() ?? '';
    const read = await readBody(req, MAX_REQUEST_BYTES);
    if (!(read instanceof Buffer)) return void req.socket.destroy();
    const body = this.#record(route, req, url, read.toString());
    const name =
      (body as { function_name?: unknown })?.function_name ?? url.searchParams.get('name');
    const fault = this.#nextFault(route, name);
    if (route === 'idtoken' && !fault) {
      const { status, body: token } = this.oidc.answer(req, url);
      return send(res, status, token);
    }
    const answer = () => this.#answer(url, route, req.method ?? '', body);
    await this.#respond(req, res, fault, answer, WECHAT_OK);
  }

  /** ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN, as the runner sets them for `id-token: write`. */
  get idTokenEnv(): Record<string, string> {
    return {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${this.url}/idtoken?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: this.oidc.requestToken,
    };
  }

  /** The SCF endpoint: one Tencent Cloud API 3.0 action, UpdateFunctionCode. */
  #handleScf(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return this.#handleTencent(req, res, 'scf', (read, body) =>
      tencentAnswer(this.#updateFunctionCode(req, read, body)),
    );
  }

  /**
   * Tencent Cloud's API: the action named by X-TC-Action, recorded under its name, or as
   * `scf.ACTION` or `sts.ACTION` when the request is for SCF or STS (and STS answers it).
   */
  #handleTcb(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const action = String(req.headers['x-tc-action'] ?? '');
    const service = requestService(req.headers);
    return this.#handleTencent(req, res, tencentRoute(service, action), (read, body) => {
      if (read === TOO_LARGE) return tencentAnswer(TOO_LARGE_ERROR);
      const answered =
        service === 'sts' ? this.sts.answer(req, body) : this.tcb.answer(req, read, body);
      return 'error' in answered
        ? tencentAnswer(answered.error)
        : tencentAnswer(undefined, answered.data);
    });
  }

  /**
   * A request of Tencent Cloud API 3.0, recorded under `route` and answered by `answer`: one
   * that carries code is read slowly while readSlowly() says so.
   */
  async #handleTencent(
    req: IncomingMessage,
    res: ServerResponse,
    route: string,
    answer: (read: Buffer | typeof TOO_LARGE, body: unknown) => object,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const slow = this.#slowUploads;
    if (slow && (slow.times ?? 1) > 0 && CARRIES_CODE.has(route)) {
      this.#slowUploads = { ...slow, times: (slow.times ?? 1) - 1 };
      throttle(req, slow);
    }
    // Past the limit the rest is read and dropped, not kept, so the client gets the answer
    // rather than a reset.
    const read = await readBody(req, MAX_SCF_BODY_BYTES);
    if (read === undefined) return void req.socket.destroy();
    const body = this.#record(route, req, url, read === TOO_LARGE ? undefined : read.toString());
    const fault = this.#nextFault(route, (body as { FunctionName?: unknown })?.FunctionName);
    await this.#respond(req, res, fault, () => answer(read, body), tencentAnswer());
  }

  /** What the Tencent Cloud API sees of the functions WeChat's routes hold. */
  #store(): FunctionStore {
    return {
      hasEnv: (env) => this.#envs.has(env),
      listed: (env) => this.#listed(env),
      held: (env, name) => this.held(env, name),
      create: (env, name, runtime, code, settings) => {
        const zip = code && zipOf(code.ZipFile);
        if (code && !zip) return NOT_A_ZIP;
        const fn = this.#create(
          env,
          name,
          runtime,
          !zip || zip.root.has('index.js') ? undefined : NO_INDEX,
        );
        if (code && zip) {
          fn.code = { zip: zip.zip, installDependency: code.InstallDependency, envId: code.EnvId };
        }
        if (Object.keys(settings).length > 0) {
          fn.configs.set(3, JSON.stringify({ ...configSettings(undefined), ...settings }));
        }
        return undefined;
      },
      takeCode: (env, name, code) => this.#takeCode(env, name, code),
      settings: (fn) => configSettings(fn.configs.get(3)),
      configure: (fn, settings) => {
        // CloudBase's write changes what it names: the rest of the configuration stays.
        const held = parseJson(fn.configs.get(3) ?? '{}') as object;
        fn.configs.set(3, JSON.stringify({ ...held, ...settings }));
        this.#update(fn);
      },
    };
  }

  /** Records a request; returns its body as JSON, or undefined when it is not JSON. */
  #record(route: string, req: IncomingMessage, url: URL, text: string | undefined): unknown {
    const body = text === undefined ? undefined : parseJson(text);
    this.requests.push({
      route,
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      query: Object.fromEntries(url.searchParams),
      body: body === undefined ? text : body,
    });
    return body;
  }

  /** Sends `answer()`, or the fault instead; `ok` is the success answer a truncation cuts. */
  async #respond(
    req: IncomingMessage,
    res: ServerResponse,
    fault: Fault | undefined,
    answer: () => object,
    ok: object,
  ): Promise<void> {
    await delay(this.#latencyMs + (fault?.delayMs ?? 0));
    if (!fault) return send(res, 200, answer());
    const applied = fault.apply ? answer() : undefined;
    if (fault.expireKeys) this.tcb.expireTemporaryKeys();
    if (fault.hang) return;
    if (fault.reset) return void req.socket.destroy();
    if (fault.truncate) {
      const whole = JSON.stringify(ok);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': whole.length });
      res.write(whole.slice(0, whole.length / 2));
      return void setImmediate(() => req.socket.destroy());
    }
    if (fault.bytes !== undefined) return sendBytes(res, fault.bytes);
    if (fault.omit) return send(res, 200, without(applied ?? answer(), fault.omit));
    if (fault.tencentError !== undefined) return send(res, 200, tencentAnswer(fault.tencentError));
    if (fault.errcode !== undefined) {
      return send(res, 200, { errcode: fault.errcode, errmsg: fault.errmsg ?? 'scripted' });
    }
    if (fault.json !== undefined) return send(res, 200, fault.json);
    if (fault.status !== undefined || fault.body !== undefined) {
      res.writeHead(fault.status ?? 200, { 'Content-Type': 'text/html' });
      return void res.end(fault.body ?? GATEWAY_PAGE);
    }
    return send(res, 200, applied ?? answer());
  }

  /** What WeChat answers, and what it does. */
  #answer(url: URL, route: string, method: string, body: unknown): object {
    if (method !== 'POST') return { errcode: 43002, errmsg: 'require POST method' };
    switch (route) {
      case 'createfunction':
        return this.#createFunction(url.searchParams.get('access_token'), body);
      case 'listfunctions':
        return this.#listFunctions(url.searchParams.get('access_token'), body);
      case 'getcodesecret':
        return this.#codeSecret(url.searchParams.get('access_token'), body);
      case 'getuploadsignature':
        return this.#uploadSignature(url.searchParams.get('access_token'), body);
      case 'getfuncconfig':
        return this.#functionConfig(url.searchParams.get('access_token'), body);
      case 'uploadfuncconfig':
        return this.#uploadFunctionConfig(url.searchParams.get('access_token'), body);
      case 'invokecloudfunction':
        return this.#invoke(url, body);
      case 'getqcloudtoken':
        return this.#qcloudToken(url.searchParams.get('access_token'), body);
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

  /** The token check, then a JSON object body: an error answer, or undefined when both pass. */
  #refuseRequest(token: string | null, body: unknown): object | undefined {
    const refused = this.#refuseToken(token);
    if (refused) return refused;
    if (typeof body !== 'object' || body === null) {
      return { errcode: 47001, errmsg: 'data format error' };
    }
    return undefined;
  }

  #createFunction(token: string | null, body: unknown): object {
    const refused = this.#refuseRequest(token, body);
    if (refused) return refused;
    const { env, function_name: name, ...rest } = body as Record<string, unknown>;
    if (typeof env !== 'string' || typeof name !== 'string') {
      return { errcode: 40101, errmsg: 'missing parameter' };
    }
    if (Object.keys(rest).length > 0) return { errcode: -501007, errmsg: 'parameter error' };
    if (!this.#envs.has(env)) return envNotExists(env);
    if (this.#held(env).has(name)) {
      return {
        errcode: -501000,
        errmsg: `[ResourceInUse.Function] Function ${name} already exists.`,
      };
    }
    this.#create(env, name, DEFAULT_RUNTIME);
    return { errcode: 0, errmsg: 'ok' };
  }

  /**
   * A new function, `Creating` until `createMs` passed, then `Active`, or `CreateFailed` with
   * the failure scripted for it, else with `failure`.
   */
  #create(env: string, name: string, runtime: string, failure?: Reason): HeldFunction {
    const reason = this.#nextFailure('create', name) ?? failure;
    const time = now();
    const fn: HeldFunction = {
      status: 'Creating',
      runtime,
      addTime: time,
      modTime: time,
      configs: new Map(),
      settles: {
        at: Date.now() + this.#createMs,
        status: reason ? 'CreateFailed' : 'Active',
        reason,
      },
    };
    this.#held(env).set(name, fn);
    return fn;
  }

  /** The functions of `env` as a list shows them now, each marked as listed. */
  #listed(env: string): [string, HeldFunction][] {
    return [...this.#held(env)].map(([name, held]) => {
      const fn = settle(held);
      if (fn.settles) fn.settles.listed = true;
      return [name, fn];
    });
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
    if (!this.#envs.has(env)) return envNotExists(env);
    const all = this.#listed(env).map(([name, fn]) => ({
      name,
      runtime: fn.runtime,
      status: fn.status,
      add_time: fn.addTime,
      mod_time: fn.modTime,
      status_reason: fn.reason ? [fn.reason] : [],
    }));
    const start = offset as number;
    return {
      errcode: 0,
      errmsg: 'ok',
      total_count: all.length,
      functions: all.slice(start, start + (limit as number)),
    };
  }

  #codeSecret(token: string | null, body: unknown): object {
    return this.#refuseRequest(token, body) ?? { ...WECHAT_OK, codesecret: this.codeSecret };
  }

  #uploadSignature(token: string | null, body: unknown): object {
    const refused = this.#refuseRequest(token, body);
    if (refused) return refused;
    const hashed = (body as Record<string, unknown>).hashed_payload;
    if (typeof hashed !== 'string' || !/^[0-9a-f]{64}$/.test(hashed)) {
      return { errcode: 40097, errmsg: 'invalid args' };
    }
    const ageMs = this.#staleSignatures.left-- > 0 ? this.#staleSignatures.ageMs : 0;
    const timestamp = Math.floor((Date.now() - ageMs) / 1000);
    const headers = [
      `Authorization:${this.#authorization(hashed, timestamp)}`,
      `Host:${this.scfHost}`,
      'X-TC-Action:UpdateFunctionCode',
      `X-TC-Timestamp:${timestamp}`,
      'X-TC-Version:2018-04-16',
    ];
    return { ...WECHAT_OK, headers: headers.join('\r\n') };
  }

  /** The Authorization for a body with this SHA-256 at this time (see the top of the file). */
  #authorization(hashedPayload: string, timestamp: number): string {
    const signature = createHmac('sha256', this.#signingKey)
      .update(`${hashedPayload}\n${timestamp}\n${this.scfHost}`)
      .digest('hex');
    const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
    return `TC3-HMAC-SHA256 Credential=AKIDstandin/${date}/scf/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`;
  }

  /** UpdateFunctionCode as Tencent Cloud checks and carries it out: the error, or undefined. */
  #updateFunctionCode(
    req: IncomingMessage,
    read: Buffer | typeof TOO_LARGE,
    body: unknown,
  ): TencentError | undefined {
    if (read === TOO_LARGE) return TOO_LARGE_ERROR;
    const unsigned = this.#refuseSignature(req, read);
    if (unsigned) return unsigned;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return { code: 'InvalidParameter', message: 'The request body is not a JSON object.' };
    }
    const fields = body as Record<string, unknown>;
    const missing = UPLOAD_FIELDS.find((field) => typeof fields[field] !== 'string');
    if (missing) {
      return { code: 'InvalidParameter', message: `The parameter \`${missing}\` is missing.` };
    }
    const unknown = Object.keys(fields).find(
      (field) => !UPLOAD_FIELDS.includes(field) && !OPTIONAL_UPLOAD_FIELDS.includes(field),
    );
    if (unknown) {
      return {
        code: 'UnknownParameter',
        message: `The parameter \`${unknown}\` is not recognized.`,
      };
    }
    const { CodeSecret, EnvId, Namespace, FunctionName, Handler, ZipFile, InstallDependency } =
      fields as Record<string, string | undefined> as Record<string, string>;
    // SCF documents both names for the environment; WeChat's page sends one, its CI the other.
    const env = EnvId ?? Namespace;
    if (
      env === undefined ||
      (Namespace !== undefined && EnvId !== undefined && Namespace !== EnvId)
    ) {
      return {
        code: 'InvalidParameter',
        message: 'EnvId or Namespace must name the environment, the same one if both are given.',
      };
    }
    if (CodeSecret !== this.codeSecret) {
      return {
        code: 'AuthFailure.UnauthorizedOperation',
        message: "The CodeSecret is not this mini program's code secret.",
      };
    }
    if (!this.#envs.has(env)) {
      return { code: 'ResourceNotFound.Namespace', message: `Namespace ${env} does not exist.` };
    }
    if (!this.#held(env).has(FunctionName)) {
      return {
        code: 'ResourceNotFound.Function',
        message: `Function ${FunctionName} does not exist.`,
      };
    }
    if (Handler !== 'index.main') {
      return { code: 'InvalidParameterValue.Handler', message: 'The Handler must be index.main.' };
    }
    if (InstallDependency !== undefined && !['TRUE', 'FALSE'].includes(InstallDependency)) {
      return {
        code: 'InvalidParameterValue.InstallDependency',
        message: 'InstallDependency must be TRUE or FALSE.',
      };
    }
    return this.#takeCode(env, FunctionName, { ZipFile, InstallDependency, EnvId, Namespace });
  }

  /** New code for a function that exists: refused while it is busy, else it goes updating. */
  #takeCode(env: string, name: string, code: CodeSent): TencentError | undefined {
    const zip = zipOf(code.ZipFile);
    if (!zip) return NOT_A_ZIP;
    const fn = this.held(env, name) as HeldFunction;
    if (fn.status === 'Creating' || fn.status === 'Updating') {
      return {
        code: 'FailedOperation.UpdateFunctionCode',
        message: 'the function is updating, retry later',
      };
    }
    const reason = zip.root.has('index.js') ? this.#nextFailure('update', name) : NO_INDEX;
    fn.code = {
      zip: zip.zip,
      installDependency: code.InstallDependency,
      envId: code.EnvId,
      namespace: code.Namespace,
    };
    this.#update(fn, reason);
    return undefined;
  }

  /** Sets a function updating: `Updating` until `updateMs` passed and a list showed it. */
  #update(fn: HeldFunction, reason?: Reason): void {
    fn.status = 'Updating';
    fn.reason = undefined;
    fn.modTime = now();
    fn.settles = {
      at: Date.now() + this.#updateMs,
      status: reason ? 'UpdateFailed' : 'Active',
      reason,
    };
  }

  /** getfuncconfig: the configuration of a type as last written, or 85089 when none was. */
  #functionConfig(token: string | null, body: unknown): object {
    const found = this.#configTarget(token, body);
    if ('errcode' in found) return found;
    const config = found.fn.configs.get(found.type);
    if (config === undefined) return { errcode: 85089, errmsg: 'config not exist' };
    return { ...WECHAT_OK, config };
  }

  /** uploadfuncconfig: replaces that type's configuration whole; type 3 sets it updating. */
  #uploadFunctionConfig(token: string | null, body: unknown): object {
    const found = this.#configTarget(token, body);
    if ('errcode' in found) return found;
    const { config } = body as Record<string, unknown>;
    if (typeof config !== 'string' || parseJson(config) === undefined) {
      return { errcode: 40097, errmsg: 'invalid args: config must be a JSON string' };
    }
    found.fn.configs.set(found.type, config);
    if (found.type === 3) this.#update(found.fn);
    return WECHAT_OK;
  }

  /** The function and type a config call names, or WeChat's error. */
  #configTarget(
    token: string | null,
    body: unknown,
  ): { fn: HeldFunction; type: number } | { errcode: number; errmsg: string } {
    const refused = this.#refuseRequest(token, body) as { errcode: number; errmsg: string };
    if (refused) return refused;
    const { type, env, function_name: name } = body as Record<string, unknown>;
    if (!Number.isInteger(type) || typeof env !== 'string' || typeof name !== 'string') {
      return { errcode: 40101, errmsg: 'missing parameter' };
    }
    if (![1, 2, 3].includes(type as number)) return { errcode: 40097, errmsg: 'invalid args' };
    const fn = this.#found(env, name);
    return 'errcode' in fn ? fn : { fn, type: type as number };
  }

  /** A function of an environment, settled as listed now, or WeChat's error for its absence. */
  #found(env: string, name: string): HeldFunction | { errcode: number; errmsg: string } {
    if (!this.#envs.has(env)) return envNotExists(env);
    const fn = this.#held(env).get(name);
    if (!fn) {
      return {
        errcode: -501000,
        errmsg: `[ResourceNotFound.Function] Function ${name} does not exist.`,
      };
    }
    return settle(fn);
  }

  /** invokecloudfunction: the scripted answer, or the event echoed, as resp_data. */
  #invoke(url: URL, body: unknown): object {
    const refused = this.#refuseToken(url.searchParams.get('access_token'));
    if (refused) return refused;
    const env = url.searchParams.get('env');
    const name = url.searchParams.get('name');
    if (!env || !name) return { errcode: 40101, errmsg: 'missing parameter' };
    if (body === undefined) return { errcode: 44002, errmsg: 'empty post body' };
    const fn = this.#found(env, name);
    if ('errcode' in fn) return fn;
    if (fn.status !== 'Active') {
      return { errcode: -504001, errmsg: `function ${name} is ${fn.status}, not Active` };
    }
    const scripted = this.#invocations.get(name)?.shift();
    if (scripted && 'errcode' in scripted) return scripted;
    const respData = scripted?.respData ?? JSON.stringify({ event: body, function: name });
    return { ...WECHAT_OK, resp_data: respData };
  }

  /** TC3's checks: an error, or undefined when the request is as getuploadsignature signed it. */
  #refuseSignature(req: IncomingMessage, bytes: Buffer): TencentError | undefined {
    const envelope = signedEnvelope(req, this.scfHost);
    if ('error' in envelope) return envelope.error;
    const authorization = req.headers.authorization;
    if (!authorization || !AUTHORIZATION.test(authorization)) {
      return signatureFailure('the Authorization is missing or malformed');
    }
    const hashed = createHash('sha256').update(bytes).digest('hex');
    if (authorization !== this.#authorization(hashed, envelope.timestamp)) {
      return signatureFailure('the body, the Host or the time is not what was signed');
    }
    const action = req.headers['x-tc-action'];
    const version = req.headers['x-tc-version'];
    if (action !== 'UpdateFunctionCode' || version !== '2018-04-16') {
      return {
        code: 'InvalidAction',
        message: `The action ${action} does not exist in version ${version} of scf.`,
      };
    }
    return undefined;
  }

  /** getqcloudtoken: temporary keys for CloudBase's Tencent Cloud API, 10 an hour. */
  #qcloudToken(token: string | null, body: unknown): object {
    const refused = this.#refuseRequest(token, body);
    if (refused) return refused;
    const { lifespan } = body as Record<string, unknown>;
    if (!Number.isInteger(lifespan) || (lifespan as number) < 1 || (lifespan as number) > 7200) {
      return { errcode: 40097, errmsg: 'invalid args: lifespan is 1 to 7200' };
    }
    const keys = this.tcb.issue(lifespan as number);
    if (!keys) return { errcode: 45009, errmsg: 'reach max api daily quota limit' };
    return {
      ...WECHAT_OK,
      secretid: keys.secretId,
      secretkey: keys.secretKey,
      token: keys.token,
      expired_time: keys.expiresAt,
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

/** Listens on 127.0.0.1; returns `127.0.0.1:PORT`. */
async function listenOn(server: Server, port: number): Promise<string> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Tencent Cloud API 3.0's answer: a success with its data, or an error; always HTTP 200. */
/** `answer` without `fields`: of its `Response` when it has one (Tencent Cloud's), else its own. */
function without(answer: object, fields: readonly string[]): object {
  const drop = (o: object) =>
    Object.fromEntries(Object.entries(o).filter(([key]) => !fields.includes(key)));
  const { Response: response } = answer as { Response?: unknown };
  return typeof response === 'object' && response !== null
    ? { ...answer, Response: drop(response) }
    : drop(answer);
}

function tencentAnswer(error?: TencentError, data: object = {}): object {
  const RequestId = randomUUID();
  return {
    Response: error
      ? { Error: { Code: error.code, Message: error.message }, RequestId }
      : { ...data, RequestId },
  };
}

const TOO_LARGE_ERROR: TencentError = {
  code: 'RequestSizeLimitExceeded',
  message: `The request body exceeds ${MAX_SCF_BODY_BYTES} bytes.`,
};
const NOT_A_ZIP: TencentError = {
  code: 'InvalidParameterValue.ZipFile',
  message: 'ZipFile is not a base64 zip.',
};
const NO_INDEX: Reason = {
  errcode: 'ResourceNotFound.File',
  errmsg: 'index.js not found at the root of the zip',
};

/** A base64 zip and the names at its root; undefined when it is not one. */
function zipOf(base64: string): { zip: Buffer; root: Set<string> } | undefined {
  const zip = isBase64(base64) ? Buffer.from(base64, 'base64') : undefined;
  const root = zip && rootFiles(zip);
  return zip && root ? { zip, root } : undefined;
}

/** A type 3 configuration as settings; the cloud's defaults where none was written. */
function configSettings(config: string | undefined): Required<Settings> {
  const {
    timeout = 3,
    environment = [],
    memorySize = 256,
  } = (config && (parseJson(config) as Settings)) || {};
  return { timeout, environment, memorySize };
}

/** The names of a zip's entries, read as strictly as the cloud reads them; undefined when it refuses it. */
function rootFiles(zip: Buffer): Set<string> | undefined {
  try {
    return new Set(readZip(zip).names);
  } catch {
    return undefined;
  }
}

/**
 * Moves a function on to the status it settles at, once its time has come and, after an update,
 * once a list has shown the update.
 */
/** The states an update passes through: each is shown by a list before it moves on. */
const UPDATING = new Set(['Updating', 'UpdatingAndPublishing', 'Publishing']);

function settle(fn: HeldFunction): HeldFunction {
  const shown = !UPDATING.has(fn.status) || fn.settles?.listed;
  if (fn.settles && Date.now() >= fn.settles.at && shown) {
    fn.status = fn.settles.status;
    fn.reason = fn.settles.reason;
    fn.settles = undefined;
  }
  return fn;
}

/** What WeChat answers for an environment that does not exist [seen]. */
function envNotExists(env: string): { errcode: number; errmsg: string } {
  return {
    errcode: -501000,
    errmsg: `[100003] env not exists (${env}) TcbCode: [INVALID_ENV] rid: ${randomBytes(8).toString('hex')}`,
  };
}

/**
 * Reads a request as a thin link would: `bytesPerSecond`, with a pause of `stallMs` after
 * `stallAfterBytes`.
 */
function throttle(
  req: IncomingMessage,
  { bytesPerSecond, stallAfterBytes, stallMs = 0 }: SlowReading,
): void {
  let read = 0;
  let stalled = false;
  req.on('data', (chunk: Buffer) => {
    read += chunk.length;
    req.pause();
    const stall = stallAfterBytes !== undefined && !stalled && read >= stallAfterBytes;
    if (stall) stalled = true;
    const pace = bytesPerSecond ? (chunk.length / bytesPerSecond) * 1000 : 0;
    setTimeout(() => req.resume(), pace + (stall ? stallMs : 0));
  });
}

function now(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * A request's body; TOO_LARGE as soon as it passes `limit` bytes, from when on what comes is
 * dropped; undefined when the request fails.
 */
function readBody(
  req: IncomingMessage,
  limit: number,
): Promise<Buffer | typeof TOO_LARGE | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else resolve(TOO_LARGE);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
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
