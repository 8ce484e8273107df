// The WeChat API client: the endpoints, the errcode table, the retry rule and the token. It knows
// nothing of GitHub Actions and reports every attempt through `onAttempt`, so it runs anywhere.

import type { Exchange, Transport } from '../../net/http-transport.js';
import { type RetryPolicy, retry } from '../../net/retry.js';
import { CREDENTIAL, type WeChatCredentials } from '../../secrets/credentials.js';
import { maskedValues, type Secrets } from '../../secrets/secrets.js';
import { clip, MAX_RESPONSE_CHARS } from '../../text/text.js';
import {
  type AttemptEvent,
  type Call,
  type CreateAttempts,
  failure,
  type Got,
  type Listing,
  type Outcome,
  readVariables,
  type Settings,
} from '../cloud.js';
import { type EntryFields, listAll, PAGE_SIZE, readEntries } from '../listing.js';
import { errcodeInfo, hintOf } from './errcodes.js';
import { signedHeaderSecrets } from './scf-client.js';

/** WeChat's answers are small; anything near this is not WeChat. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Except an invocation's, which carries what the function returned: Tencent Cloud's SCF returns
 * at most 6 MB from a synchronous invocation, and JSON may escape some of it. Only its first
 * MAX_RESPONSE_CHARS are kept.
 */
const MAX_INVOKE_ANSWER_BYTES = 8 * 1024 * 1024;

export { MAX_LIST_PAGES, PAGE_SIZE } from '../listing.js';

/** How long the Tencent Cloud keys of getqcloudtoken live: WeChat's most, 2 hours. */
const KEYS_LIFESPAN_S = 7200;

const HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

export interface ClientOptions {
  baseUrl: string;
  transport: Transport;
  credentials: WeChatCredentials;
  retry: RetryPolicy;
  secrets: Secrets;
  onAttempt?: (event: AttemptEvent) => void;
}

/** What WeChat's config types hold (`tcb/getfuncconfig`, `tcb/uploadfuncconfig`). */
export const CONFIG_TYPE = { permissions: 1, settings: 3 } as const;

/** Temporary Tencent Cloud keys, from `tcb/getqcloudtoken`. */
export interface QcloudKeys {
  secretId: string;
  secretKey: string;
  token: string;
  /** Unix seconds. */
  expiresAt: number;
}

/** Where listfunctions keeps each field of a function [doc, batch variant for the reasons]. */
const ENTRY_FIELDS: EntryFields = {
  name: 'name',
  status: 'status',
  reasons: 'status_reason',
  reasonCode: 'errcode',
  reasonMessage: 'errmsg',
  runtime: 'runtime',
  modTime: 'mod_time',
};

interface CallOptions {
  /** Hears of every attempt's outcome. */
  onOutcome?: (outcome: Outcome) => void;
  /** More query parameters than the token. */
  params?: Record<string, string>;
  /** One attempt only: the caller retries. */
  once?: boolean;
  /** This is the call made again with a token minted anew. */
  again?: boolean;
  /**
   * Sent again only when it provably never left (the connection failed before the body was
   * written): never after a lost answer, which may follow a request carried out.
   */
  onlyUnsent?: boolean;
  /** The largest answer taken, when not MAX_ANSWER_BYTES. */
  maxAnswerBytes?: number;
}

/** Token errcodes after which a minted token is minted again, once. */
const STALE_TOKEN = new Set([42001, 40001]);

export class WeChatClient {
  readonly #options: ClientOptions;
  #token: Promise<Got<string>> | undefined;
  /** Tokens that got an answer other than a token error: a later 40001 means one went stale. */
  readonly #worked = new Set<string>();
  /** The one new token a run may mint when the first goes stale, and the token it replaced. */
  #remint: { stale: string; token: Promise<Got<string>> } | undefined;

  constructor(options: ClientOptions) {
    this.#options = options;
  }

