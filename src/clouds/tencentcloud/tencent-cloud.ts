// Tencent Cloud's route: every call through CloudBase's Tencent Cloud API, signed with keys: the
// keys given, or temporary ones that WeChat hands out for the mini program's token
// (`tcb/getqcloudtoken`, again before they expire: see exchanged-keys.ts). CreateFunction takes
// the code and the settings along; the variables are read from SCF, the one API whose GetFunction
// answers them (see docs/credentials.md); the cloud-call permissions of config.json are WeChat's
// alone, and so is invocation. Which call goes where is src/clouds/contract.ts's TENCENT_CALLS.

import type { Keys } from '../../secrets/credentials.js';
import {
  type Cloud,
  type CreateAttempts,
  type CreateSpec,
  failure,
  type Got,
  type Invoked,
  type Listing,
  type Outcome,
  type PreparedCode,
  type Refusal,
  type Remotes,
  readVariables,
  type Settings,
  type TriggerCalls,
  type UploadSent,
} from '../cloud.js';
import { HANDLER, oversized } from '../code-limits.js';
import { TENCENT_CALLS } from '../contract.js';
import { ExchangedKeys, isRefusal, type KeyExchange } from '../exchanged-keys.js';
import {
  type EntryFields,
  listAll,
  MAX_LIST_PAGES,
  PAGE_SIZE,
  readEntries,
  readPages,
} from '../listing.js';
import { type HeldTrigger, heldCron, type TimerTrigger } from '../triggers.js';
import type { WeChatClient } from '../wechat/wechat-client.js';
import { type CallId, TencentClient, type TencentSent } from './tcb-client.js';

const QCLOUD_KEYS = 'Tencent Cloud keys from tcb/getqcloudtoken';

/**
 * What @cloudbase/manager-node creates a function with (`lib/function/index.js`), fields the tcb
 * model's CreateFunction has: the role CloudBase's functions run as, and the mini program's stamp.
 */
const CREATE_AS = { Role: 'TCB_QcsRole', Stamp: 'MINI_QCBASE' } as const;

export interface TencentCloudOptions extends Remotes {
  env: string;
  /** CloudBase's API, `https://tcb.tencentcloudapi.com`, or the stand-in for every service. */
  endpoint: string;
  /** Where SCF's calls go: `ap-shanghai`. */
  region: string;
  /** What a new function is created with. */
  runtime: string;
  memoryMb: number;
  /** The keys given; without them, keys are asked of WeChat for its token. */
  keys?: Keys;
  /** WeChat's API, with the token: for the keys when none are given, and for invocations. */
  wechat?: WeChatClient;
  /** Another exchange for keys than WeChat's (STS's, for GitHub's OIDC token), and their name. */
  keyExchange?: { exchange: KeyExchange; from: string };
}

export class TencentCloud implements Cloud {
  readonly api = 'tencentcloud';
  readonly createCarries = true;
  readonly setsPermissions = false;
  readonly triggers: TriggerCalls = {
    read: (name) => this.#readTriggers(name),
    write: (name, trigger, how) => this.#writeTrigger(name, trigger, how),
  };
  readonly #options: TencentCloudOptions;
  /** The client of the keys signing now: a new one when exchanged keys are renewed. */
  #client: { keys: Keys; client: TencentClient } | undefined;
  readonly #exchanged: ExchangedKeys;
  /** Each function's upload body, built once: retries send the very same bytes. */
  readonly #bodies = new WeakMap<PreparedCode, string>();

  constructor(options: TencentCloudOptions) {
    this.#options = options;
    this.#exchanged = new ExchangedKeys(
      options.keyExchange ?? { exchange: () => this.#exchange(), from: QCLOUD_KEYS },
    );
  }

  async connect(): Promise<Refusal | undefined> {
    const client = await this.#tcb();
    return client instanceof TencentClient ? undefined : client;
  }

  /** The client, with keys good for a while yet: those given, or exchanged ones. */
  async #tcb(): Promise<TencentClient | Refusal> {
    const { keys: given, endpoint, region, transport, secrets, retry, onAttempt } = this.#options;
    const keys = given ?? (await this.#exchanged.current());
    if (isRefusal(keys)) return keys;
    if (this.#client?.keys !== keys) {
      const client = new TencentClient({
        endpoint,
        region,
        transport,
        keys,
        retry,
        secrets,
        onAttempt,
      });
      this.#client = { keys, client };
    }
    return this.#client.client;
  }

