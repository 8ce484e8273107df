// Tencent Cloud API 3.0, service by service: CloudBase's (`tcb`), SCF's (`scf`), each at its own
// host and version. Every call a POST of a JSON body, signed with TC3 for its service right
// before it is sent (a signature is good for five minutes), and answered as Tencent Cloud API 3.0
// answers. It knows nothing of GitHub Actions and reports every attempt through `onAttempt`, as
// the WeChat client does.

import { LOOPBACK } from '../../net/hosts.js';
import type { Exchange, Transport } from '../../net/http-transport.js';
import { type RetryPolicy, retry } from '../../net/retry.js';
import type { Keys } from '../../secrets/credentials.js';
import { maskedValues, Secrets } from '../../secrets/secrets.js';
import type { AttemptEvent, Outcome, UploadAction } from '../cloud.js';
import type { Service, TencentCall } from '../contract.js';
import { type Signed, tc3Sign } from './tc3.js';
import { judgeTencent } from './tencent-api.js';
import { STS_ERRORS, TCB_ERRORS, type TencentError } from './tencent-errors.js';

/** Each service's production host. */
const SERVICE_HOSTS: Readonly<Record<Service, string>> = {
  tcb: 'https://tcb.tencentcloudapi.com',
  scf: 'https://scf.tencentcloudapi.com',
  sts: 'https://sts.tencentcloudapi.com',
};

/**
 * The services whose calls name a region (`X-TC-Region`): SCF's functions live in one, and STS
 * takes `Region` as a common parameter.
 */
const REGIONAL: ReadonlySet<Service> = new Set(['scf', 'sts']);

/** What each service's error codes mean. */
const ERRORS: Readonly<Record<Service, readonly TencentError[]>> = {
  tcb: TCB_ERRORS,
  scf: TCB_ERRORS,
  sts: STS_ERRORS,
};

/** Which call a request is: the service it is signed for, its version and action. */
export type CallId = Pick<TencentCall, 'service' | 'version' | 'action'>;

/**
 * Where a service is asked: a loopback `endpoint` (the stand-in) answers every service; any other
 * stands for CloudBase's API alone, and the other services are asked at their own hosts.
 */
export function serviceUrl(service: Service, endpoint: string): string {
  const local = LOOPBACK.test(new URL(endpoint).hostname);
  return `${local || service === 'tcb' ? endpoint : SERVICE_HOSTS[service]}/`;
}

export interface TencentClientOptions {
  /** `tencentcloud-endpoint`: CloudBase's API, or a loopback stand-in (checked by the inputs). */
  endpoint: string;
  /** `tencentcloud-region`: where the regional services' calls go. */
  region: string;
  transport: Transport;
  /** `skip`: unsigned (`Authorization: SKIP`), as STS takes AssumeRoleWithWebIdentity. */
  keys: Keys | 'skip';
  retry: RetryPolicy;
  secrets: Secrets;
  onAttempt?: (event: AttemptEvent) => void;
  /** The clock the signatures' timestamps are read from, in ms. */
  now?: () => number;
}

/** One request as it went: judged, with what the debug log shows of it. */
export interface TencentSent {
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
  AssumeRoleWithWebIdentity: (response) => {
    const credentials = response.Credentials as Record<string, unknown> | null | undefined;
    return [credentials?.TmpSecretId, credentials?.TmpSecretKey, credentials?.Token];
  },
  GetFunction: (response) => {
    const variables = (response.Environment as { Variables?: unknown } | null)?.Variables;
    return Array.isArray(variables)
      ? maskedValues(variables.map((v) => (v as { Value?: unknown })?.Value))
      : [];
  },
};

export class TencentClient {
  readonly #options: TencentClientOptions;

  constructor(options: TencentClientOptions) {
    this.#options = options;
  }

  /** One send of `body` (JSON text) as `call`, signed now. Never retried, never reported. */
  async send(call: CallId, body: string): Promise<TencentSent> {
    const { transport, keys, secrets, endpoint, region, now = Date.now } = this.#options;
    const url = serviceUrl(call.service, endpoint);
    const signed = tc3Sign({
      url,
      service: call.service,
      action: call.action,
      version: call.version,
      ...(REGIONAL.has(call.service) ? { region } : {}),
      body,
      timestamp: Math.floor(now() / 1000),
      // Unsigned requests are signed with nothing, and the Authorization is replaced.
      keys: keys === 'skip' ? { secretId: '', secretKey: '' } : keys,
    });
    const headers = keys === 'skip' ? { ...signed.headers, Authorization: 'SKIP' } : signed.headers;
    const exchange = await transport.post(url, body, headers);
    return {
      ...judge(exchange, secrets, call, signed),
      url,
      ...(exchange.answered ? { httpStatus: exchange.status } : {}),
      latencyMs: exchange.latencyMs,
    };
  }

  /**
   * `action` with `params`, retried while the answer is transient, each attempt signed anew and
   * reported; `onSent` hears of every attempt's outcome. Never throws.
   */
  async call(
    call: CallId,
    subject: string,
    params: object | string,
    onSent: (sent: TencentSent) => void = () => {},
  ): Promise<{ sent: TencentSent; attempts: number }> {
    const { retry: policy, onAttempt } = this.#options;
    const body = typeof params === 'string' ? params : JSON.stringify(params);
    const { value, attempts } = await retry(
      async () => {
        const sent = await this.send(call, body);
        onSent(sent);
        return { value: sent, retry: sent.outcome.retry };
      },
      policy,
      (n, sent, delayMs) =>
        onAttempt?.({
          call: `tencentcloud ${call.service === 'tcb' ? '' : `${call.service} `}${call.action}`,
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

/** Every way an exchange can end, judged by the Tencent Cloud API's table; the answer's secrets registered. */
function judge(
  exchange: Exchange,
  secrets: Secrets,
  { service, action }: CallId,
  signed: Signed,
): Pick<TencentSent, 'outcome' | 'ok' | 'next'> {
  const judged = judgeTencent(exchange, secrets, ERRORS[service]);
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
