// What both Tencent Cloud hosts of the stand-in (the signed upload host and CloudBase's API)
// check around a TC3 signature before they compare it: the request is `POST /` with a JSON body,
// for the Host that was signed, at a time within the signature's window.
import type { IncomingMessage } from 'node:http';
import type { TencentError } from './server.js';

/** Tencent Cloud refuses a signature whose timestamp is further than this from its clock. */
export const SIGNATURE_WINDOW_S = 300;

export function signatureFailure(why: string): TencentError {
  return {
    code: 'AuthFailure.SignatureFailure',
    message: `The provided credentials could not be validated: ${why}.`,
  };
}

/** The request's timestamp, or why it cannot carry a signature for `host`. */
export function signedEnvelope(
  req: IncomingMessage,
  host: string,
): { timestamp: number } | { error: TencentError } {
  // The method and path are part of what TC3 signs, as `POST /`.
  if (req.method !== 'POST' || req.url !== '/') {
    return { error: signatureFailure('only POST / is signed') };
  }
  if (req.headers.host !== host)
    return { error: signatureFailure('the Host is not the signed host') };
  if (req.headers['content-type'] !== 'application/json') {
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
  return { timestamp };
}
