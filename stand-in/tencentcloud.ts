// A stand-in for Tencent Cloud's API at one URL: CloudBase's (tcb, version 2018-06-08) and SCF's
// (scf, 2018-04-16) function actions, told apart by the service the signature's scope names and by
// `X-TC-Version`, never by the action alone. It checks TC3 signatures against keys of its own (an
// account's, and the temporary ones that getqcloudtoken hands out), takes exactly the fields the
// official SDK's model of each action has, answers only the fields its answer model has, and
// carries the actions out on the same functions as the stand-in WeChat API, through FunctionStore.
// Its expected Authorization is computed with src/clouds/tencentcloud/tc3.ts, which
// test/clouds/tencentcloud/tc3.test.ts holds to the official SDK's signer.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Service } from '../src/clouds/contract.js';
import { tc3Sign } from '../src/clouds/tencentcloud/tc3.js';
import { cronProblem, TRIGGER_NAME } from '../src/clouds/triggers.js';
import type { QcloudKeys } from '../src/clouds/wechat/wechat-client.js';
import { RUNTIMES } from '../src/run/runtimes.js';
import type { HeldFunction, TencentError } from './held.js';
import { keepModelled, modelOf, requestProblem } from './models.js';
import { signatureFailure, signedEnvelope } from './tc3-envelope.js';

export const TCB_ACTIONS = [
  'ListFunctions',
  'GetFunction',
  'CreateFunction',
  'UpdateFunctionCode',
  'UpdateFunctionConfiguration',
] as const;
export type TcbAction = (typeof TCB_ACTIONS)[number];

/** SCF's actions the stand-in serves, recorded (and scripted) as `scf.ACTION`. */
export const SCF_ROUTES = [
  'scf.GetFunction',
  'scf.ListTriggers',
  'scf.CreateTrigger',
  'scf.UpdateTrigger',
] as const;
export type ScfRoute = (typeof SCF_ROUTES)[number];

/** The actions served, by service and version. */
const SERVED: Readonly<Record<string, readonly string[]>> = {
  'tcb 2018-06-08': TCB_ACTIONS,
  'scf 2018-04-16': SCF_ROUTES.map((route) => route.slice('scf.'.length)),
};

/**
 * Reads the models of every action served, once per process: parsing them takes longer than a
 * client waits for its first answer.
 */
export function loadModels(): void {
  for (const [key, actions] of Object.entries(SERVED)) {
    const [service, version] = key.split(' ') as [Service, string];
    for (const action of actions) modelOf(service, version, action);
  }
}

/** How a request is recorded and scripted: a tcb action by its name, another service's as `service.Action`. */
export function tencentRoute(service: string, action: string): string {
  return service === 'tcb' || service === '' ? action : `${service}.${action}`;
}

/** The code a request brings, as UpdateFunctionCode and CreateFunction take it. */
export interface CodeSent {
  ZipFile: string;
  InstallDependency?: string;
  EnvId?: string;
  Namespace?: string;
}

/** What the stand-in's functions offer this API: the same functions WeChat's routes see. */
export interface FunctionStore {
  hasEnv(env: string): boolean;
  /** The functions of `env` as a list shows them now, each marked as listed. */
  listed(env: string): [string, HeldFunction][];
  /** A function as it is now; undefined when there is none. */
  held(env: string, name: string): HeldFunction | undefined;
  /**
   * Creates a function, with its code and settings when given, `Creating` until it settles: the
   * error, or undefined.
   */
  create(
    env: string,
    name: string,
    runtime: string,
    code: CodeSent | undefined,
    settings: Settings,
  ): TencentError | undefined;
  /** Takes new code for a function, as the upload endpoint does: the error, or undefined. */
  takeCode(env: string, name: string, code: CodeSent): TencentError | undefined;
  /** The timeout, variables and memory, as WeChat's getfuncconfig type 3 holds them. */
  settings(fn: HeldFunction): Required<Settings>;
  /** Replaces the timeout, variables and memory, and sets the function updating. */
  configure(fn: HeldFunction, settings: Required<Settings>): void;
}

