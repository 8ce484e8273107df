// The credentials and the route they take: WeChat's token or app secret, Tencent Cloud's keys
// (inputs or the TENCENTCLOUD_* variables), a CAM role for GitHub's OIDC token, and what
// `api: auto` makes of them; the Tencent Cloud endpoint and region.

import type { Api } from '../clouds/cloud.js';
import type { Keys, Oidc, WeChatCredentials } from '../secrets/credentials.js';
import { parseBaseUrl } from './network.js';
import { DEFAULTS, type Get, InputError, oneOf, quote, visibleAscii } from './read.js';

/** What the `api` input may say: a route by name, or `auto` to let the other inputs decide. */
const API_CHOICES = ['auto', 'wechat', 'tencentcloud'] as const;
type ApiChoice = (typeof API_CHOICES)[number];

/** The inputs Tencent Cloud keys are read from. */
const KEY_INPUTS: Readonly<Record<keyof Keys, string>> = {
  secretId: 'tencentcloud-secret-id',
  secretKey: 'tencentcloud-secret-key',
  sessionToken: 'tencentcloud-session-token',
};

/** The variables Tencent Cloud keys are read from when the inputs are empty. */
const KEY_VARIABLES: Readonly<Record<keyof Keys, string>> = {
  secretId: 'TENCENTCLOUD_SECRET_ID',
  secretKey: 'TENCENTCLOUD_SECRET_KEY',
  sessionToken: 'TENCENTCLOUD_SESSION_TOKEN',
};

const APP_ID = /^wx[0-9A-Za-z]{16}$/;
/**
 * A CAM role as STS's model documents its ARN: by name, `qcs::cam::uin/100012345678:roleName/deploy`,
 * or by id, `qcs::cam::uin/100012345678:role/4611686018427397919`.
 */
const ROLE_ARN = /^qcs::cam::uin\/\d{5,20}:(roleName\/[\w+=,.@-]{1,128}|role\/\d{1,20})$/;
/** An identity provider's name in CAM. */
const PROVIDER_ID = /^[\w+=,.@-]{1,128}$/;
/** The variables the runner sets only for a job with `permissions: id-token: write`. */
const ID_TOKEN_VARIABLES = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'];

type Environment = Readonly<Record<string, string | undefined>>;

/** Said of the Tencent Cloud route's inputs given with `api: wechat`. */
const NOT_FOR_WECHAT =
  'is for `api: tencentcloud`; with `api: wechat` the calls take `access-token`, or `app-id` with `app-secret`';
/** Said when no route has credentials. */
const NO_CREDENTIALS =
  'is missing: pass `access-token`, or `app-id` with `app-secret`, or Tencent Cloud keys (see "Which credentials?" in the README)';

/** Every credential as given, each handed to `onSecret` the moment it is read. */
interface GivenCredentials {
  accessToken: string;
  appSecret: string;
  keyInputs: Record<keyof Keys, string>;
  keyVariables: Record<keyof Keys, string>;
}

export function readCredentials(
  get: Get,
  environment: Environment,
  onSecret: (value: string) => void,
): GivenCredentials {
  const secret = (value: string) => {
    if (value !== '') onSecret(value);
    return value;
  };
  const accessToken = secret(get('access-token'));
  const appSecret = secret(get('app-secret'));
  const readKeys = (names: Record<keyof Keys, string>, read: (name: string) => string) => ({
    secretId: secret(read(names.secretId)),
    secretKey: secret(read(names.secretKey)),
    sessionToken: secret(read(names.sessionToken)),
  });
  return {
    accessToken,
    appSecret,
    keyInputs: readKeys(KEY_INPUTS, get),
    keyVariables: readKeys(KEY_VARIABLES, (name) => environment[name]?.trim() ?? ''),
  };
}

export interface Route {
  /** The route, `auto` resolved. */
  api: Api;
  /** Why that route, for the log's first line: `access-token given`. */
  because: string;
  wechat?: WeChatCredentials;
  keys?: Keys;
  /** Keys from GitHub's OIDC token, exchanged at STS for a CAM role. */
  oidc?: Oidc;
}

/** The credentials checked, and the route `api` asks for, `auto` decided. */
export function parseRoute(get: Get, given: GivenCredentials, environment: Environment): Route {
  const wechat = parseWeChatCredentials(given.accessToken, get('app-id'), given.appSecret);
  const choice = oneOf(get, 'api', API_CHOICES);
  const oidc = parseOidc(get, choice, given.keyInputs, environment);
  const { api, keys, because } = oidc
    ? oidcRoute(choice, wechat)
    : chooseRoute(choice, wechat, given.keyInputs, given.keyVariables);
  return {
    api,
    because,
    ...(wechat ? { wechat } : {}),
    ...(keys ? { keys } : {}),
    ...(oidc ? { oidc } : {}),
  };
}