  /** The access token: the one given, or one minted once from the app id and secret. */
  token(): Promise<Got<string>> {
    const { credentials } = this.#options;
    if (credentials.kind === 'access-token') {
      return Promise.resolve({ ok: true, value: credentials.accessToken });
    }
    this.#token ??= this.#mint(credentials.appId, credentials.appSecret);
    return this.#token;
  }

  /**
   * Mints a token with `cgi-bin/stable_token` (never `cgi-bin/token`, which revokes the app's live
   * token, and never `force_refresh`, limited to 20 a day). The token is registered with the
   * secrets before anything else sees it, and checked: an answer without one is a failure.
   */
  async #mint(appId: string, appSecret: string): Promise<Got<string>> {
    const body = {
      grant_type: 'client_credential',
      appid: appId,
      secret: appSecret,
      force_refresh: false,
    };
    let token: string | undefined;
    const { value } = await this.#retry('stable_token', 'access token', async () => {
      const sent = await this.#post('stable_token', '/cgi-bin/stable_token', '', body);
      const { outcome } = sent;
      const minted = outcome.json?.access_token;
      if (outcome.errcode !== 0) return { value: sent, retry: outcome.retry };
      if (typeof minted === 'string' && CREDENTIAL.test(minted)) {
        token = minted;
        return { value: sent, retry: false };
      }
      const what =
        minted === undefined ? 'no access_token' : 'an access_token that is not visible ASCII';
      const errmsg = `stable_token answered errcode 0 with ${what}`;
      return { value: { ...sent, outcome: failure(errmsg) }, retry: false };
    });
    return token === undefined ? { ok: false, outcome: value.outcome } : { ok: true, value: token };
  }

  /** Every function of `env`, page by page (see listAll). */
  listFunctions(env: string): Promise<Listing> {
    return listAll('listfunctions', async (offset) => {
      const { outcome } = await this.#call('listfunctions', env, { env, limit: PAGE_SIZE, offset });
      if (outcome.errcode !== 0) return { ok: false, outcome };
      const entries = readEntries(outcome.json?.functions, ENTRY_FIELDS, this.#options.secrets);
      return entries
        ? { ok: true, value: entries }
        : {
            ok: false,
            outcome: failure('listfunctions answered errcode 0 with no `functions` list'),
          };
    });
  }

  /** Creates one function, retrying what is transient. Never throws: every ending is a value. */
  async createFunction(env: string, functionName: string): Promise<CreateAttempts> {
    const unclear: number[] = [];
    let sent = 0;
    const { outcome, attempts } = await this.#call(
      'createfunction',
      functionName,
      { env, function_name: functionName },
      {
        onOutcome: (o) => {
          sent++;
          if (o.unclear) unclear.push(sent);
        },
      },
    );
    return { ok: outcome.errcode === 0, outcome, attempts, unclear };
  }

  /** The mini program's code secret, registered as a secret before anything of it is told. */
  async codeSecret(): Promise<Got<string>> {
    const { outcome } = await this.#call('getcodesecret', 'code secret', {});
    return field(outcome, 'getcodesecret', 'codesecret');
  }

  /**
   * The signed headers for an upload body whose SHA-256 is `hashedPayload`: one attempt, as the
   * upload that needs it is retried as a whole, a fresh signature each time.
   */
  async uploadSignature(functionName: string, hashedPayload: string): Promise<Got<string>> {
    const payload = { hashed_payload: hashedPayload };
    const { outcome } = await this.#call('getuploadsignature', functionName, payload, {
      once: true,
    });
    return field(outcome, 'getuploadsignature', 'headers');
  }

  /**
   * A configuration of `type` (CONFIG_TYPE), as the JSON text WeChat holds; null when none was
   * ever written (85089). Variable values in it are secrets, registered before it is told.
   */
  async functionConfig(env: string, name: string, type: number): Promise<Got<string | null>> {
    const { outcome } = await this.#call('getfuncconfig', name, { type, env, function_name: name });
    if (outcome.errcode === 85089) return { ok: true, value: null };
    return field(outcome, 'getfuncconfig', 'config');
  }

  /** Replaces the configuration of `type` with `config`, a JSON text. */
  async uploadFunctionConfig(
    env: string,
    name: string,
    type: number,
    config: string,
  ): Promise<Outcome> {
    const payload = { type, env, function_name: name, config };
    return (await this.#call('uploadfuncconfig', name, payload)).outcome;
  }

  /** Invokes `name` with `event` (JSON text); `resp_data`, what it returned. */
  async invoke(env: string, name: string, event: string): Promise<Got<string>> {
    const { outcome } = await this.#call('invokecloudfunction', name, event, {
      params: { env, name },
      onlyUnsent: true,
      maxAnswerBytes: MAX_INVOKE_ANSWER_BYTES,
    });
    const answer = field(outcome, 'invokecloudfunction', 'resp_data', true);
    // Redacted whole, then clipped: a cut could leave part of a secret that redaction misses.
    return answer.ok
      ? { ok: true, value: clip(this.#options.secrets.redact(answer.value), MAX_RESPONSE_CHARS) }
      : answer;
  }

  /** Temporary Tencent Cloud keys for CloudBase's API, masked the moment they arrive. */
  async qcloudKeys(): Promise<Got<QcloudKeys>> {
    const { outcome } = await this.#call('getqcloudtoken', 'Tencent Cloud keys', {
      lifespan: KEYS_LIFESPAN_S,
    });
    if (outcome.errcode !== 0) return { ok: false, outcome };
    const { secretid, secretkey, token, expired_time: expires } = outcome.json ?? {};
    const text = [secretid, secretkey, token].every(
      (value) => typeof value === 'string' && CREDENTIAL.test(value),
    );
    if (!text || typeof expires !== 'number') {
      return {
        ok: false,
        outcome: failure(
          'getqcloudtoken answered errcode 0 without secretid, secretkey, token and expired_time',
        ),
      };
    }
    return {
      ok: true,
      value: {
        secretId: secretid as string,
        secretKey: secretkey as string,
        token: token as string,
        expiresAt: expires,
      },
    };
  }

  /**
   * One call of the API with the token, retried by the rule. A minted token that went stale
   * (42001, or 40001 after it had worked) is minted again, once per run, and the call made again.
   */
  async #call(
    call: Call,
    subject: string,
    payload: object | string,
    options: CallOptions = {},
  ): Promise<{ outcome: Outcome; attempts: number }> {
    const { onOutcome = () => {}, params = {}, once = false, again = false } = options;
    const token = await this.token();
    if (!token.ok) return { outcome: token.outcome, attempts: 0 };
    const query = `?${new URLSearchParams({ access_token: token.value, ...params })}`;
    const attempt = async () => {
      const { neverLeft, ...sent } = await this.#post(call, `/tcb/${call}`, query, payload, {
        maxAnswerBytes: options.maxAnswerBytes,
      });
      onOutcome(sent.outcome);
      return { value: sent, retry: sent.outcome.retry && (neverLeft || !options.onlyUnsent) };
    };
    const { value, attempts } = await this.#retry(call, subject, attempt, once);
    const { outcome } = value;
    if (outcome.errcode !== null && !STALE_TOKEN.has(outcome.errcode)) {
      this.#worked.add(token.value);
    }
    if (again || !this.#isStale(outcome, token.value)) return { outcome, attempts };
    const fresh = await this.#mintAgain(token.value);
    if (!fresh?.ok) return { outcome, attempts };
    const retried = await this.#call(call, subject, payload, { ...options, again: true });
    return { outcome: retried.outcome, attempts: attempts + retried.attempts };
  }

  #isStale({ errcode }: Outcome, token: string): boolean {
    if (this.#options.credentials.kind !== 'app-secret') return false;
    return errcode === 42001 || (errcode === 40001 && this.#worked.has(token));
  }

  /** One new token per run; calls that found the old one stale at the same time share it. */
  #mintAgain(stale: string): Promise<Got<string>> | undefined {
    const { credentials } = this.#options;
    if (credentials.kind !== 'app-secret') return undefined;
    if (this.#remint === undefined) {
      const token = this.#mint(credentials.appId, credentials.appSecret);
      this.#remint = { stale, token };
      this.#token = token;
    }
    return this.#remint.stale === stale ? this.#remint.token : undefined;
  }

  #retry(
    call: Call,
    subject: string,
    attempt: () => Promise<{ value: Sent; retry: boolean }>,
    once = false,
  ) {
    const { onAttempt } = this.#options;
    const policy = once ? { ...this.#options.retry, maxAttempts: 1 } : this.#options.retry;
    return retry(attempt, policy, (n, sent, delayMs) => {
      const { errcode, errmsg } = sent.outcome;
      const ok =
        errcode === 0 || (errcode !== null && !!errcodeInfo(errcode, errmsg, call).expected);
      onAttempt?.({
        call,
        subject,
        ok,
        attempt: n,
        maxAttempts: policy.maxAttempts,
        ...sent,
        delayMs,
      });
    });
  }

  /** One POST, judged by the errcode table. */
  async #post(
    call: Call,
    path: string,
    query: string,
    payload: object | string,
    { maxAnswerBytes }: { maxAnswerBytes?: number } = {},
  ): Promise<Sent & { neverLeft: boolean }> {
    const { baseUrl, transport, secrets, credentials } = this.#options;
    const url = `${baseUrl}${path}${query}`;
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const exchange = await transport.post(url, body, HEADERS, { maxAnswerBytes });
    return {
      neverLeft: !exchange.answered && !exchange.sent,
      outcome: judge(exchange, secrets, call, credentials.kind),
      url: secrets.redact(url),
      httpStatus: exchange.answered ? exchange.status : undefined,
      latencyMs: exchange.latencyMs,
    };
  }
}