/** A function's timeout, variables and memory, in the shape of WeChat's type 3 configuration. */
export interface Settings {
  timeout?: number;
  environment?: { key: string; value: string }[];
  memorySize?: number;
}

/** getqcloudtoken hands out keys this many times an hour, then answers 45009. */
export const KEYS_PER_HOUR = 10;
const HOUR_MS = 3_600_000;

type Answer = { error: TencentError } | { data: object };

/** Who handed temporary keys out: getqcloudtoken (`tmp`) or STS. */
type KeyKind = 'tmp' | 'sts';

/** A timer trigger as SCF holds it: its cron as posted, read back wrapped as `{"cron":"…"}`. */
export interface HeldTrigger {
  cron: string;
  addTime: string;
  modTime: string;
}

const error = (code: string, message: string): Answer => ({ error: { code, message } });

export class TcbStandIn {
  /** The account's key the stand-in accepts, besides the temporary ones it hands out. */
  readonly secretId: string;
  readonly secretKey: string;
  /** Every temporary key handed out so far, newest last. */
  readonly issued: QcloudKeys[] = [];
  /**
   * The lifespans, in seconds, of the next keys of each kind, whatever their exchange asks:
   * getqcloudtoken's (`tmp`) and STS's.
   */
  readonly lifespansS: Record<KeyKind, number[]> = { tmp: [], sts: [] };
  /** When each was handed out, in ms. */
  readonly #issuedAt: number[] = [];
  /** The Host every signature must be for: `127.0.0.1:PORT`. */
  host = '';
  readonly #store: FunctionStore;
  /** Each function's timer triggers, by name. */
  readonly #triggers = new WeakMap<HeldFunction, Map<string, HeldTrigger>>();

  constructor(store: FunctionStore, keys: { secretId?: string; secretKey?: string } = {}) {
    this.#store = store;
    this.secretId = keys.secretId ?? `AKID${randomBytes(16).toString('hex')}`;
    this.secretKey = keys.secretKey ?? randomBytes(16).toString('hex');
  }