/** Where Tencent Cloud's API is, for the keys: checked on either route. */
export function parseTencentCloudApi(get: Get): { endpoint: string; region: string } {
  return {
    endpoint: parseBaseUrl(get('tencentcloud-endpoint'), 'tencentcloud-endpoint'),
    region: parseRegion(get('tencentcloud-region')),
  };
}

function parseWeChatCredentials(
  accessToken: string,
  appId: string,
  appSecret: string,
): WeChatCredentials | undefined {
  if (accessToken !== '' && (appId !== '' || appSecret !== '')) {
    throw new InputError(
      'access-token',
      'and `app-id`/`app-secret` were both given: pass either `access-token`, or `app-id` with `app-secret`',
    );
  }
  if (accessToken !== '') {
    visibleAscii('access-token', accessToken);
    return { kind: 'access-token', accessToken };
  }
  if (appId === '' && appSecret === '') return undefined;
  if (appSecret === '') throw new InputError('app-secret', 'is required with `app-id`');
  if (appId === '') throw new InputError('app-id', 'is required with `app-secret`');
  if (!APP_ID.test(appId)) {
    // Never quoted: a secret pasted into the wrong input would end up in the log and outputs.
    throw new InputError(
      'app-id',
      `must be a mini program app id: \`wx\` and 16 letters or digits; got ${shape(appId)}`,
    );
  }
  visibleAscii('app-secret', appSecret);
  return { kind: 'app-secret', appId, appSecret };
}

