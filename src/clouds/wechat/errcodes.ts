// What WeChat's errcodes mean and what the action does with each: data, not branches.
// Sources: WeChat's createfunction, cloud development and stable_token tables, named in
// docs/errors.md.

import type { WeChatCredentials } from '../../secrets/credentials.js';
import { oneLine } from '../../text/text.js';
import type { Outcome } from '../cloud.js';

/** Where the token came from: `access-token`, or minted from `app-id` and `app-secret`. */
export type TokenOrigin = WeChatCredentials['kind'];

export interface Errcode {
  meaning: string;
  /** Transient: the same request may succeed later. */
  retry?: boolean;
  /** WeChat may have acted on the request although it answered with an error. */
  outcomeUnknown?: boolean;
  /**
   * Refuses every call of the API set for this token or environment: met on the first list, it
   * stops the run before anything else is sent.
   */
  refusesAll?: boolean;
  /** Met on the list, the run goes on without one: the token may create but not list. */
  listFallback?: boolean;
  /** An answer the call expects, not a failure (a configuration never written). */
  expected?: boolean;
  /** What the user should do; shown with the failure. Some depend on where the token came from. */
  hint?: string | Record<TokenOrigin, string>;
  /** Causes told apart by the errmsg, as for -501000, which wraps the layer underneath. */
  causes?: readonly ({ errmsg: RegExp } & Errcode)[];
}

const AUTHORIZER_TOKEN =
  "These calls take a third-party platform's `authorizer_access_token` for the mini program " +
  '(permission sets 49 and 64). It lives two hours and is refreshed with ' +
  "`cgi-bin/component/api_authorizer_token` by the platform's own token service: fetch a fresh " +
  'one in an earlier step of the same job, mask it, and pass it as `access-token`.';
const OWN_TOKEN_REFUSED =
  "The token was minted from `app-id` and `app-secret`: a mini program's own token, which WeChat " +
  'may refuse for these calls (they are documented for a third-party platform). Deploy through ' +
  "Tencent Cloud's API with `api: tencentcloud`, which takes this token, or pass a third-party " +
  'platform\'s `authorizer_access_token` as `access-token` (see "Which credentials?" in the README).';
const RETRIED =
  'Retried with backoff. If every attempt meets it, run again later, or raise `max-attempts` or `retry-delay-ms`.';
const REQUEST_CHANGED =
  'Something between the runner and WeChat changed the request: check `api-base-url` and the proxy (`https_proxy`).';
const IP_WHITELIST =
  "The runner's IP address is not in the account's API IP whitelist. GitHub-hosted runners change " +
  'IP on every run: use a self-hosted runner with a fixed egress IP and whitelist it, route the ' +
  'calls through an HTTPS proxy with a fixed IP (`https_proxy`), or turn the whitelist off in the ' +
  'WeChat console (Development > Development settings).';