  /** getqcloudtoken's keys for `lifespanS` seconds; undefined once the hour's share is handed out. */
  issue(lifespanS: number): QcloudKeys | undefined {
    const now = Date.now();
    if (this.#issuedAt.filter((at) => at > now - HOUR_MS).length >= KEYS_PER_HOUR) return undefined;
    this.#issuedAt.push(now);
    return this.mint(lifespanS, 'tmp');
  }

  /**
   * Temporary keys that this API accepts, getqcloudtoken's or STS's, for `lifespanS` seconds
   * unless a test scripted another.
   */
  mint(lifespanS: number, kind: KeyKind): QcloudKeys {
    const keys = {
      secretId: `AKID${kind}${randomBytes(16).toString('hex')}`,
      secretKey: randomBytes(20).toString('base64url'),
      token: randomBytes(300).toString('base64url'),
      expiresAt: Math.floor(Date.now() / 1000) + (this.lifespansS[kind].shift() ?? lifespanS),
    };
    this.issued.push(keys);
    return keys;
  }

  /** The timer triggers of a function, by name: a test may put some in place. */
  triggers(fn: HeldFunction): Map<string, HeldTrigger> {
    const held = this.#triggers.get(fn) ?? new Map<string, HeldTrigger>();
    this.#triggers.set(fn, held);
    return held;
  }

  /** Every temporary key handed out so far expires now. */
  expireTemporaryKeys(): this {
    for (const keys of this.issued) keys.expiresAt = Math.floor(Date.now() / 1000) - 1;
    return this;
  }

  /**
   * Checks the signature, then the request against its model, then carries out the action the
   * service, version and action name; the answer keeps only the fields its model has.
   */
  answer(req: IncomingMessage, bytes: Buffer, body: unknown): Answer {
    const signed = this.#refuseSignature(req, bytes);
    if ('error' in signed) return signed;
    const { service, version } = signed;
    const action = String(req.headers['x-tc-action'] ?? '');
    if (!SERVED[`${service} ${version}`]?.includes(action)) {
      return error('InvalidAction', `The action ${action} does not exist in version ${version}.`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return error('InvalidParameter', 'The request body is not a JSON object.');
    }
    const params = body as Record<string, unknown>;
    const problem = requestProblem(service, version, action, params);
    if (problem) return { error: problem };
    const answered = service === 'scf' ? this.#scf(action, params) : this.#tcb(action, params);
    return 'error' in answered
      ? answered
      : { data: keepModelled(service, version, action, answered.data as Record<string, unknown>) };
  }

  #tcb(action: string, params: Record<string, unknown>): Answer {
    const env = params.EnvId;
    if (typeof env !== 'string' || !this.#store.hasEnv(env)) {
      return error('ResourceNotFound', `The environment ${String(env)} does not exist.`);
    }
    if (action === 'ListFunctions') return this.#list(env, params);
    const name = params.FunctionName;
    if (typeof name !== 'string') return error('InvalidParameter.FunctionName', 'Not a name.');
    if (action === 'CreateFunction') return this.#create(env, name, params);
    const fn = this.#store.held(env, name);
    if (!fn) return error('ResourceNotFound.Function', `Function ${name} does not exist.`);
    if (action === 'GetFunction') return this.#get(name, fn);
    if (action === 'UpdateFunctionCode') return this.#updateCode(env, name, params);
    return this.#configure(fn, params);
  }

  /** SCF's GetFunction and trigger calls: the environment is the namespace. */
  #scf(action: string, params: Record<string, unknown>): Answer {
    const { Namespace: namespace = 'default', FunctionName: name } = params;
    if (typeof namespace !== 'string' || !this.#store.hasEnv(namespace)) {
      return error('ResourceNotFound.Namespace', `Namespace ${String(namespace)} does not exist.`);
    }
    const fn = typeof name === 'string' ? this.#store.held(namespace, name) : undefined;
    if (!fn) return error('ResourceNotFound.Function', `Function ${String(name)} does not exist.`);
    if (action === 'ListTriggers') return this.#listTriggers(fn, params);
    if (action !== 'GetFunction') return this.#trigger(action, fn, params);
    return { data: { ...this.#get(name as string, fn).data, Namespace: namespace } };
  }

  /** CreateTrigger or UpdateTrigger of a timer, on a function that is `Active`. */
  #trigger(action: string, fn: HeldFunction, params: Record<string, unknown>): Answer {
    const { TriggerName: name, Type: type, TriggerDesc: cron } = params;
    if (fn.status !== 'Active') {
      return error(`FailedOperation.${action}`, `The function is ${fn.status}, not Active.`);
    }
    if (type !== 'timer') {
      return error('InvalidParameterValue.Type', 'The stand-in holds timer triggers alone.');
    }
    if (typeof name !== 'string' || !TRIGGER_NAME.test(name)) {
      return error('InvalidParameterValue.TriggerName', 'Not a trigger name.');
    }
    if (typeof cron !== 'string' || cronProblem(cron) !== undefined) {
      return error('InvalidParameterValue.TriggerDesc', 'Not a cron of seven fields.');
    }
    const held = this.triggers(fn);
    const had = held.get(name);
    if (action === 'CreateTrigger' && had) {
      return error('ResourceInUse.Trigger', `Trigger ${name} already exists.`);
    }
    if (action === 'UpdateTrigger' && !had) {
      return error('ResourceNotFound.Trigger', `Trigger ${name} does not exist.`);
    }
    const time = new Date().toISOString().replace('T', ' ').slice(0, 19);
    held.set(name, { cron, addTime: had?.addTime ?? time, modTime: time });
    return { data: {} };
  }

  /** A page of a function's triggers, each as GetFunction shows it. */
  #listTriggers(fn: HeldFunction, params: Record<string, unknown>): Answer {
    const { Offset: offset = 0, Limit: limit = 20 } = params;
    if (!Number.isInteger(offset) || !Number.isInteger(limit) || (limit as number) > 100) {
      return error('InvalidParameterValue', 'Offset and Limit must be whole numbers, Limit ≤ 100.');
    }
    const all = this.#heldTriggers(fn);
    const start = offset as number;
    return {
      data: { Triggers: all.slice(start, start + (limit as number)), TotalCount: all.length },
    };
  }

