// What WeChat's errcodes mean and what the action does with each: data, not branches.
// Sources: ../shared/wechat-api.md (createfunction, cloud development and stable_token tables).

import type { Credentials } from './inputs.js';

/** Where the token came from: `access-token`, or minted from `app-id` and `app-secret`. */
export type TokenOrigin = Credentials['kind'];

export interface Errcode {
  meaning: string;
  /** Transient: the same request may succeed later. */
  retry?: boolean;
  /** WeChat may have acted on the request although it answered with an error. */
  outcomeUnknown?: boolean;
  /** What the user should do; shown with the failure. Some depend on where the token came from. */
  hint?: string | Record<TokenOrigin, string>;
}

const AUTHORIZER_TOKEN =
  "These calls take a third-party platform's `authorizer_access_token` for the mini program " +
  '(permission sets 49 and 64). It lives two hours and is refreshed with ' +
  "`cgi-bin/component/api_authorizer_token` by the platform's own token service: fetch a fresh " +
  'one in an earlier step of the same job, mask it, and pass it as `access-token`.';
const OWN_TOKEN_REFUSED =
  "The token was minted from `app-id` and `app-secret`: a mini program's own token, which WeChat " +
  'may refuse for these calls (they are documented for a third-party platform). Pass a ' +
  "third-party platform's `authorizer_access_token` as `access-token` instead (see Credentials " +
  'in the README).';
const IP_WHITELIST =
  "The runner's IP address is not in the account's API IP whitelist. GitHub-hosted runners change " +
  'IP on every run: use a self-hosted runner with a fixed egress IP and whitelist it, route the ' +
  'calls through an HTTPS proxy with a fixed IP (`https_proxy`), or turn the whitelist off in the ' +
  'WeChat console (Development > Development settings).';

export const ERRCODES: Readonly<Record<number, Errcode>> = {
  0: { meaning: 'ok' },
  [-1]: { meaning: 'system busy', retry: true },
  [-1000]: { meaning: 'system error', retry: true },
  [-501001]: { meaning: 'cloud system error', retry: true },
  [-501002]: { meaning: 'response timeout', retry: true, outcomeUnknown: true },
  [-501004]: { meaning: 'concurrency over quota', retry: true },
  [-501000]: {
    meaning: 'upstream error',
    hint: 'errmsg carries the cause; `[100003] env not exists` means `env` names no environment of this account.',
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
    hint: 'The app secret or token is wrong for this app id.',
  },
  40013: { meaning: 'invalid appid', hint: 'Check `app-id`: it is the mini program app id, wx…' },
  40014: {
    meaning: 'invalid access_token',
    hint: {
      'access-token': `WeChat does not accept the token in \`access-token\`: it is stale, or not this mini program's. ${AUTHORIZER_TOKEN}`,
      'app-secret': OWN_TOKEN_REFUSED,
    },
  },
  40101: { meaning: 'missing parameter' },
  40125: {
    meaning: 'invalid appsecret',
    hint: 'Check `app-secret`; a reset secret invalidates the old one.',
  },
  40164: { meaning: 'caller IP not in the API IP whitelist', hint: IP_WHITELIST },
  61004: { meaning: 'caller IP not in the API IP whitelist', hint: IP_WHITELIST },
  40243: {
    meaning: 'AppSecret frozen',
    hint: 'The app secret is frozen: unfreeze it in the WeChat console, or reset it and update `app-secret`.',
  },
  41001: { meaning: 'access_token missing', hint: AUTHORIZER_TOKEN },
  42001: {
    meaning: 'access_token expired',
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
    hint: {
      'access-token':
        'The third-party platform lacks the cloud development permission sets (49 and 64) for this mini program: the authorizer must grant them to the platform.',
      'app-secret': OWN_TOKEN_REFUSED,
    },
  },
  61007: {
    meaning: 'API not authorized for this account',
    hint: 'The authorizer did not grant the cloud development permission set to the platform.',
  },
  85088: {
    meaning: 'cloud development not enabled',
    hint: 'Open cloud development for this mini program first.',
  },
};

const UNKNOWN: Errcode = { meaning: 'unknown errcode' };

export function errcodeInfo(errcode: number): Errcode {
  return Object.hasOwn(ERRCODES, errcode) ? ERRCODES[errcode] : UNKNOWN;
}

/** What the user should do about `errcode`, for a token of this origin. */
export function hintFor(errcode: number | null, origin: TokenOrigin): string | undefined {
  const hint = errcode === null ? undefined : errcodeInfo(errcode).hint;
  return typeof hint === 'object' ? hint[origin] : hint;
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

/** What the upload does after an error of the signed upload host (Tencent Cloud API 3.0). */
export type UploadAction = 'sign-again' | 'retry' | 'wait' | 'fail';

export interface TencentError {
  code: RegExp;
  action: UploadAction;
  hint?: string;
}

/** Tencent Cloud's error codes, most specific first; any other code fails at once. */
export const TENCENT_ERRORS: readonly TencentError[] = [
  {
    code: /^AuthFailure\.SignatureExpire$/,
    action: 'sign-again',
    hint: "The signature was more than five minutes old when it arrived: check the runner's clock.",
  },
  {
    code: /^AuthFailure\./,
    action: 'fail',
    hint: 'The upload host refused the signature or the code secret: the body must be sent exactly as it was hashed, and the token must belong to this mini program.',
  },
  {
    code: /^RequestSizeLimitExceeded/,
    action: 'fail',
    hint: 'The upload body is over 10 MB: set `install-dependencies: true` to leave node_modules/ out, or list what to leave out in `.wechatignore`.',
  },
  {
    code: /^InvalidParameter/,
    action: 'fail',
    hint: 'The upload host refused a field of the body; check `env` and the function folder.',
  },
  { code: /^(RequestLimitExceeded|InternalError)/, action: 'retry' },
  // Often the function is still being created or updated: wait for it, if the list says so.
  { code: /^(ResourceInUse|FailedOperation)/, action: 'wait' },
];

export function tencentError(code: string): TencentError {
  return TENCENT_ERRORS.find((e) => e.code.test(code)) ?? { code: /(?:)/, action: 'fail' };
}