export const ERRCODES: Readonly<Record<number, Errcode>> = {
  0: { meaning: 'ok' },
  [-1]: { meaning: 'system busy', retry: true, hint: RETRIED },
  [-1000]: { meaning: 'system error', retry: true, hint: RETRIED },
  [-501001]: { meaning: 'cloud system error', retry: true, hint: RETRIED },
  [-501002]: {
    meaning: 'response timeout',
    retry: true,
    outcomeUnknown: true,
    hint: 'Retried. WeChat may have acted on the request anyway: the list decides whether a function was created.',
  },
  [-501004]: {
    meaning: 'concurrency over quota',
    retry: true,
    hint: 'Retried. Lower `parallel`, and keep two jobs from deploying to one environment at once (a `concurrency` group per environment).',
  },
  [-501000]: {
    meaning: 'upstream error',
    hint: 'errmsg carries the cause, from the cloud development layer underneath.',
    causes: [
      {
        // [seen] `[100003] env not exists … TcbCode: [INVALID_ENV]`; CloudBase documents
        // INVALID_ENV as an environment id that names no environment.
        errmsg: /env not exists|INVALID_ENV/i,
        meaning: 'environment does not exist',
        refusesAll: true,
        hint: '`env` names no cloud environment of this mini program: copy the id, with its suffix, from the cloud development console (e.g. `test-777bb9`), and check that the token is for the mini program that owns it.',
      },
    ],
  },
  [-501003]: {
    meaning: "request count over the environment's quota",
    hint: "Raise the environment's quota or wait for it to reset.",
  },
  [-501005]: {
    meaning: 'environment abnormal',
    hint: 'Check the environment in the cloud development console.',
  },
  [-501007]: { meaning: 'parameter error', hint: 'Check `env` and `function-name`.' },
  [-501009]: {
    meaning: 'resource invalid or does not exist',
    hint: 'Check that `env` names an environment of this account.',
  },
  [-501019]: {
    meaning: 'unauthorized',
    hint: 'The token does not grant cloud development on this environment.',
  },
  40001: {
    meaning: 'invalid credential',
    refusesAll: true,
    hint: 'The app secret or token is wrong for this app id.',
  },
  40013: { meaning: 'invalid appid', hint: 'Check `app-id`: it is the mini program app id, wx…' },
  40014: {
    meaning: 'invalid access_token',
    refusesAll: true,
    hint: {
      'access-token': `WeChat does not accept the token in \`access-token\`: it is stale, or not this mini program's. ${AUTHORIZER_TOKEN}`,
      'app-secret': OWN_TOKEN_REFUSED,
    },
  },
  40097: {
    meaning: 'invalid args',
    hint: 'WeChat refused a field of the request: check `env`, `function-name` and the configuration inputs.',
  },
  40101: { meaning: 'missing parameter', hint: REQUEST_CHANGED },
  44002: { meaning: 'empty POST body', hint: REQUEST_CHANGED },
  47001: { meaning: 'POST body format error', hint: REQUEST_CHANGED },
  40125: {
    meaning: 'invalid appsecret',
    hint: 'Check `app-secret`; a reset secret invalidates the old one.',
  },
  40164: { meaning: 'caller IP not in the API IP whitelist', refusesAll: true, hint: IP_WHITELIST },
  61004: { meaning: 'caller IP not in the API IP whitelist', refusesAll: true, hint: IP_WHITELIST },
  40243: {
    meaning: 'AppSecret frozen',
    hint: 'The app secret is frozen: unfreeze it in the WeChat console, or reset it and update `app-secret`.',
  },
  41001: {
    meaning: 'access_token missing',
    refusesAll: true,
    hint: 'The request reached WeChat without its token: a proxy or `api-base-url` in between dropped the query string.',
  },
  42001: {
    meaning: 'access_token expired',
    refusesAll: true,
    hint: {
      'access-token': `The token in \`access-token\` expired. ${AUTHORIZER_TOKEN}`,
      'app-secret': 'The minted token expired, and so did the one minted again.',
    },
  },
  43002: {
    meaning: 'require POST method',
    hint: 'A proxy in front of the API changed the method.',
  },
  45009: { meaning: 'daily quota reached', hint: 'Retry tomorrow, or raise the quota.' },
  45011: { meaning: 'per-minute quota reached', hint: 'Retry next minute.' },
  48001: {
    meaning: 'API not authorized for this account',
    listFallback: true,
    hint: {
      'access-token':
        'The third-party platform lacks the cloud development permission sets (49 and 64) for this mini program: the authorizer must grant them to the platform (https://developers.weixin.qq.com/doc/oplatform/en/Third-party_Platforms/2.0/product/miniprogram_authority.html).',
      'app-secret': OWN_TOKEN_REFUSED,
    },
  },
  61007: {
    meaning: 'API not authorized for this account',
    listFallback: true,
    hint: 'The authorizer did not grant the cloud development permission set to the platform.',
  },
  85088: {
    meaning: 'cloud development not enabled',
    refusesAll: true,
    hint: 'Open cloud development for this mini program first.',
  },
  85089: {
    meaning: 'configuration does not exist',
    expected: true,
    hint: 'Not a failure: nothing of this kind was configured yet; the action writes it.',
  },
  [-504001]: {
    meaning: 'cloud function call failed',
    hint: "Check the function's logs in the cloud development console.",
  },
  [-504002]: {
    meaning: 'cloud function execution failed',
    hint: "The function threw or timed out: see its logs in the cloud development console. A function invoked over WeChat's API has 5 s to answer.",
  },
};

/** What an errcode means for one call, where that differs from the table above. */
export const CALL_ERRCODES: Readonly<Record<string, Readonly<Record<number, Partial<Errcode>>>>> = {
  getqcloudtoken: {
    45009: {
      meaning: 'getqcloudtoken limit reached (10 calls an hour)',
      hint: 'WeChat hands out Tencent Cloud keys 10 times an hour per mini program: retry in an hour, or pass Tencent Cloud keys (`tencentcloud-secret-id`, `tencentcloud-secret-key`) instead.',
    },
  },
};

const UNKNOWN: Errcode = { meaning: 'unknown errcode' };

/** What `errcode` means, for this call and this errmsg where the table tells them apart. */
export function errcodeInfo(errcode: number, errmsg = '', call = ''): Errcode {
  const info = Object.hasOwn(ERRCODES, errcode) ? ERRCODES[errcode] : UNKNOWN;
  const forCall = Object.hasOwn(CALL_ERRCODES, call) ? CALL_ERRCODES[call] : {};
  const { errmsg: _pattern, ...cause } = info.causes?.find((c) => c.errmsg.test(errmsg)) ?? {};
  const { causes: _causes, ...general } = info;
  return { ...general, ...cause, ...(Object.hasOwn(forCall, errcode) ? forCall[errcode] : {}) };
}

/** What the user should do, for a token of this origin. */
export function hintOf(info: Errcode, origin: TokenOrigin): string | undefined {
  return typeof info.hint === 'object' ? info.hint[origin] : info.hint;
}

/**
 * Any wording that so much as hints at an existing function: such an answer is never trusted,
 * the list is asked instead.
 */
export const HINTS_EXISTS = /exist|ResourceInUse|存在/i;

/**
 * How existence is inferred when the list cannot be read: WeChat documents no answer for an
 * existing function, and the layer underneath says `ResourceInUse.Function`.
 */
export const SAYS_EXISTS = /ResourceInUse\.Function|already exist|已存在/i;

/** `errcode -1 (system busy): "errmsg"`, or the failure itself when no WeChat answer decided. */
export function describe({
  errcode,
  errmsg,
  meaning = errcode === null ? '' : errcodeInfo(errcode, errmsg).meaning,
}: Pick<Outcome, 'errcode' | 'errmsg' | 'meaning'>): string {
  const text = oneLine(errmsg);
  if (errcode === null) return text;
  return `errcode ${errcode} (${meaning})${text ? `: ${JSON.stringify(text)}` : ''}`;
}
