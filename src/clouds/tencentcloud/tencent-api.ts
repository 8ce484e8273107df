// What every Tencent Cloud API 3.0 endpoint the action sends to shares, the signed upload host
// and CloudBase's API alike: the shape of an answer, and how an exchange is judged by the
// remote's table of error codes.

import type { Exchange } from '../../net/http-transport.js';
import type { Secrets } from '../../secrets/secrets.js';
import type { Outcome, UploadAction } from '../cloud.js';
import { type TencentError, tencentError } from './tencent-errors.js';

type TencentAnswer =
  | { kind: 'ok'; requestId: string; response: Record<string, unknown> }
  | { kind: 'error'; code: string; message: string; requestId?: string }
  | { kind: 'unclear'; why: string };

/**
 * Tencent Cloud API 3.0's answer: a success is a `Response` with a `RequestId` and no `Error`;
 * an error has `Error.Code`. Anything else is neither.
 */
function tencentAnswer(body: string): TencentAnswer {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: 'unclear', why: 'answer is not JSON' };
  }
  const response = (json as { Response?: unknown } | null)?.Response;
  if (typeof response !== 'object' || response === null || Array.isArray(response)) {
    return { kind: 'unclear', why: 'answer has no Response object' };
  }
  const { RequestId: requestId, Error: error } = response as Record<string, unknown>;
  if (error !== undefined) {
    const { Code: code, Message: message } = (error ?? {}) as Record<string, unknown>;
    if (typeof code !== 'string')
      return { kind: 'unclear', why: 'answer has an Error without a Code' };
    return {
      kind: 'error',
      code,
      message: typeof message === 'string' ? message : '',
      ...(typeof requestId === 'string' ? { requestId } : {}),
    };
  }
  if (typeof requestId !== 'string' || requestId === '') {
    return { kind: 'unclear', why: 'answer has a Response without a RequestId' };
  }
  return { kind: 'ok', requestId, response: response as Record<string, unknown> };
}

type TencentJudged =
  | { ok: true; requestId: string; response: Record<string, unknown> }
  | { ok: false; next: UploadAction; outcome: Outcome };

/**
 * Every way an exchange can end: what Tencent Cloud said, judged by `errors`, or what kept it
 * from saying. A request that may have reached the server and got no clear answer is unclear:
 * it may have been carried out. Server text is redacted.
 */
export function judgeTencent(
  exchange: Exchange,
  secrets: Secrets,
  errors: readonly TencentError[],
): TencentJudged {
  const failed = (
    errmsg: string,
    next: UploadAction,
    unclear: boolean,
    error?: TencentError,
  ): TencentJudged => ({
    ok: false,
    next,
    outcome: {
      errcode: null,
      errmsg: secrets.redact(errmsg),
      retry: next === 'retry',
      unclear,
      ...(error?.hint ? { hint: error.hint } : {}),
      ...(error?.refusesAll ? { refusesAll: true } : {}),
    },
  });
  if (!exchange.answered) {
    return failed(exchange.error, exchange.permanent ? 'fail' : 'retry', exchange.sent);
  }
  const { status, statusText, body } = exchange;
  if (status < 200 || status > 299) {
    // A 5xx may come from a gateway that passed the request on; a 4xx or 3xx refused it.
    const transient = status >= 500 || status === 429;
    return failed(
      `HTTP ${status} ${statusText}`.trim(),
      transient ? 'retry' : 'fail',
      status >= 500,
    );
  }
  const answer = tencentAnswer(body);
  if (answer.kind === 'unclear') return failed(answer.why, 'retry', true);
  if (answer.kind === 'ok')
    return { ok: true, requestId: answer.requestId, response: answer.response };
  const error = tencentError(errors, answer.code);
  const requestId = answer.requestId ? ` (RequestId ${answer.requestId})` : '';
  return failed(`${answer.code}: ${answer.message}${requestId}`, error.next, false, error);
}
