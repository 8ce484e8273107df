// The signed upload host: Tencent Cloud's SCF API, which takes a function's code in the body that
// WeChat signed (`tcb/getuploadsignature`), built by ../code-limits.ts. This client decides where
// a signature may be sent, and judges the host's answer. It knows nothing of GitHub Actions.
import { LOOPBACK, TENCENT_HOST } from '../../net/hosts.js';
import type { Exchange, Transport } from '../../net/http-transport.js';
import type { Secrets } from '../../secrets/secrets.js';
import type { UploadSent, UploadTry } from '../cloud.js';
import type { UploadBody } from '../code-limits.js';
import { judgeTencent } from '../tencentcloud/tencent-api.js';
import { UPLOAD_HOST_ERRORS } from '../tencentcloud/tencent-errors.js';

/** Headers of a signature whose values are public: they say what the request is, not who. */
const PUBLIC_HEADERS = new Set([
  'host',
  'content-type',
  'x-tc-action',
  'x-tc-version',
  'x-tc-timestamp',
  'x-tc-region',
  'x-tc-language',
]);

/** Headers whose value is a credential, whatever its length. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-tc-token']);

/**
 * An unknown header's value at least this long may be a credential and is masked; shorter ones
 * (`10`, `close`, `chunked`) are common words, and masking them would garble every message.
 */
const MIN_SECRET_LENGTH = 16;

export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
}

/**
 * The parts of a signature (`Name:value` lines) that carry a credential: the Authorization, its
 * signature and its credential id on their own (a server may echo either alone), X-TC-Token, and
 * any other unknown value long enough to be a credential.
 */
export function signedHeaderSecrets(signature: string): string[] {
  const secrets: string[] = [];
  for (const [name, value] of headerLines(signature)) {
    const lower = name.toLowerCase();
    if (PUBLIC_HEADERS.has(lower)) continue;
    if (CREDENTIAL_HEADERS.has(lower) || value.length >= MIN_SECRET_LENGTH) secrets.push(value);
    for (const [, part] of value.matchAll(/(?:Signature|Credential)=([^,\s]+)/g)) {
      secrets.push(part, part.split('/')[0]);
    }
  }
  return secrets.filter((secret) => secret !== '');
}

/** `Name:value` lines, split at the first colon of each. */
function headerLines(signature: string): [string, string][] {
  return signature.split(/\r?\n/).flatMap((line) => {
    const at = line.indexOf(':');
    return at <= 0
      ? []
      : [[line.slice(0, at).trim(), line.slice(at + 1).trim()] as [string, string]];
  });
}

export class ScfClient {
  readonly #transport: Transport;
  readonly #secrets: Secrets;
  /** Loopback hosts are allowed only when the API itself is on loopback: the stand-in. */
  readonly #loopbackScheme: string | undefined;

  constructor({
    transport,
    secrets,
    apiBaseUrl,
  }: {
    transport: Transport;
    secrets: Secrets;
    apiBaseUrl: string;
  }) {
    this.#transport = transport;
    this.#secrets = secrets;
    const api = new URL(apiBaseUrl);
    this.#loopbackScheme = LOOPBACK.test(api.hostname) ? api.protocol : undefined;
  }

  /**
   * Reads WeChat's signature (`Name:value` lines) into headers, masking every secret value, and
   * decides where it may go: a Tencent Cloud host over https, never anywhere else, so that the
   * code secret and the signature reach no one but the host they were made for.
   */
  sign(signature: string): SignedRequest | { refused: string } {
    for (const secret of signedHeaderSecrets(signature)) this.#secrets.add(secret);
    const headers: Record<string, string> = {};
    const seen = new Map<string, string>();
    for (const [name, value] of headerLines(signature)) {
      // The same header twice: which one the host checks is not known, so neither is sent.
      const earlier = seen.get(name.toLowerCase());
      if (earlier !== undefined && earlier !== value) {
        return {
          refused: `the upload signature gives ${name} twice, with different values: nothing was sent`,
        };
      }
      seen.set(name.toLowerCase(), value);
      headers[name] = value;
    }
    const host = seen.get('host') ?? '';
    let url: URL | undefined;
    try {
      url = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[::1\](:\d{1,5})?$/.test(host)
        ? new URL(`https://${host}/`)
        : undefined;
    } catch {
      url = undefined;
    }
    if (url && TENCENT_HOST.test(url.hostname)) return { url: url.href, headers };
    if (url && this.#loopbackScheme && LOOPBACK.test(url.hostname)) {
      url.protocol = this.#loopbackScheme;
      return { url: url.href, headers };
    }
    const what = host ? `the host ${JSON.stringify(host.slice(0, 80))}` : 'no Host header';
    return {
      refused: `the upload signature names ${what}, not a tencentcloudapi.com host: nothing was sent`,
    };
  }

  /** Sends the body exactly as hashed, with the signed headers. Never throws. */
  async upload(request: SignedRequest, body: UploadBody): Promise<UploadSent> {
    const headers = { 'Content-Type': 'application/json', ...request.headers };
    const exchange = await this.#transport.post(request.url, body.text, headers);
    return {
      ...judge(exchange, this.#secrets),
      url: request.url,
      ...(exchange.answered ? { httpStatus: exchange.status } : {}),
      latencyMs: exchange.latencyMs,
    };
  }
}

/** What the host did with one send: took it, or why not and what to do next. */
function judge(exchange: Exchange, secrets: Secrets): UploadTry {
  const judged = judgeTencent(exchange, secrets, UPLOAD_HOST_ERRORS);
  return judged.ok
    ? { kind: 'accepted', detail: `ok (RequestId ${judged.requestId})` }
    : { kind: 'refused', outcome: judged.outcome, next: judged.next };
}