/** One request as it went: the judged outcome and what the debug log shows of it. */
type Sent = Pick<AttemptEvent, 'outcome' | 'url' | 'httpStatus' | 'latencyMs'>;

/** A string field of a successful answer, or why there is none. */
function field(outcome: Outcome, call: Call, name: string, emptyAllowed = false): Got<string> {
  if (outcome.errcode !== 0) return { ok: false, outcome };
  const value = outcome.json?.[name];
  if (typeof value !== 'string' || (value === '' && !emptyAllowed)) {
    return { ok: false, outcome: failure(`${call} answered errcode 0 with no ${name}`) };
  }
  return { ok: true, value };
}

/**
 * The secrets an answer carries, by call: registered the moment the answer is read, before its
 * errmsg or anything else of it is redacted, logged or returned.
 */
const ANSWER_SECRETS: Partial<Record<Call, (json: Record<string, unknown>) => unknown[]>> = {
  stable_token: (json) => [json.access_token],
  getcodesecret: (json) => [json.codesecret],
  getuploadsignature: (json) =>
    typeof json.headers === 'string' ? signedHeaderSecrets(json.headers) : [],
  getfuncconfig: (json) => (typeof json.config === 'string' ? variableValues(json.config) : []),
  getqcloudtoken: (json) => [json.secretid, json.secretkey, json.token],
};

