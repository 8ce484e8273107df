// The WeChat API client: the endpoints, the errcode table, the retry rule and the token. It knows
// nothing of GitHub Actions and reports every attempt through `onAttempt`, so it runs anywhere.
import { errcodeInfo } from './errcodes.js';
import type { Exchange, Transport } from './http-transport.js';
import { CREDENTIAL, type Credentials } from './inputs.js';
import { type RetryPolicy, retry } from './retry.js';
import type { Secrets } from './secrets.js';

/** WeChat's answers are small; anything near this is not WeChat. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** listfunctions pages with this many entries, as WeChat's example and Tencent's CLI do. */
export const PAGE_SIZE = 20;

const HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

/** What one call came back with, judged by the errcode table. */
export interface Outcome {
  /** WeChat's errcode; null when no WeChat answer came. */
  errcode: number | null;
  /** WeChat's errmsg, or what went wrong when no answer came. Untrusted, redacted. */
  errmsg: string;
  retry: boolean;
  /** The request may have been carried out, and nothing clear says whether it was. */
  unclear: boolean;
  /** The answer's JSON object, when it was one. */
  json?: Record<string, unknown>;
}

export type Call =
  | 'stable_token'
  | 'listfunctions'
  | 'createfunction'
  | 'getcodesecret'
  | 'getuploadsignature'
  /** The code sent to the signed host (the upload client's call, reported the same way). */
  | 'upload';

export interface AttemptEvent {
  call: Call;
  /** What the request was for: a function name, an environment, or `access token`. */
  subject: string;
  attempt: number;
  maxAttempts: number;
  outcome: Outcome;
  /** The URL with every secret scrubbed. */
  url: string;
  /** The HTTP status, when an answer came. */
  httpStatus?: number;
  latencyMs: number;
  /** The wait before the next attempt; undefined when none follows. */
  delayMs?: number;
}

export interface ClientOptions {
  baseUrl: string;
  transport: Transport;
  credentials: Credentials;
  retry: RetryPolicy;
  secrets: Secrets;
  onAttempt?: (event: AttemptEvent) => void;
}

export interface ListedFunction {
  name: string;
  /** `Active`, `Creating`, `CreateFailed`, `Updating`, `UpdateFailed`, `Deleting`, … */
  status: string;
  /** Why a function failed, from `status_reason`, on one line; redacted. */
  reason?: string;
}

export type Listing =
  | { ok: true; functions: Map<string, ListedFunction>; outcome: Outcome }
  | { ok: false; outcome: Outcome };

export interface CreateAttempts {
  /** The last answer. */
  outcome: Outcome;
  attempts: number;
  /** The attempts that may have created the function although their answers did not say so. */
  unclear: number[];
}