/** The keys, from the inputs (`fromInputs`) or else from the TENCENTCLOUD_* variables. */
function parseKeys(
  { secretId, secretKey, sessionToken }: Record<keyof Keys, string>,
  fromInputs: boolean,
): Keys {
  const name = (key: keyof Keys) => (fromInputs ? KEY_INPUTS : KEY_VARIABLES)[key];
  if (secretId === '' && secretKey === '') {
    throw new InputError(
      name('sessionToken'),
      'goes with a secret id and key, and neither was given',
    );
  }
  if (secretId === '')
    throw new InputError(name('secretId'), `is required with ${name('secretKey')}`);
  if (secretKey === '')
    throw new InputError(name('secretKey'), `is required with ${name('secretId')}`);
  visibleAscii(name('secretId'), secretId);
  visibleAscii(name('secretKey'), secretKey);
  if (sessionToken !== '') visibleAscii(name('sessionToken'), sessionToken);
  return { secretId, secretKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** The inputs that gave the WeChat token, as the first log line names them. */
function wechatInputs(wechat: WeChatCredentials): string {
  return wechat.kind === 'access-token' ? 'access-token' : 'app-id and app-secret';
}

/** How the Tencent Cloud route's `because` begins: the route, when it was asked for by name. */
function routeNamed(choice: ApiChoice): string {
  return choice === 'auto' ? '' : 'api: tencentcloud, ';
}

/** How the Tencent Cloud route's `because` ends when a WeChat token was given too. */
function keptForInvoke(wechat: WeChatCredentials | undefined): string {
  return wechat ? `; ${wechatInputs(wechat)} kept for invoke` : '';
}

/**
 * The route, its keys and why. `auto` decides from the step's own inputs first: key inputs take
 * the Tencent Cloud route, a WeChat token WeChat's; the TENCENTCLOUD_* variables, which another
 * step may have left in the job, count only when the step was given neither.
 */
function chooseRoute(
  choice: ApiChoice,
  wechat: WeChatCredentials | undefined,
  keyInputs: Record<keyof Keys, string>,
  keyVariables: Record<keyof Keys, string>,
): { api: Api; keys?: Keys; because: string } {
  const given = (values: Record<keyof Keys, string>) =>
    Object.values(values).some((value) => value !== '');
  if (given(keyInputs)) {
    if (choice === 'wechat') {
      throw new InputError('tencentcloud-secret-id', NOT_FOR_WECHAT);
    }
    return {
      api: 'tencentcloud',
      keys: parseKeys(keyInputs, true),
      because: `${routeNamed(choice)}tencentcloud-secret-id given${keptForInvoke(wechat)}`,
    };
  }
  if (choice === 'wechat' || (choice === 'auto' && wechat)) {
    if (!wechat) {
      throw new InputError('access-token', NO_CREDENTIALS);
    }
    const unused = given(keyVariables) ? '; the TENCENTCLOUD_* variables are not used' : '';
    return {
      api: 'wechat',
      because: `${choice === 'auto' ? `${wechatInputs(wechat)} given` : 'api: wechat'}${unused}`,
    };
  }
  const keys = given(keyVariables) ? parseKeys(keyVariables, false) : undefined;
  const route = routeNamed(choice);
  if (keys)
    return { api: 'tencentcloud', keys, because: `${route}keys from the TENCENTCLOUD_* variables` };
  if (choice === 'tencentcloud' && wechat) {
    return {
      api: 'tencentcloud',
      because: `${route}keys exchanged for the WeChat token of ${wechatInputs(wechat)}`,
    };
  }
  throw new InputError(
    choice === 'auto' ? 'access-token' : 'tencentcloud-secret-id',
    choice === 'auto'
      ? NO_CREDENTIALS
      : 'is missing: `api: tencentcloud` takes Tencent Cloud keys, or a WeChat token (`access-token`, or `app-id` with `app-secret`) to exchange for them',
  );
}

/**
 * The role to assume with GitHub's OIDC token, when `tencentcloud-role-arn` is given: checked,
 * with the job's permission to ask for the token, before any request.
 */
function parseOidc(
  get: Get,
  choice: ApiChoice,
  keyInputs: Record<keyof Keys, string>,
  environment: Environment,
): Oidc | undefined {
  const roleArn = get('tencentcloud-role-arn');
  const providerId = get('tencentcloud-oidc-provider-id');
  const audience = get('oidc-audience');
  if (roleArn === '') {
    if (providerId !== '') {
      throw new InputError('tencentcloud-oidc-provider-id', 'goes with `tencentcloud-role-arn`');
    }
    return undefined;
  }
  if (choice === 'wechat') {
    throw new InputError('tencentcloud-role-arn', NOT_FOR_WECHAT);
  }
  if (Object.values(keyInputs).some((value) => value !== '')) {
    throw new InputError(
      'tencentcloud-role-arn',
      'and `tencentcloud-secret-id` were both given: pass either a role to assume with the job’s OIDC token, or keys',
    );
  }
  if (!ROLE_ARN.test(roleArn)) {
    throw new InputError(
      'tencentcloud-role-arn',
      `must be a CAM role's ARN, by name as \`qcs::cam::uin/100012345678:roleName/deploy\` or by id as \`qcs::cam::uin/100012345678:role/4611686018427397919\`; got ${quote(roleArn)}`,
    );
  }
  if (providerId === '') {
    throw new InputError(
      'tencentcloud-oidc-provider-id',
      "is required with `tencentcloud-role-arn`: the name of CAM's identity provider for GitHub",
    );
  }
  if (!PROVIDER_ID.test(providerId)) {
    throw new InputError(
      'tencentcloud-oidc-provider-id',
      `must be an identity provider's name in CAM: letters, digits and \`+=,.@_-\`; got ${quote(providerId)}`,
    );
  }
  visibleAscii('oidc-audience', audience);
  if (ID_TOKEN_VARIABLES.some((name) => !environment[name])) {
    throw new InputError(
      'tencentcloud-role-arn',
      "needs GitHub's OIDC token, and this job may not ask for it: give the job `permissions: id-token: write`",
    );
  }
  return { roleArn, providerId, audience };
}

/** The Tencent Cloud route with keys from the OIDC exchange; a WeChat token kept for invoke. */
function oidcRoute(
  choice: ApiChoice,
  wechat: WeChatCredentials | undefined,
): { api: Api; keys?: Keys; because: string } {
  return {
    api: 'tencentcloud',
    because: `${routeNamed(choice)}tencentcloud-role-arn given: keys from GitHub's OIDC token${keptForInvoke(wechat)}`,
  };
}

/** A Tencent Cloud region as it is written: `ap-shanghai`, `ap-guangzhou`, `na-siliconvalley`. */
function parseRegion(region: string): string {
  if (!/^[a-z]{2,4}(-[a-z]+){1,2}(-\d+)?$/.test(region)) {
    throw new InputError(
      'tencentcloud-region',
      `must be a Tencent Cloud region such as \`${DEFAULTS['tencentcloud-region']}\`; got ${quote(region)}`,
    );
  }
  return region;
}

/** Describes a credential-shaped value without showing it. */
function shape(value: string): string {
  const start = value.startsWith('wx') ? 'starting with `wx`' : 'not starting with `wx`';
  const other = /[^0-9A-Za-z]/.test(value) ? ', with characters other than letters and digits' : '';
  return `a value of ${value.length} characters, ${start}${other}`;
}