/** The values of a type-3 configuration's variables. */
function variableValues(config: string): string[] {
  try {
    const { environment } = JSON.parse(config) as { environment?: unknown };
    return Array.isArray(environment)
      ? maskedValues(environment.map((v) => (v as { value?: unknown })?.value))
      : [];
  } catch {
    return [];
  }
}

/** A type-3 configuration as read: the settings, and every field of it as it came. */
interface HeldConfig {
  settings: Settings;
  fields: Readonly<Record<string, unknown>>;
}

/**
 * A type-3 configuration (JSON text; null when none was ever written): its timeout, unknown when
 * it has none, and its variables. uploadfuncconfig writes the configuration whole, so one without
 * `environment` holds no variables. Undefined when it cannot be read.
 */
export function readSettings(config: string | null): HeldConfig | undefined {
  if (config === null) return { settings: { environment: new Map() }, fields: {} };
  let json: unknown;
  try {
    json = JSON.parse(config);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const fields = json as Record<string, unknown>;
  const variables = readVariables(fields.environment ?? [], 'key', 'value');
  if (!variables) return undefined;
  const { timeout } = fields;
  return {
    settings: {
      ...(Number.isInteger(timeout) ? { timeout: timeout as number } : {}),
      environment: variables,
    },
    fields,
  };
}

/**
 * A type-3 configuration as WeChat takes it, whole: every field `held` had, with the timeout and
 * the variables `settings` sets.
 */
export function settingsConfig(
  held: Readonly<Record<string, unknown>>,
  settings: Settings,
): string {
  return JSON.stringify({
    ...held,
    ...(settings.timeout === undefined ? {} : { timeout: settings.timeout }),
    ...(settings.environment
      ? { environment: [...settings.environment].map(([key, value]) => ({ key, value })) }
      : {}),
  });
}

/** Every way an exchange can end, as an Outcome: what WeChat said, or what kept it from saying. */
function judge(
  exchange: Exchange,
  secrets: Secrets,
  call: Call,
  origin: WeChatCredentials['kind'],
): Outcome {
  if (!exchange.answered) {
    return {
      errcode: null,
      errmsg: secrets.redact(exchange.error),
      retry: !exchange.permanent,
      unclear: exchange.sent,
    };
  }
  const { status, statusText, body } = exchange;
  if (status < 200 || status > 299) {
    // A 5xx may come from a gateway that passed the request on; a 4xx or 3xx refused it.
    return {
      errcode: null,
      errmsg: secrets.redact(`HTTP ${status} ${statusText}`.trim()),
      retry: status >= 500 || status === 429,
      unclear: status >= 500,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    // A gateway's page or a cut-off answer: something answered, so the request may have been
    // carried out, and another try may reach WeChat.
    return { errcode: null, errmsg: 'answer is not JSON', retry: true, unclear: true };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { errcode: null, errmsg: 'answer is not a JSON object', retry: false, unclear: true };
  }
  const answer = json as Record<string, unknown>;
  for (const secret of ANSWER_SECRETS[call]?.(answer) ?? []) {
    if (typeof secret === 'string') secrets.add(secret);
  }
  const errmsg = typeof answer.errmsg === 'string' ? secrets.redact(answer.errmsg) : '';
  if (!Number.isInteger(answer.errcode)) {
    // stable_token answers success without an errcode.
    if (typeof answer.access_token === 'string')
      return { errcode: 0, errmsg: 'ok', retry: false, unclear: false, json: answer };
    const what = 'errcode' in answer ? 'errcode that is not a number' : 'no errcode';
    return {
      errcode: null,
      errmsg: `answer has ${what}`,
      retry: false,
      unclear: true,
      json: answer,
    };
  }
  const errcode = answer.errcode as number;
  const info = errcodeInfo(errcode, errmsg, call);
  const hint = hintOf(info, origin);
  const general = errcodeInfo(errcode, errmsg).meaning;
  return {
    errcode,
    errmsg,
    ...(info.meaning !== general ? { meaning: info.meaning } : {}),
    retry: info.retry ?? false,
    unclear: info.outcomeUnknown ?? info.meaning === 'unknown errcode',
    ...(hint ? { hint } : {}),
    ...(info.refusesAll ? { refusesAll: true } : {}),
    json: answer,
  };
}
