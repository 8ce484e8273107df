// CloudBase's Tencent Cloud API (tcb.tencentcloudapi.com, version 2018-06-08): every call a POST
// of a JSON body, signed with TC3 right before it is sent (a signature is good for five minutes),
// and answered as Tencent Cloud API 3.0 answers. It knows nothing of GitHub Actions and reports
// every attempt through `onAttempt`, as the WeChat client does.
import type { Outcome } from './cloud.js';
import type { Exchange, Transport } from './http-transport.js';
import type { Keys } from './inputs.js';
import { type RetryPolicy, retry } from './retry.js';
import { Secrets } from './secrets.js';
import { type Signed, tc3Sign } from './tc3.js';
import { judgeTencent } from './tencent-api.js';
import { TCB_ERRORS, type UploadAction } from './tencent-errors.js';
import { type AttemptEvent, maskedValues } from './wechat-client.js';

export const TCB_SERVICE = 'tcb';
export const TCB_VERSION = '2018-06-08';

export interface TcbClientOptions {
  /** `https://tcb.tencentcloudapi.com`, or a loopback stand-in (checked by the inputs). */
  endpoint: string;
  transport: Transport;
  keys: Keys;
  retry: RetryPolicy;
  secrets: Secrets;
  onAttempt?: (event: AttemptEvent) => void;
  /** The clock the signatures' timestamps are read from, in ms. */
  now?: () => number;
}

/** One request as it went: judged, with what the debug log shows of it. */
export interface TcbSent {
  outcome: Outcome;
  /** A success answer: its `Response` is `outcome.json`. */
  ok: boolean;
  /** What a code upload does after this answer. */
  next: UploadAction;
  url: string;
  httpStatus?: number;
  latencyMs: number;
}

/**
 * The secrets an answer carries, by action: registered the moment the answer is read, before
 * anything of it is redacted, logged or returned.
 */
const ANSWER_SECRETS: Readonly<Record<string, (response: Record<string, unknown>) => unknown[]>> = {
  GetFunction: (response) => {
    const variables = (response.Environment as { Variables?: unknown } | null)?.Variables;
    return Array.isArray(variables)
      ? maskedValues(variables.map((v) => (v as { Value?: unknown })?.Value))
      : [];
  },
};

export class TcbClient {
  readonly #options: TcbClientOptions;
  readonly #url: string;

  constructor(options: TcbClientOptions) {
    this.#options = options;
    this.#url = `${options.endpoint}/`;
  }

  /** One send of `body` (JSON text) to `action`, signed now. Never retried, never reported. */
  async send(action: string, body: string): Promise<TcbSent> {
    const { transport, keys, secrets, now = Date.now } = this.#options;
    const signed = tc3Sign({
      url: this.#url,
      service: TCB_SERVICE,
      action,
      version: TCB_VERSION,
      body,
      timestamp: Math.floor(now() / 1000),
      keys,
    });
    const exchange = await transport.post(this.#url, body, signed.headers);
    return {
      ...judge(exchange, secrets, action, signed),
      url: this.#url,
      ...(exchange.answered ? { httpStatus: exchange.status } : {}),
      latencyMs: exchange.latencyMs,
    };
  }

  /**
   * `action` with `params`, retried while the answer is transient, each attempt signed anew and
   * reported; `onSent` hears of every attempt's outcome. Never throws.
   */
  async call(
    action: string,
    subject: string,
    params: object | string,
    onSent: (sent: TcbSent) => void = () => {},
  ): Promise<{ sent: TcbSent; attempts: number }> {
    const { retry: policy, onAttempt } = this.#options;
    const body = typeof params === 'string' ? params : JSON.stringify(params);
    const { value, attempts } = await retry(
      async () => {
        const sent = await this.send(action, body);
        onSent(sent);
        return { value: sent, retry: sent.outcome.retry };
      },
      policy,
      (n, sent, delayMs) =>
        onAttempt?.({
          call: `tencentcloud ${action}`,
          subject,
          ok: sent.ok,
          attempt: n,
          maxAttempts: policy.maxAttempts,
          outcome: sent.outcome,
          url: sent.url,
          httpStatus: sent.httpStatus,
          latencyMs: sent.latencyMs,
          delayMs,
        }),
    );
    return { sent: value, attempts };
  }
}

/** Every way an exchange can end, judged by CloudBase's table; the answer's secrets registered. */
function judge(
  exchange: Exchange,
  secrets: Secrets,
  action: string,
  signed: Signed,
): Pick<TcbSent, 'outcome' | 'ok' | 'next'> {
  const judged = judgeTencent(exchange, secrets, TCB_ERRORS);
  if (judged.ok) {
    for (const secret of ANSWER_SECRETS[action]?.(judged.response) ?? []) {
      if (typeof secret === 'string') secrets.add(secret);
    }
    return {
      ok: true,
      next: 'fail',
      outcome: { errcode: null, errmsg: 'ok', retry: false, unclear: false, json: judged.response },
    };
  }
  // A server may quote what it was sent: this request's signature is a credential too.
  const own = new Secrets();
  own.add(signed.authorization);
  own.add(signed.signature);
  return { ...judged, outcome: { ...judged.outcome, errmsg: own.redact(judged.outcome.errmsg) } };
}