  /** A function's timers as SCF answers them: the cron wrapped as `{"cron":"…"}`. */
  #heldTriggers(fn: HeldFunction): object[] {
    return [...this.triggers(fn)].map(([triggerName, t]) => ({
      TriggerName: triggerName,
      Type: 'timer',
      TriggerDesc: JSON.stringify({ cron: t.cron }),
      AddTime: t.addTime,
      ModTime: t.modTime,
    }));
  }

  #list(env: string, { Offset: offset = 0, Limit: limit = 20 }: Record<string, unknown>): Answer {
    if (!Number.isInteger(offset) || !Number.isInteger(limit) || (limit as number) > 100) {
      return error('InvalidParameterValue', 'Offset and Limit must be whole numbers, Limit ≤ 100.');
    }
    const all = this.#store.listed(env).map(([name, fn]) => ({
      FunctionName: name,
      Status: fn.status,
      StatusReasons: fn.reason
        ? [{ ErrorCode: fn.reason.errcode, ErrorMessage: fn.reason.errmsg }]
        : [],
      Runtime: fn.runtime,
      AddTime: fn.addTime,
      ModTime: fn.modTime,
    }));
    const start = offset as number;
    return {
      data: { Functions: all.slice(start, start + (limit as number)), TotalCount: all.length },
    };
  }

  /**
   * A function as it is held, variables included: the answer model of each service keeps what
   * it has (CloudBase's has no `Environment`).
   */
  #get(name: string, fn: HeldFunction): { data: object } {
    const { timeout, memorySize, environment } = this.#store.settings(fn);
    return {
      data: {
        FunctionName: name,
        Status: fn.status,
        Runtime: fn.runtime,
        Handler: 'index.main',
        Timeout: timeout,
        MemorySize: memorySize,
        ModTime: fn.modTime,
        Environment: {
          Variables: environment.map(({ key, value }) => ({ Key: key, Value: value })),
        },
        Triggers: this.#heldTriggers(fn),
      },
    };
  }

  #create(env: string, name: string, params: Record<string, unknown>): Answer {
    // CloudBase's CLI creates with Nodejs18.15 when none is named.
    const { Runtime: runtime = 'Nodejs18.15' } = params;
    if (typeof runtime !== 'string' || !Object.hasOwn(RUNTIMES, runtime)) {
      return error(
        'InvalidParameterValue.Runtime',
        `The runtime ${String(runtime)} is not offered.`,
      );
    }
    const settings = readSettings(params);
    if ('error' in settings) return settings;
    // The model makes the code optional: a function may be created empty.
    const code = params.Code === undefined ? undefined : readCode(params);
    if (code && 'error' in code) return code;
    if (this.#store.held(env, name)) {
      return error('ResourceInUse.Function', `Function ${name} already exists.`);
    }
    const refused = this.#store.create(env, name, runtime, code, settings);
    return refused ? { error: refused } : { data: {} };
  }

  #updateCode(env: string, name: string, params: Record<string, unknown>): Answer {
    const code = readCode(params);
    if ('error' in code) return code;
    const refused = this.#store.takeCode(env, name, code);
    return refused ? { error: refused } : { data: {} };
  }

  #configure(fn: HeldFunction, params: Record<string, unknown>): Answer {
    const settings = readSettings(params);
    if ('error' in settings) return settings;
    const held = this.#store.settings(fn);
    this.#store.configure(fn, {
      timeout: settings.timeout ?? held.timeout,
      environment: settings.environment ?? held.environment,
      memorySize: settings.memorySize ?? held.memorySize,
    });
    return { data: {} };
  }

  /** TC3's checks: an error, or the service and version a key held here signed the request for. */
  #refuseSignature(
    req: IncomingMessage,
    bytes: Buffer,
  ): { service: Service; version: string } | { error: TencentError } {
    const failure = (code: string, message: string) => ({ error: { code, message } });
    const envelope = signedEnvelope(req, this.host);
    if ('error' in envelope) return envelope;
    const { timestamp, contentType, secretId, service, version } = envelope;
    if (!secretId) {
      return failure('AuthFailure.InvalidAuthorization', 'The Authorization is not TC3.');
    }
    const temporary = this.issued.find((k) => k.secretId === secretId);
    const secretKey = secretId === this.secretId ? this.secretKey : temporary?.secretKey;
    if (secretKey === undefined) {
      return failure('AuthFailure.SecretIdNotFound', 'The SecretId is not found.');
    }
    const token = req.headers['x-tc-token'];
    if (temporary && (token !== temporary.token || temporary.expiresAt * 1000 < Date.now())) {
      return failure('AuthFailure.TokenFailure', 'The token is invalid or expired.');
    }
    if (!temporary && token !== undefined) {
      return failure('AuthFailure.TokenFailure', 'A token goes only with temporary keys.');
    }
    const expected = tc3Sign({
      url: `http://${this.host}/`,
      service,
      action: String(req.headers['x-tc-action'] ?? ''),
      version,
      body: bytes,
      timestamp,
      keys: { secretId, secretKey },
      contentType,
    });
    if (req.headers.authorization !== expected.authorization) {
      return { error: signatureFailure('the signature does not match the request') };
    }
    return { service: service as Service, version };
  }
}

