// What both Tencent Cloud hosts of the stand-in (the signed upload host and CloudBase's API)
// check around a TC3 signature before they compare it: the request is `POST /` with a JSON body,
// for the Host that was signed, at a time within the signature's window; and which key and which
// service the credential's scope names, so that a host serving several (tcb, scf, sts) can tell
// them apart (an unsigned request is STS's).
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TencentError } from './held.js';

/** Tencent Cloud refuses a signature whose timestamp is further than this from its clock. */
export const SIGNATURE_WINDOW_S = 300;

export function signatureFailure(why: string): TencentError {
  return {
    code: 'AuthFailure.SignatureFailure',
    message: `The provided credentials could not be validated: ${why}.`,
  };
}

/**
 * A JSON body's Content-Type, as the SDK and our signer send it, or with the charset that
 * Tencent Cloud's pages show and manager-node leaves out: both are signed as sent.
 */
const JSON_TYPE = /^application\/json(; ?charset=utf-8)?$/i;

/**
 * A TC3 Authorization as the SDK and our signer write it: its scope,
 * `KEY/DATE/SERVICE/tc3_request`, names the key and the service the request was signed for.
 */
const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/\d{4}-\d{2}-\d{2}\/([a-z]+)\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/;

/** The key and the service of a TC3 Authorization's scope; '' for each when it is not TC3's. */
function scopeOf(authorization: string | undefined): { secretId: string; service: string } {
  const [, secretId = '', service = ''] = AUTHORIZATION.exec(authorization ?? '') ?? [];
  return { secretId, service };
}

/**
 * The service a request to the Tencent Cloud API is for: the one its scope names ('' when none),
 * or STS for an unsigned one (`Authorization: SKIP`), the one unsigned call the stand-in takes.
 */
export function requestService(headers: IncomingHttpHeaders): string {
  return headers.authorization === 'SKIP' ? 'sts' : scopeOf(headers.authorization).service;
}

export interface Envelope {
  timestamp: number;
  /** The Content-Type as sent, which the signature covers. */
  contentType: string;
  /** The key of the credential's scope; '' when the Authorization is not TC3's. */
  secretId: string;
  /** The service of the credential's scope (`tcb`, `scf`, `sts`); '' when there is none. */
  service: string;
  /** `X-TC-Version`; '' when there is none. */
  version: string;
}

/** The request's timestamp, scope and version, or why it cannot carry a signature for `host`. */
export function signedEnvelope(
  req: IncomingMessage,
  host: string,
): Envelope | { error: TencentError } {
  // The method and path are part of what TC3 signs, as `POST /`.
  if (req.method !== 'POST' || req.url !== '/') {
    return { error: signatureFailure('only POST / is signed') };
  }
  if (req.headers.host !== host)
    return { error: signatureFailure('the Host is not the signed host') };
  const contentType = req.headers['content-type'] ?? '';
  if (!JSON_TYPE.test(contentType)) {
    return { error: signatureFailure('the Content-Type is not application/json') };
  }
  const stamp = req.headers['x-tc-timestamp'];
  if (typeof stamp !== 'string' || !/^\d{1,12}$/.test(stamp)) {
    return { error: signatureFailure('X-TC-Timestamp is missing or not a number') };
  }
  const timestamp = Number(stamp);
  if (Math.abs(Date.now() / 1000 - timestamp) > SIGNATURE_WINDOW_S) {
    return { error: { code: 'AuthFailure.SignatureExpire', message: 'Signature expired.' } };
  }
  const version = req.headers['x-tc-version'];
  return {
    timestamp,
    contentType,
    ...scopeOf(req.headers.authorization),
    version: typeof version === 'string' ? version : '',
  };
}
