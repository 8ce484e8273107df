// The WeChat API client. It knows the endpoints, the errcode table and the retry rule; it knows
// nothing of GitHub Actions and reports progress through `onAttempt`, so it runs anywhere.
import type { IncomingMessage } from 'node:http';
import { HttpClient } from '@actions/http-client';
import { ALREADY_EXISTS, errcodeInfo } from './errcodes.js';
import type { Credentials } from './inputs.js';
import { mapLimit } from './map-limit.js';
import { type RetryPolicy, retry } from './retry.js';
import type { Secrets } from './secrets.js';

/** WeChat's answers are a few dozen bytes; anything near this is not WeChat. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** Network errors that prove the request never left this machine. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

const HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

/** What one request came back with, already judged by the errcode table. */
export interface Outcome {
  /** WeChat's errcode; null when no WeChat answer came. */
  errcode: number | null;
  /** WeChat's errmsg, or what went wrong when no answer came. Untrusted, redacted. */
  errmsg: string;
  retry: boolean;
  /** The request may have been carried out although no success came back. */
  outcomeUnknown: boolean;
  /** The answer's JSON object, when it was one. */
  json?: Record<string, unknown>;
}

export type CreateStatus = 'created' | 'exists' | 'failed';

export interface CreateResult {
  functionName: string;
  status: CreateStatus;
  errcode: number | null;
  errmsg: string;
  /** createfunction requests sent. */
  attempts: number;
  /** Why this status, when more is to be said than errcode and errmsg. */
  note?: string;
  durationMs: number;
}

export interface CreateRequest {
  env: string;
  functionNames: readonly string[];
  credentials: Credentials;
  /** createfunction requests in flight at once. */
  parallel: number;
}

export interface Deployment {
  results: CreateResult[];
  /** Why no function was tried: the token could not be had. */
  tokenFailure?: Outcome;
}

export interface AttemptEvent {
  /** What the request was for: a function name, or `access token`. */
  subject: string;
  attempt: number;
  maxAttempts: number;
  outcome: Outcome;
  /** The wait before the next attempt; undefined when none follows. */
  delayMs?: number;
}

export interface ClientOptions {
  baseUrl: string;
  timeoutMs: number;
  userAgent: string;
  retry: RetryPolicy;
  secrets: Secrets;
  onAttempt?: (event: AttemptEvent) => void;
}

export class WeChatClient {
  readonly #http: HttpClient;
  readonly #options: ClientOptions;