/**
 * `Code.ZipFile` with `InstallDependency`, checked; `CodeSource` must be ZipFile if given, and the
 * handler the one every function of the action has.
 */
function readCode(params: Record<string, unknown>): CodeSent | { error: TencentError } {
  const { Code: code, CodeSource: source, InstallDependency: install, EnvId, Handler } = params;
  // The model makes the handler optional; the functions here have theirs in index.js.
  if (Handler !== undefined && Handler !== 'index.main') {
    return {
      error: { code: 'InvalidParameterValue.Handler', message: 'The Handler must be index.main.' },
    };
  }
  const zipFile = (code as { ZipFile?: unknown } | null)?.ZipFile;
  if (typeof zipFile !== 'string' || (source !== undefined && source !== 'ZipFile')) {
    return { error: { code: 'InvalidParameterValue.Code', message: 'Code.ZipFile is missing.' } };
  }
  if (install !== undefined && install !== 'TRUE' && install !== 'FALSE') {
    return {
      error: {
        code: 'InvalidParameterValue.InstallDependency',
        message: 'InstallDependency must be TRUE or FALSE.',
      },
    };
  }
  return {
    ZipFile: zipFile,
    ...(typeof install === 'string' ? { InstallDependency: install } : {}),
    EnvId: EnvId as string,
  };
}

/** `Timeout` and `Environment.Variables`, checked, as the settings hold them. */
function readSettings(params: Record<string, unknown>): Settings | { error: TencentError } {
  const { Timeout: timeout, Environment: env, MemorySize: memory } = params;
  if (
    timeout !== undefined &&
    !(Number.isInteger(timeout) && (timeout as number) >= 1 && (timeout as number) <= 900)
  ) {
    return { error: { code: 'InvalidParameterValue.Timeout', message: 'Timeout is 1 to 900.' } };
  }
  if (memory !== undefined && !(Number.isInteger(memory) && (memory as number) >= 64)) {
    return { error: { code: 'InvalidParameterValue.MemorySize', message: 'Not a memory size.' } };
  }
  const sized = memory === undefined ? {} : { memorySize: memory as number };
  if (env === undefined) {
    return timeout === undefined ? sized : { ...sized, timeout: timeout as number };
  }
  const variables = (env as { Variables?: unknown } | null)?.Variables;
  const valid =
    Array.isArray(variables) &&
    variables.every((v) => typeof v?.Key === 'string' && typeof v?.Value === 'string');
  if (!valid) {
    return {
      error: {
        code: 'InvalidParameterValue.Environment',
        message: 'Environment.Variables must be a list of {Key, Value}.',
      },
    };
  }
  return {
    ...sized,
    ...(timeout === undefined ? {} : { timeout: timeout as number }),
    environment: (variables as { Key: string; Value: string }[]).map((v) => ({
      key: v.Key,
      value: v.Value,
    })),
  };
}
