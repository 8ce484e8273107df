// Tencent Cloud's route: every call through CloudBase's Tencent Cloud API, signed with keys: the
// keys given, or temporary ones that WeChat hands out for the mini program's token
// (`tcb/getqcloudtoken`, again before they expire: see exchanged-keys.ts). CreateFunction takes
// the code and the settings along; the cloud-call permissions of config.json are WeChat's alone,
// and so is invocation.
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
  type Settings,
} from './cloud.js';
import { ExchangedKeys, isRefusal, type KeyExchange } from './exchanged-keys.js';
import { DEFAULT_TIMEOUT, readVariables } from './function-config.js';
import type { Keys } from './inputs.js';
import { type EntryFields, listAll, PAGE_SIZE, readEntries } from './listing.js';
import type { Remotes } from './route.js';
import type { Uploaded } from './scf-client.js';
import { TcbClient, type TcbSent } from './tcb-client.js';
import { oversized } from './tencent-api.js';
import { TOO_LARGE_HINT } from './tencent-errors.js';
import type { WeChatClient } from './wechat-client.js';

const QCLOUD_KEYS = 'Tencent Cloud keys from tcb/getqcloudtoken';

/** The handler every function of this action has: `main` of the folder's index.js. */
const HANDLER = 'index.main';

export interface TencentCloudOptions extends Remotes {
  env: string;
  /** CloudBase's API, `https://tcb.tencentcloudapi.com`. */
  endpoint: string;
  /** What a new function is created with. */
  runtime: string;
  memoryMb: number;
  /** The keys given; without them, keys are asked of WeChat for its token. */
  keys?: Keys;
  /** WeChat's API, with the token: for the keys when none are given, and for invocations. */
  wechat?: WeChatClient;
}

export class TencentCloud implements Cloud {
  readonly api = 'tencentcloud';
  readonly createCarries = true;
  readonly setsPermissions = false;
  readonly #options: TencentCloudOptions;
  /** The client of the keys signing now: a new one when exchanged keys are renewed. */
  #client: { keys: Keys; tcb: TcbClient } | undefined;
  readonly #exchanged: ExchangedKeys;
  /** Each function's upload body, built once: retries send the very same bytes. */
  readonly #bodies = new WeakMap<PreparedCode, string>();