export type Got<T> = { ok: true; value: T } | { ok: false; outcome: Outcome };

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
      const sent = await this.#post('/cgi-bin/stable_token', '', body);
      const { outcome } = sent;
      const minted = outcome.json?.access_token;
      if (outcome.errcode !== 0) return { value: sent, retry: outcome.retry };
      if (typeof minted === 'string') this.#options.secrets.add(minted);
      if (typeof minted === 'string' && CREDENTIAL.test(minted)) {
        token = minted;
        return { value: sent, retry: false };
      }
      const what =
        minted === undefined ? 'no access_token' : 'an access_token that is not visible ASCII';
      const errmsg = `stable_token answered errcode 0 with ${what}`;
      return {
        value: { ...sent, outcome: { errcode: null, errmsg, retry: false, unclear: false } },
        retry: false,
      };
    });
    return token === undefined ? { ok: false, outcome: value.outcome } : { ok: true, value: token };
  }

  /** Reads every function of `env`, page by page, with no more pages than the count needs. */
  async listFunctions(env: string): Promise<Listing> {
    const functions = new Map<string, ListedFunction>();
    let maxPages = 1;
    let outcome: Outcome | undefined;
    for (let pages = 0, offset = 0; pages < maxPages; pages++) {
      const answer = await this.#call('listfunctions', env, { env, limit: PAGE_SIZE, offset });
      outcome = answer.outcome;
      if (outcome.errcode !== 0) return { ok: false, outcome };
      const page = readPage(outcome.json ?? {}, this.#options.secrets);
      if (page === undefined) {
        const errmsg = 'listfunctions answered errcode 0 with no `functions` list';
        return { ok: false, outcome: { errcode: null, errmsg, retry: false, unclear: false } };
      }
      if (pages === 0) maxPages = Math.ceil(page.total / PAGE_SIZE) + 1;
      for (const fn of page.functions) functions.set(fn.name, fn);
      offset += page.functions.length;
      if (page.functions.length === 0 || offset >= page.total) break;
    }
    return { ok: true, functions, outcome: outcome as Outcome };
  }

  /** Creates one function, retrying what is transient. Never throws: every ending is a value. */
  async createFunction(env: string, functionName: string): Promise<CreateAttempts> {
    const unclear: number[] = [];
    let sent = 0;
    const { outcome, attempts } = await this.#call(
      'createfunction',
      functionName,
      { env, function_name: functionName },
      (o) => {
        sent++;
        if (o.unclear) unclear.push(sent);
      },
    );
    return { outcome, attempts, unclear };
  }

  /** The mini program's code secret, registered as a secret before it is returned. */
  async codeSecret(): Promise<Got<string>> {
    const { outcome } = await this.#call('getcodesecret', 'code secret', {});
    const secret = outcome.json?.codesecret;
    if (outcome.errcode !== 0) return { ok: false, outcome };
    if (typeof secret !== 'string' || secret === '') {
      const errmsg = 'getcodesecret answered errcode 0 with no codesecret';
      return { ok: false, outcome: { ...outcome, errcode: null, errmsg } };
    }
    this.#options.secrets.add(secret);
    return { ok: true, value: secret };
  }

  /** The signed headers for an upload body whose SHA-256 is `hashedPayload`; a secret. */
  async uploadSignature(functionName: string, hashedPayload: string): Promise<Got<string>> {
    const { outcome } = await this.#call('getuploadsignature', functionName, {
      hashed_payload: hashedPayload,
    });
    const headers = outcome.json?.headers;
    if (outcome.errcode !== 0) return { ok: false, outcome };
    if (typeof headers !== 'string' || headers === '') {
      const errmsg = 'getuploadsignature answered errcode 0 with no headers';
      return { ok: false, outcome: { ...outcome, errcode: null, errmsg } };
    }
    return { ok: true, value: headers };
  }

  /**
   * One call of the API with the token, retried by the rule. A minted token that went stale
   * (42001, or 40001 after it had worked) is minted again, once per run, and the call made again.
   */
  async #call(
    call: Call,
    subject: string,
    payload: object,
    onOutcome: (outcome: Outcome) => void = () => {},
    again = false,
  ): Promise<{ outcome: Outcome; attempts: number }> {
    const token = await this.token();
    if (!token.ok) return { outcome: token.outcome, attempts: 0 };
    const query = `?access_token=${encodeURIComponent(token.value)}`;
    const { value, attempts } = await this.#retry(call, subject, async () => {
      const sent = await this.#post(`/tcb/${call}`, query, payload);
      onOutcome(sent.outcome);
      return { value: sent, retry: sent.outcome.retry };
    });
    const { outcome } = value;
    if (outcome.errcode !== null && !STALE_TOKEN.has(outcome.errcode)) {
      this.#worked.add(token.value);
    }
    if (again || !this.#isStale(outcome, token.value)) return { outcome, attempts };
    const fresh = await this.#mintAgain(token.value);
    if (!fresh?.ok) return { outcome, attempts };
    const retried = await this.#call(call, subject, payload, onOutcome, true);
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

  #retry(call: Call, subject: string, attempt: () => Promise<{ value: Sent; retry: boolean }>) {
    const { retry: policy, onAttempt } = this.#options;
    return retry(attempt, policy, (n, sent, delayMs) => {
      onAttempt?.({ call, subject, attempt: n, maxAttempts: policy.maxAttempts, ...sent, delayMs });
    });
  }

  /** One POST, judged by the errcode table. */
  async #post(path: string, query: string, payload: object): Promise<Sent> {
    const { baseUrl, transport, secrets } = this.#options;
    const url = `${baseUrl}${path}${query}`;
    const exchange = await transport.post(url, JSON.stringify(payload), HEADERS);
    return {
      outcome: judge(exchange, secrets),
      url: secrets.redact(url),
      httpStatus: exchange.answered ? exchange.status : undefined,
      latencyMs: exchange.latencyMs,
    };
  }
}

/** One request as it went: the judged outcome and what the debug log shows of it. */
type Sent = Pick<AttemptEvent, 'outcome' | 'url' | 'httpStatus' | 'latencyMs'>;

function readPage(
  json: Record<string, unknown>,
  secrets: Secrets,
): { total: number; functions: ListedFunction[] } | undefined {
  const { functions, total_count: total } = json;
  if (!Array.isArray(functions)) return undefined;
  const listed: ListedFunction[] = [];
  for (const entry of functions) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { name, status, status_reason: reasons } = entry as Record<string, unknown>;
    if (typeof name !== 'string') continue;
    const reason = Array.isArray(reasons)
      ? reasons
          .map((r) => {
            const { errcode, errmsg } = (r ?? {}) as Record<string, unknown>;
            return [errcode, errmsg]
              .filter((part) => typeof part === 'string' || typeof part === 'number')
              .join(': ');
          })
          .filter(Boolean)
          .join('; ')
      : '';
    listed.push({
      name,
      status: typeof status === 'string' ? status : 'unknown',
      ...(reason ? { reason: secrets.redact(reason) } : {}),
    });
  }
  const count =
    Number.isInteger(total) && (total as number) >= 0 ? (total as number) : listed.length;
  return { total: count, functions: listed };
}

/** Every way an exchange can end, as an Outcome: what WeChat said, or what kept it from saying. */
function judge(exchange: Exchange, secrets: Secrets): Outcome {
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
  const info = errcodeInfo(errcode);
  return {
    errcode,
    errmsg,
    retry: info.retry ?? false,
    unclear: info.outcomeUnknown ?? info.meaning === 'unknown errcode',
    json: answer,
  };
}
