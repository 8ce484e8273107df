// What WeChat's errcodes mean and what the action does with each: data, not branches.
// Sources: ../shared/wechat-api.md (createfunction, cloud development and stable_token tables).

export interface Errcode {
  meaning: string;
  /** Transient: the same request may succeed later. */
  retry?: boolean;
  /** WeChat may have acted on the request although it answered with an error. */
  outcomeUnknown?: boolean;
  /** What the user should do; shown with the failure. */
  hint?: string;
}

const STORED_TOKEN =
  'A stored access token expires two hours after it was minted: pass `app-id` and `app-secret` ' +
  'so the action mints a fresh one, or refresh the `access-token` secret before each run.';
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
    hint: `The token is not valid for this account: check which token is in \`access-token\`. ${STORED_TOKEN}`,
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
  41001: {
    meaning: 'access_token missing',
    hint: `Pass \`access-token\`, or \`app-id\` with \`app-secret\`. ${STORED_TOKEN}`,
  },
  42001: { meaning: 'access_token expired', hint: STORED_TOKEN },
  43002: {
    meaning: 'require POST method',
    hint: 'A proxy in front of the API changed the method.',
  },
  45009: { meaning: 'daily quota reached', hint: 'Retry tomorrow, or raise the quota.' },
  45011: { meaning: 'per-minute quota reached', hint: 'Retry next minute.' },
  48001: {
    meaning: 'API not authorized for this account',
    hint: 'The account (or the third-party platform) lacks the cloud development permission set.',
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

/** WeChat documents no answer for an existing function; this is how its errmsg says so. */
export const ALREADY_EXISTS = /ResourceInUse|already exist|已存在/i;