  /** Temporary keys for the WeChat token, and when they expire. */
  async #exchange(): ReturnType<KeyExchange> {
    const { wechat } = this.#options;
    if (!wechat) {
      const errmsg = 'neither Tencent Cloud keys nor a WeChat token to exchange for them';
      return { ok: false, refusal: { outcome: failure(errmsg), from: 'Tencent Cloud keys' } };
    }
    const token = await wechat.token();
    if (!token.ok) {
      const from = 'an access token from cgi-bin/stable_token';
      return { ok: false, refusal: { outcome: token.outcome, from } };
    }
    // Masked by the WeChat client the moment they arrive, before anything of the answer is read.
    const exchanged = await wechat.qcloudKeys();
    if (!exchanged.ok) {
      return { ok: false, refusal: { outcome: exchanged.outcome, from: QCLOUD_KEYS } };
    }
    const { secretId, secretKey, token: sessionToken, expiresAt } = exchanged.value;
    return { ok: true, value: { keys: { secretId, secretKey, sessionToken }, expiresAt } };
  }

  /**
   * Every function of the environment, page by page (see listAll). CloudBase's page for
   * ListFunctions could not be read beyond `Functions`: the fields of each entry are SCF's
   * documented ones (ENTRY_FIELDS).
   */
  async list(): Promise<Listing> {
    const tcb = await this.#tcb();
    if (!(tcb instanceof TencentClient)) return { ok: false, outcome: tcb.outcome };
    const { env, secrets } = this.#options;
    return listAll('ListFunctions', async (offset) => {
      const params = { EnvId: env, Offset: offset, Limit: PAGE_SIZE };
      const { sent } = await tcb.call(TENCENT_CALLS.list, env, params);
      if (!sent.ok) return { ok: false, outcome: sent.outcome };
      const entries = readEntries(sent.outcome.json?.Functions, ENTRY_FIELDS, secrets);
      return entries
        ? { ok: true, value: entries }
        : { ok: false, outcome: failure('ListFunctions answered with no `Functions` list') };
    });
  }

  /**
   * One CreateFunction, with the code and the settings when there are; a lost answer may have
   * created it. An `SCFErrorCode` in a success answer is a refusal.
   */
  async create(name: string, { code, settings }: CreateSpec): Promise<CreateAttempts> {
    const refused = (outcome: Outcome) => ({ ok: false, outcome, attempts: 0, unclear: [] });
    const tcb = await this.#tcb();
    if (!(tcb instanceof TencentClient)) return refused(tcb.outcome);
    const { env, runtime, memoryMb } = this.#options;
    const body = JSON.stringify({
      ...(code ? this.#codeFields(name, code) : { EnvId: env, FunctionName: name }),
      Runtime: runtime,
      MemorySize: memoryMb,
      ...CREATE_AS,
      ...(settings?.timeout === undefined ? {} : { Timeout: settings.timeout }),
      ...(settings?.environment ? { Environment: environment(settings.environment) } : {}),
    });
    const tooLarge = oversized(Buffer.byteLength(body));
    if (tooLarge) return refused(tooLarge);
    const unclear: number[] = [];
    let count = 0;
    const { sent, attempts } = await tcb.call(TENCENT_CALLS.create, name, body, (s) => {
      count++;
      if (s.outcome.unclear) unclear.push(count);
    });
    const scf = sent.ok ? this.#scfError(sent) : undefined;
    if (scf) return { ok: false, outcome: scf, attempts, unclear: [] };
    return { ok: sent.ok, outcome: sent.outcome, attempts, unclear };
  }

  /** A success answer that carries `SCFErrorCode`: SCF refused what CloudBase passed on. */
  #scfError(sent: TencentSent): Outcome | undefined {
    const { SCFErrorCode: scfCode, SCFErrorMsg: scfMessage } = sent.outcome.json ?? {};
    const refused =
      (typeof scfCode === 'string' && scfCode !== '') ||
      (typeof scfCode === 'number' && scfCode !== 0);
    if (!refused) return undefined;
    const message = typeof scfMessage === 'string' ? `: ${scfMessage}` : '';
    return failure(this.#options.secrets.redact(`SCFErrorCode ${scfCode}${message}`));
  }

  /** One UpdateFunctionCode, judged: an `SCFErrorCode` in a success answer is a failure. */
  async upload(name: string, code: PreparedCode): Promise<UploadSent> {
    const refused = (outcome: Outcome, sent?: TencentSent): UploadSent => ({
      kind: 'refused',
      outcome,
      next: sent?.next ?? 'fail',
      url: sent?.url ?? '',
      latencyMs: sent?.latencyMs ?? 0,
      ...(sent?.httpStatus ? { httpStatus: sent.httpStatus } : {}),
    });
    const tcb = await this.#tcb();
    if (!(tcb instanceof TencentClient)) return refused(tcb.outcome);
    let body = this.#bodies.get(code);
    if (body === undefined) {
      body = JSON.stringify(this.#codeFields(name, code));
      this.#bodies.set(code, body);
    }
    const tooLarge = oversized(Buffer.byteLength(body));
    if (tooLarge) return refused(tooLarge);
    const sent = await tcb.send(TENCENT_CALLS.code, body);
    if (!sent.ok) return refused(sent.outcome, sent);
    const scf = this.#scfError(sent);
    if (scf) return refused(scf, sent);
    return {
      kind: 'accepted',
      detail: `ok (RequestId ${sent.outcome.json?.RequestId})`,
      url: sent.url,
      latencyMs: sent.latencyMs,
      ...(sent.httpStatus ? { httpStatus: sent.httpStatus } : {}),
    };
  }

  async readPermissions(): Promise<Got<string[] | null>> {
    return { ok: false, outcome: failure(NO_PERMISSIONS) };
  }

  async writePermissions(): Promise<Outcome | undefined> {
    return failure(NO_PERMISSIONS);
  }

  /**
   * CloudBase's GetFunction for the timeout and memory, and, when asked, SCF's for the variables:
   * CloudBase's answer has none. A field an answer lacks is unknown; so are the variables when
   * SCF refuses (the keys `getqcloudtoken` hands out are documented for CloudBase alone). Their
   * values are masked as the answer is read.
   */
  async readSettings(name: string, variables: boolean): Promise<Got<Settings>> {
    const { env } = this.#options;
    const answer = await this.#callFor(name, TENCENT_CALLS.get, { EnvId: env });
    if (!answer.ok) return answer;
    const { Timeout: timeout, MemorySize: memory } = answer.value;
    const settings: Settings = {
      ...(Number.isInteger(timeout) ? { timeout: timeout as number } : {}),
      ...(Number.isInteger(memory) ? { memoryMb: memory as number } : {}),
    };
    if (!variables) return { ok: true, value: settings };
    const scf = await this.#callFor(name, TENCENT_CALLS.variables, { Namespace: env });
    const unread = (why: string): Got<Settings> => ({
      ok: true,
      value: { ...settings, unread: `the variables could not be read: ${why}` },
    });
    if (!scf.ok) return unread(`SCF's GetFunction: ${scf.outcome.errmsg}`);
    const held = scf.value.Environment as { Variables?: unknown } | null | undefined;
    if (held == null) return unread("SCF's GetFunction answered no `Environment`");
    // An `Environment` without `Variables` holds none.
    const read = readVariables(held.Variables ?? [], 'Key', 'Value');
    if (!read) return unread("SCF's GetFunction answered variables it could not read");
    return { ok: true, value: { ...settings, environment: read } };
  }

  /** UpdateFunctionConfiguration of what `settings` sets; the variables written replace all. */
  async writeSettings(name: string, settings: Settings): Promise<Outcome | undefined> {
    const answer = await this.#callFor(name, TENCENT_CALLS.configure, {
      EnvId: this.#options.env,
      ...(settings.timeout === undefined ? {} : { Timeout: settings.timeout }),
      ...(settings.memoryMb === undefined ? {} : { MemorySize: settings.memoryMb }),
      ...(settings.environment ? { Environment: environment(settings.environment) } : {}),
    });
    return answer.ok ? undefined : answer.outcome;
  }

  /**
   * CloudBase's GetFunction's `Triggers`; when its answer has no such list, SCF's ListTriggers.
   * A list neither gives is unknown, not empty: a refusal, so that no trigger is created blindly
   * beside one held.
   */
  async #readTriggers(name: string): Promise<Got<HeldTrigger[]>> {
    const answer = await this.#callFor(name, TENCENT_CALLS.get, { EnvId: this.#options.env });
    if (!answer.ok) return answer;
    if (Array.isArray(answer.value.Triggers)) {
      return heldTriggers(answer.value.Triggers, 'GetFunction');
    }
    const listed = await this.#listTriggers(name);
    if (listed.ok) return listed;
    const errmsg = `GetFunction answered no \`Triggers\` list, and ListTriggers: ${listed.outcome.errmsg}`;
    return { ok: false, outcome: { ...listed.outcome, errmsg } };
  }

  /** SCF's ListTriggers, page by page (see readPages). */
  async #listTriggers(name: string): Promise<Got<HeldTrigger[]>> {
    const read = await readPages(async (offset) => {
      const answer = await this.#callFor(name, TENCENT_CALLS.listTriggers, {
        Namespace: this.#options.env,
        Offset: offset,
        Limit: PAGE_SIZE,
      });
      if (!answer.ok) return answer;
      const list = answer.value.Triggers;
      if (!Array.isArray(list)) return { ok: false, outcome: failure('no `Triggers` list') };
      return heldTriggers(list, 'ListTriggers');
    }, `more than ${MAX_LIST_PAGES} full pages`);
    return read.ok ? { ok: true, value: [...read.value.values()] } : read;
  }

  /** SCF's CreateTrigger, or UpdateTrigger, whose model takes the new cron: one trigger each. */
  async #writeTrigger(
    name: string,
    trigger: TimerTrigger,
    how: 'create' | 'update',
  ): Promise<Outcome | undefined> {
    const call = how === 'create' ? TENCENT_CALLS.createTrigger : TENCENT_CALLS.updateTrigger;
    const answer = await this.#callFor(name, call, {
      Namespace: this.#options.env,
      TriggerName: trigger.name,
      Type: 'timer',
      TriggerDesc: trigger.cron,
    });
    return answer.ok ? undefined : answer.outcome;
  }

  /** CloudBase's Tencent Cloud API documents no invocation: WeChat's, with its token. */
  async invoke(name: string, event: string): Promise<Invoked> {
    const { wechat, env } = this.#options;
    if (!wechat) return { ok: false, outcome: failure('invoking takes a WeChat token') };
    const answer = await wechat.invoke(env, name, event);
    return answer.ok ? { ok: true, response: answer.value } : answer;
  }

  /** What CreateFunction and UpdateFunctionCode both take: the function, its handler and code. */
  #codeFields(name: string, code: PreparedCode) {
    return {
      EnvId: this.#options.env,
      FunctionName: name,
      Handler: HANDLER,
      InstallDependency: code.installDependencies ? 'TRUE' : 'FALSE',
      Code: { ZipFile: code.zip.toString('base64') },
      CodeSource: 'ZipFile',
    };
  }

  /** `call` for one function: its answer's `Response`. */
  async #callFor(
    name: string,
    call: CallId,
    params: object,
  ): Promise<Got<Record<string, unknown>>> {
    const tcb = await this.#tcb();
    if (!(tcb instanceof TencentClient)) return { ok: false, outcome: tcb.outcome };
    const { sent } = await tcb.call(call, name, { FunctionName: name, ...params });
    return sent.ok
      ? { ok: true, value: sent.outcome.json ?? {} }
      : { ok: false, outcome: sent.outcome };
  }
}

