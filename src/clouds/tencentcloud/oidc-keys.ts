// Keys without a stored secret: GitHub's OIDC token for the job, exchanged at Tencent Cloud STS
// (AssumeRoleWithWebIdentity, a request with no signature) for a CAM role's temporary keys. The
// token is asked for by the caller (`idToken`: this file knows nothing of GitHub Actions), goes
// nowhere but STS, and the keys are registered as secrets by the client the moment they arrive.

import type { Oidc } from '../../secrets/credentials.js';
import { messageOf } from '../../text/text.js';
import { failure } from '../cloud.js';
import { TENCENT_CALLS } from '../contract.js';
import type { KeyExchange } from '../exchanged-keys.js';
import { TencentClient, type TencentClientOptions } from './tcb-client.js';

/** What the keys are called in a refusal. */
export const STS_KEYS = 'Tencent Cloud keys from STS AssumeRoleWithWebIdentity';

/**
 * Two hours, as STS's default: a job's deploy takes minutes, and a role whose longest session is
 * the CAM default (2 hours) accepts it; ExchangedKeys renews them before they expire.
 */
const DURATION_SECONDS = 7200;

/** STS's `RoleSessionName`: 2 to 128 of `[\w+=,.@-]`, as the model's AssumeRole documents. */
const SESSION_NAME_MAX = 128;

interface OidcExchangeOptions extends Omit<TencentClientOptions, 'keys'> {
  oidc: Oidc;
  /** GitHub's OIDC token for `audience`, masked by the caller before it returns. */
  idToken: (audience: string) => Promise<string>;
  /** `GITHUB_REPOSITORY` and `GITHUB_RUN_ID`/`GITHUB_RUN_ATTEMPT`, for the session's name. */
  repository?: string;
  run?: string;
}

/** The session's name: the repository and the run, as CloudAudit shows who used the keys. */
export function sessionName(repository = '', run = ''): string {
  const name = `gh-${repository}-${run}`.replace(/[^\w+=,.@-]/g, '-');
  return name.slice(0, SESSION_NAME_MAX);
}

/** Each call asks GitHub for a fresh token and STS for keys. */
export function oidcExchange(options: OidcExchangeOptions): KeyExchange {
  const { oidc, idToken, repository, run, ...client } = options;
  const sts = new TencentClient({ ...client, keys: 'skip' });
  return async () => {
    let token: string;
    try {
      token = await idToken(oidc.audience);
    } catch (error) {
      const errmsg = `GitHub gave no OIDC token: ${messageOf(error)}`;
      return { ok: false, refusal: { outcome: failure(errmsg), from: STS_KEYS } };
    }
    const params = {
      ProviderId: oidc.providerId,
      WebIdentityToken: token,
      RoleArn: oidc.roleArn,
      RoleSessionName: sessionName(repository, run),
      DurationSeconds: DURATION_SECONDS,
    };
    const { sent } = await sts.call(TENCENT_CALLS.assumeRole, oidc.roleArn, params);
    if (!sent.ok) return { ok: false, refusal: { outcome: sent.outcome, from: STS_KEYS } };
    const response = sent.outcome.json ?? {};
    const credentials = response.Credentials as Record<string, unknown> | undefined;
    const {
      TmpSecretId: secretId,
      TmpSecretKey: secretKey,
      Token: sessionToken,
    } = credentials ?? {};
    const expiresAt = response.ExpiredTime;
    if (
      typeof secretId !== 'string' ||
      typeof secretKey !== 'string' ||
      typeof sessionToken !== 'string' ||
      typeof expiresAt !== 'number'
    ) {
      const errmsg = 'AssumeRoleWithWebIdentity answered without Credentials and ExpiredTime';
      return { ok: false, refusal: { outcome: failure(errmsg), from: STS_KEYS } };
    }
    return { ok: true, value: { keys: { secretId, secretKey, sessionToken }, expiresAt } };
  };
}