  constructor(options: TencentCloudOptions) {
    this.#options = options;
    this.#exchanged = new ExchangedKeys({
      exchange: () => this.#exchange(),
      from: QCLOUD_KEYS,
    });
  }

  async connect(): Promise<Refusal | undefined> {
    const client = await this.#tcb();
    return client instanceof TcbClient ? undefined : client;
  }

  /** The client, with keys good for a while yet: those given, or exchanged ones. */
  async #tcb(): Promise<TcbClient | Refusal> {
    const { keys: given, endpoint, transport, secrets, retry, onAttempt } = this.#options;
    const keys = given ?? (await this.#exchanged.current());
    if (isRefusal(keys)) return keys;
    if (this.#client?.keys !== keys) {
      const tcb = new TcbClient({ endpoint, transport, keys, retry, secrets, onAttempt });
      this.#client = { keys, tcb };
    }
    return this.#client.tcb;
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
    if (!(tcb instanceof TcbClient)) return { ok: false, outcome: tcb.outcome };
    const { env, secrets } = this.#options;
    return listAll('ListFunctions', async (offset) => {
      const params = { EnvId: env, Offset: offset, Limit: PAGE_SIZE };
      const { sent } = await tcb.call('ListFunctions', env, params);
      if (!sent.ok) return { ok: false, outcome: sent.outcome };
      const entries = readEntries(sent.outcome.json?.Functions, ENTRY_FIELDS, secrets);
      return entries
        ? { ok: true, value: entries }
        : { ok: false, outcome: failure('ListFunctions answered with no `Functions` list') };
    });
  }

  /** One CreateFunction with the code and the settings; a lost answer may have created it. */
  async create(name: string, { code, settings }: CreateSpec): Promise<CreateAttempts> {
    const refused = (outcome: Outcome) => ({ ok: false, outcome, attempts: 0, unclear: [] });
    const tcb = await this.#tcb();
    if (!(tcb instanceof TcbClient)) return refused(tcb.outcome);
    if (!code) return refused(failure("Tencent Cloud's CreateFunction takes the code along"));
    const { runtime, memoryMb } = this.#options;
    const body = JSON.stringify({
      ...this.#codeFields(name, code),
      Runtime: runtime,
      MemorySize: memoryMb,
      Timeout: settings?.timeout ?? DEFAULT_TIMEOUT,
      ...(settings ? { Environment: environment(settings) } : {}),
    });
    const tooLarge = oversized(Buffer.byteLength(body), TOO_LARGE_HINT);
    if (tooLarge) return refused(tooLarge);
    const unclear: number[] = [];
    let count = 0;
    const { sent, attempts } = await tcb.call('CreateFunction', name, body, (s) => {
      count++;
      if (s.outcome.unclear) unclear.push(count);
    });
    return { ok: sent.ok, outcome: sent.outcome, attempts, unclear };
  }

  /** One UpdateFunctionCode, judged: an `SCFErrorCode` in a success answer is a failure. */
  async upload(name: string, code: PreparedCode): Promise<Uploaded> {
    const refused = (outcome: Outcome, sent?: TcbSent): Uploaded => ({
      kind: 'refused',
      outcome,
      next: sent?.next ?? 'fail',
      url: sent?.url ?? '',
      latencyMs: sent?.latencyMs ?? 0,
      ...(sent?.httpStatus ? { httpStatus: sent.httpStatus } : {}),
    });
    const tcb = await this.#tcb();
    if (!(tcb instanceof TcbClient)) return refused(tcb.outcome);
    let body = this.#bodies.get(code);
    if (body === undefined) {
      body = JSON.stringify(this.#codeFields(name, code));
      this.#bodies.set(code, body);
    }
    const tooLarge = oversized(Buffer.byteLength(body), TOO_LARGE_HINT);
    if (tooLarge) return refused(tooLarge);
    const sent = await tcb.send('UpdateFunctionCode', body);
    if (!sent.ok) return refused(sent.outcome, sent);
    const { SCFErrorCode: scfCode, SCFErrorMsg: scfMessage, RequestId } = sent.outcome.json ?? {};
    if (
      (typeof scfCode === 'string' && scfCode !== '') ||
      (typeof scfCode === 'number' && scfCode !== 0)
    ) {
      const message = typeof scfMessage === 'string' ? `: ${scfMessage}` : '';
      const errmsg = this.#options.secrets.redact(`SCFErrorCode ${scfCode}${message}`);
      return refused(failure(errmsg), sent);
    }
    return {
      kind: 'accepted',
      detail: `ok (RequestId ${RequestId})`,
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

  /** GetFunction's timeout and variables; their values were masked as the answer was read. */
  async readSettings(name: string): Promise<Got<Settings>> {
    const answer = await this.#callFor(name, 'GetFunction', {});
    if (!answer.ok) return answer;
    const { Timeout: timeout, Environment: env } = answer.value;
    // SCF's `Environment`: absent, or without `Variables`, when there are none.
    const variables = (env as { Variables?: unknown } | null | undefined)?.Variables ?? [];
    const environment = readVariables(variables, 'Key', 'Value');
    if (!Number.isInteger(timeout) || !environment) {
      return {
        ok: false,
        outcome: failure('GetFunction answered a timeout or variables it could not read'),
      };
    }
    return { ok: true, value: { timeout: timeout as number, environment } };
  }

  /** UpdateFunctionConfiguration: the timeout and every variable, replacing those held. */
  async writeSettings(name: string, settings: Settings): Promise<Outcome | undefined> {
    const answer = await this.#callFor(name, 'UpdateFunctionConfiguration', {
      Timeout: settings.timeout,
      Environment: environment(settings),
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

  /** `action` for one function of the environment: its answer's `Response`. */
  async #callFor(
    name: string,
    action: string,
    params: object,
  ): Promise<Got<Record<string, unknown>>> {
    const tcb = await this.#tcb();
    if (!(tcb instanceof TcbClient)) return { ok: false, outcome: tcb.outcome };
    const { sent } = await tcb.call(action, name, {
      EnvId: this.#options.env,
      FunctionName: name,
      ...params,
    });
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

/** The variables as SCF takes them. */
function environment(settings: Settings): { Variables: { Key: string; Value: string }[] } {
  return {
    Variables: [...settings.environment].map(([Key, Value]) => ({ Key, Value })),
  };
}