/** Where ListFunctions keeps each field of a function, as SCF documents it. */
const ENTRY_FIELDS: EntryFields = {
  name: 'FunctionName',
  status: 'Status',
  reasons: 'StatusReasons',
  reasonCode: 'ErrorCode',
  reasonMessage: 'ErrorMessage',
  runtime: 'Runtime',
  modTime: 'ModTime',
};

const NO_PERMISSIONS =
  "Tencent Cloud's API has no call for the cloud-call permissions: deploy them with `api: wechat`";

/**
 * A `Triggers` list as `call` answers it, each timer's cron normalised; an entry without its name
 * makes the whole list unread.
 */
function heldTriggers(list: unknown[], call: string): Got<HeldTrigger[]> {
  const held = list.flatMap((entry) => {
    const {
      TriggerName: triggerName,
      Type: type,
      TriggerDesc: desc,
    } = (entry ?? {}) as Record<string, unknown>;
    if (typeof triggerName !== 'string') return [];
    const cron = type === 'timer' ? heldCron(desc) : undefined;
    return [
      {
        name: triggerName,
        ...(typeof type === 'string' ? { type } : {}),
        ...(cron ? { cron } : {}),
      },
    ];
  });
  if (held.length !== list.length) {
    return { ok: false, outcome: failure(`${call} answered a trigger without its name`) };
  }
  return { ok: true, value: held };
}

/** The variables as SCF takes them. */
function environment(variables: ReadonlyMap<string, string>): {
  Variables: { Key: string; Value: string }[];
} {
  return { Variables: [...variables].map(([Key, Value]) => ({ Key, Value })) };
}
