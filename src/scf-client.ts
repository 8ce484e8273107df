// The signed upload host: Tencent Cloud's SCF API, which takes a function's code in the body that
// WeChat signed (`tcb/getuploadsignature`). This client builds that body, decides where a
// signature may be sent, and judges the host's answer. It knows nothing of GitHub Actions.
import { createHash } from 'node:crypto';
import { tencentError, type UploadAction } from './errcodes.js';
import type { Exchange, Transport } from './http-transport.js';
import { LOOPBACK } from './inputs.js';
import type { Secrets } from './secrets.js';
import type { Outcome } from './wechat-client.js';

/** Tencent Cloud's limit for a signed POST body (10 MiB): the base64 zip must fit in it. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Headers of the signature that are not secret: everything else is masked. */
const PUBLIC_HEADERS = new Set([
  'host',
  'content-type',
  'x-tc-action',
  'x-tc-version',
  'x-tc-timestamp',
  'x-tc-region',
  'x-tc-language',
]);

const TENCENT_HOST = /^([a-z0-9-]+\.)*tencentcloudapi\.com$/;

export interface CodeUpload {
  codeSecret: string;
  env: string;
  functionName: string;
  zip: Buffer;
  installDependencies: boolean;
}

export interface UploadBody {
  /** The JSON text, sent exactly as hashed. */
  text: string;
  bytes: number;
  /** Lowercase hex SHA-256 of `text`: the `hashed_payload` to sign. */
  sha256: string;
}

/** The body of the upload, in WeChat's documented field order. */
export function uploadBody(upload: CodeUpload): UploadBody {
  const text = JSON.stringify({
    CodeSecret: upload.codeSecret,
    EnvId: upload.env,
    FunctionName: upload.functionName,
    Handler: 'index.main',
    InstallDependency: upload.installDependencies ? 'TRUE' : 'FALSE',
    ZipFile: upload.zip.toString('base64'),
  });
  return {
    text,
    bytes: Buffer.byteLength(text),
    sha256: createHash('sha256').update(text).digest('hex'),
  };
}

export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
}

/** One upload as it went: the outcome, judged, and what the debug log shows of it. */
export interface Uploaded {
  outcome: Outcome;
  action: UploadAction | 'done';
  /** What to do about Tencent Cloud's error, from the table. */
  hint?: string;
  url: string;
  httpStatus?: number;
  latencyMs: number;
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
    const headers: Record<string, string> = {};
    for (const line of signature.split(/\r?\n/)) {
      const at = line.indexOf(':');
      if (at <= 0) continue;
      const name = line.slice(0, at).trim();
      const value = line.slice(at + 1).trim();
      if (!PUBLIC_HEADERS.has(name.toLowerCase())) {
        this.#secrets.add(value);
        // A server may echo the signature or the key id alone.
        for (const [, part] of value.matchAll(/(?:Signature|Credential)=([^,\s]+)/g)) {
          this.#secrets.add(part);
        }
      }
      headers[name] = value;
    }
    const hostName = Object.keys(headers).find((name) => name.toLowerCase() === 'host');
    const host = hostName === undefined ? '' : headers[hostName];
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
  async upload(request: SignedRequest, body: UploadBody): Promise<Uploaded> {
    const headers = { 'Content-Type': 'application/json', ...request.headers };
    const exchange = await this.#transport.post(request.url, body.text, headers);
    return { ...judge(exchange, this.#secrets), url: request.url, latencyMs: exchange.latencyMs };
  }
}

function judge(exchange: Exchange, secrets: Secrets): Omit<Uploaded, 'url' | 'latencyMs'> {
  const failed = (errmsg: string, action: UploadAction, httpStatus?: number) => ({
    outcome: {
      errcode: null,
      errmsg: secrets.redact(errmsg),
      retry: action !== 'fail',
      unclear: false,
    },
    action,
    httpStatus,
  });
  if (!exchange.answered) return failed(exchange.error, exchange.permanent ? 'fail' : 'retry');
  const { status, statusText, body } = exchange;
  if (status < 200 || status > 299) {
    return failed(
      `HTTP ${status} ${statusText}`.trim(),
      status >= 500 || status === 429 ? 'retry' : 'fail',
      status,
    );
  }
  let response: { RequestId?: unknown; Error?: { Code?: unknown; Message?: unknown } } | undefined;
  try {
    response = (JSON.parse(body) as { Response?: typeof response }).Response;
  } catch {
    return failed('answer is not JSON', 'retry', status);
  }
  if (typeof response !== 'object' || response === null) {
    return failed('answer has no Response', 'fail', status);
  }
  const requestId =
    typeof response.RequestId === 'string' ? ` (RequestId ${response.RequestId})` : '';
  if (response.Error === undefined) {
    return {
      outcome: { errcode: null, errmsg: `ok${requestId}`, retry: false, unclear: false },
      action: 'done',
      httpStatus: status,
    };
  }
  const code = typeof response.Error?.Code === 'string' ? response.Error.Code : 'unknown';
  const message = typeof response.Error?.Message === 'string' ? response.Error.Message : '';
  const { action, hint } = tencentError(code);
  return { ...failed(`${code}: ${message}${requestId}`, action, status), hint };
}