  constructor(options: ClientOptions) {
    this.#options = options;
    this.#http = new HttpClient(options.userAgent, [], {
      // Reuse connections across requests and retries. No socket limit: the caller bounds
      // the requests in flight, and a request that timed out must not hold a slot.
      keepAlive: true,
      socketTimeout: options.timeoutMs,
      allowRedirects: false,
      allowRetries: false,
    });
  }

  /** Closes the connections kept for reuse. */
  close(): void {
    this.#http.dispose();
  }

  /**
   * Mints a token with `cgi-bin/stable_token` (never `cgi-bin/token`, which revokes the app's
   * live token, and never `force_refresh`, limited to 20 a day). The token is registered with
   * the secrets before anything else sees it.
   */
  async stableToken(
    appId: string,
    appSecret: string,
  ): Promise<{ token?: string; outcome: Outcome }> {
    const body = { grant_type: 'client_credential', appid: appId, secret: appSecret };
    const { value } = await this.#retry<{ token?: string; outcome: Outcome }>(
      'access token',
      async () => {
        const outcome = await this.#post('/cgi-bin/stable_token', '', {
          ...body,
          force_refresh: false,
        });
        const token = outcome.json?.access_token;
        if (typeof token === 'string' && token !== '') {
          this.#options.secrets.add(token);
          const ok: Outcome = { errcode: 0, errmsg: 'ok', retry: false, outcomeUnknown: false };
          return { value: { outcome: ok, token }, retry: false };
        }
        return { value: { outcome }, retry: outcome.retry };
      },
    );
    return value;
  }

  /** Creates every function of the request; each gets its own attempts and result. */
  async createFunctions(request: CreateRequest): Promise<Deployment> {
    const { env, functionNames, credentials, parallel } = request;
    let token: string;
    if (credentials.kind === 'access-token') token = credentials.accessToken;
    else {
      const minted = await this.stableToken(credentials.appId, credentials.appSecret);
      if (minted.token === undefined) return untried(functionNames, minted.outcome);
      token = minted.token;
    }
    const results = await mapLimit(functionNames, parallel, (name) =>
      this.createFunction(env, name, token),
    );
    return { results };
  }

  /** Creates one function. Never throws: every ending is a result. */
  async createFunction(
    env: string,
    functionName: string,
    accessToken: string,
  ): Promise<CreateResult> {
    const started = Date.now();
    const query = `?access_token=${encodeURIComponent(accessToken)}`;
    // Set once an attempt may have created the function without saying so.
    let lostAnswer = false;
    const { value, attempts } = await this.#retry(functionName, async () => {
      const outcome = await this.#post('/tcb/createfunction', query, {
        env,
        function_name: functionName,
      });
      const exists =
        outcome.errcode !== null && outcome.errcode !== 0 && ALREADY_EXISTS.test(outcome.errmsg);
      const createdEarlier = exists && lostAnswer;
      lostAnswer ||= outcome.outcomeUnknown;
      return { value: { outcome, exists, createdEarlier }, retry: outcome.retry && !exists };
    });
    const { outcome, exists, createdEarlier } = value;
    const base = {
      functionName,
      errcode: outcome.errcode,
      errmsg: outcome.errmsg,
      attempts,
      durationMs: Date.now() - started,
    };
    if (outcome.errcode === 0) return { ...base, status: 'created' };
    if (createdEarlier) {
      return {
        ...base,
        status: 'created',
        note: 'an earlier attempt got no answer and created the function; the retry found it',
      };
    }
    if (exists) return { ...base, status: 'exists' };
    return { ...base, status: 'failed' };
  }

  #retry<T extends { outcome: Outcome }>(
    subject: string,
    attempt: () => Promise<{ value: T; retry: boolean }>,
  ) {
    const { retry: policy, onAttempt } = this.#options;
    return retry(attempt, policy, (n, { outcome }, delayMs) => {
      onAttempt?.({ subject, attempt: n, maxAttempts: policy.maxAttempts, outcome, delayMs });
    });
  }

  /** One POST, bounded in time and size; every way it can end becomes an Outcome. */
  async #post(path: string, query: string, payload: object): Promise<Outcome> {
    const { baseUrl, timeoutMs, secrets } = this.#options;
    let message: IncomingMessage | undefined;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        message?.destroy();
        reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      }, timeoutMs);
    });
    try {
      const response = await Promise.race([
        this.#http.post(`${baseUrl}${path}${query}`, JSON.stringify(payload), HEADERS),
        deadline,
      ]);
      message = response.message;
      const text = await Promise.race([readBounded(message, MAX_ANSWER_BYTES), deadline]);
      return judgeAnswer(message.statusCode ?? 0, message.statusMessage ?? '', text, secrets);
    } catch (error) {
      return judgeFailure(error, message !== undefined, secrets);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Every function fails, untried, when there was no token to try with. */
function untried(functionNames: readonly string[], tokenFailure: Outcome): Deployment {
  const results = functionNames.map((functionName) => ({
    functionName,
    status: 'failed' as const,
    errcode: tokenFailure.errcode,
    errmsg: tokenFailure.errmsg,
    attempts: 0,
    note: 'no access token, so the function was not tried',
    durationMs: 0,
  }));
  return { results, tokenFailure };
}

class AnswerTooLarge extends Error {}

function readBounded(message: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        message.destroy();
        reject(new AnswerTooLarge(`answer larger than ${limit} bytes`));
      } else chunks.push(chunk);
    });
    message.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    message.on('error', reject);
    message.on('close', () => {
      if (!message.complete) reject(new Error('connection closed before the answer was complete'));
    });
  });
}

function judgeAnswer(status: number, statusText: string, text: string, secrets: Secrets): Outcome {
  if (status < 200 || status > 299) {
    const transient = status >= 500 || status === 429;
    return {
      errcode: null,
      errmsg: secrets.redact(`HTTP ${status} ${statusText}`.trim()),
      retry: transient,
      outcomeUnknown: status >= 500,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // A gateway's error page or a cut-off answer: something answered, so the request may have
    // been carried out, and another try may reach WeChat.
    return { errcode: null, errmsg: 'answer is not JSON', retry: true, outcomeUnknown: true };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return {
      errcode: null,
      errmsg: 'answer is not a JSON object',
      retry: false,
      outcomeUnknown: true,
    };
  }
  const answer = json as Record<string, unknown>;
  const errmsg = typeof answer.errmsg === 'string' ? secrets.redact(answer.errmsg) : '';
  if (!Number.isInteger(answer.errcode)) {
    const what = 'errcode' in answer ? 'errcode that is not a number' : 'no errcode';
    return {
      errcode: null,
      errmsg: `answer has ${what}`,
      retry: false,
      outcomeUnknown: true,
      json: answer,
    };
  }
  const errcode = answer.errcode as number;
  const info = errcodeInfo(errcode);
  return {
    errcode,
    errmsg,
    retry: info.retry ?? false,
    outcomeUnknown: info.outcomeUnknown ?? false,
    json: answer,
  };
}

function judgeFailure(error: unknown, answered: boolean, secrets: Secrets): Outcome {
  if (error instanceof AnswerTooLarge) {
    return { errcode: null, errmsg: error.message, retry: false, outcomeUnknown: true };
  }
  const code = (error as { code?: unknown }).code;
  const text = error instanceof Error ? error.message : String(error);
  const errmsg = secrets.redact(
    typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text,
  );
  const sent = answered || !(typeof code === 'string' && NOT_SENT.has(code));
  return { errcode: null, errmsg, retry: true, outcomeUnknown: sent };
}
