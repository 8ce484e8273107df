// TC3-HMAC-SHA256, Tencent Cloud API 3.0's signature, for a POST with a JSON body. The secret key
// only derives the signing key: it is never sent. What is signed is what the official SDK
// (tencentcloud-sdk-nodejs's `Sign.sign3`) signs: the method, the path, the Content-Type
// and the host (its name without the port, as the SDK takes it), and the SHA-256 of the body.
import { createHash, createHmac } from 'node:crypto';
import type { Keys } from '../../secrets/credentials.js';

const TC3_ALGORITHM = 'TC3-HMAC-SHA256';

/** The Content-Type the SDK sends and signs for a JSON body. */
const JSON_CONTENT_TYPE = 'application/json';

interface Tc3Request {
  /** Where the POST goes: `https://tcb.tencentcloudapi.com/`. */
  url: string;
  /** The product: `tcb`. */
  service: string;
  action: string;
  version: string;
  /** `X-TC-Region`, for the services that take one (not signed: neither is it by the SDK). */
  region?: string;
  /** The body exactly as sent. */
  body: string | Buffer;
  /** The Content-Type sent and signed: JSON_CONTENT_TYPE unless a check signs what another sent. */
  contentType?: string;
  /** Unix seconds: the server refuses a signature more than five minutes off its clock. */
  timestamp: number;
  keys: Keys;
}

/** The signature's parts, each a credential of its own, for the caller to keep from any text. */
export interface Signed {
  headers: Record<string, string>;
  authorization: string;
  signature: string;
}

/** The headers of a signed request, the Authorization among them. */
export function tc3Sign(request: Tc3Request): Signed {
  const { url, service, action, version, region, body, timestamp, keys } = request;
  const contentType = request.contentType ?? JSON_CONTENT_TYPE;
  const { hostname, host, pathname, search } = new URL(url);
  const signedHeaders = 'content-type;host';
  const canonicalRequest = [
    'POST',
    pathname,
    search.slice(1),
    `content-type:${contentType}\nhost:${hostname}\n`,
    signedHeaders,
    sha256Hex(body),
  ].join('\n');
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = [TC3_ALGORITHM, timestamp, scope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(`TC3${keys.secretKey}`, date);
  const kSigning = hmac(hmac(kDate, service), 'tc3_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign).digest('hex');
  const authorization = `${TC3_ALGORITHM} Credential=${keys.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return {
    headers: {
      Authorization: authorization,
      'Content-Type': contentType,
      Host: host,
      'X-TC-Action': action,
      'X-TC-Version': version,
      'X-TC-Timestamp': String(timestamp),
      ...(region ? { 'X-TC-Region': region } : {}),
      ...(keys.sessionToken ? { 'X-TC-Token': keys.sessionToken } : {}),
    },
    authorization,
    signature,
  };
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
