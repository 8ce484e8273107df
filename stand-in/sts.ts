// A stand-in for Tencent Cloud STS's AssumeRoleWithWebIdentity (version 2018-08-13), at the
// stand-in's Tencent Cloud URL: an unsigned request (`Authorization: SKIP`, no X-TC-Token) with
// the region, checked against the official model; the token must be one the stand-in GitHub
// endpoint signed, from the issuer, and its `aud` and `sub` must be what the role's trust names
// (as CAM's identity provider and the role's trust condition decide). The keys it answers are
// temporary keys the stand-in's Tencent Cloud API accepts, with their token.
import type { IncomingMessage } from 'node:http';
import type { TencentError } from './held.js';
import { keepModelled, requestProblem } from './models.js';
import { GITHUB_ISSUER, type OidcStandIn } from './oidc.js';
import type { TcbStandIn } from './tencentcloud.js';

export const STS_VERSION = '2018-08-13';
export const STS_ROUTES = ['sts.AssumeRoleWithWebIdentity'] as const;
export type StsRoute = (typeof STS_ROUTES)[number];

/** Who may assume a role: CAM's identity provider (name, client ID) and the role's `sub` condition. */
export interface Trust {
  providerId: string;
  audience: string;
  /** The `oidc:sub` condition: `*` matches any run of characters. */
  sub: string;
}

/** The role the stand-in knows unless told otherwise, and its trust. */
export const STAND_IN_ROLE = 'qcs::cam::uin/100012345678:roleName/deploy-functions';
export const STAND_IN_TRUST: Trust = {
  providerId: 'github-actions',
  audience: 'sts.tencentcloudapi.com',
  sub: 'repo:octo-org/mini-program:ref:refs/tags/v*',
};

const SESSION_NAME = /^[\w+=,.@-]{2,128}$/;
const MAX_DURATION_S = 43200;

type Answer = { error: TencentError } | { data: object };
const error = (code: string, message: string): Answer => ({ error: { code, message } });

export class StsStandIn {
  /** Each role's trust, by ARN. */
  readonly roles = new Map<string, Trust>([[STAND_IN_ROLE, STAND_IN_TRUST]]);
  readonly #oidc: OidcStandIn;
  readonly #tcb: TcbStandIn;

  constructor(oidc: OidcStandIn, tcb: TcbStandIn) {
    this.#oidc = oidc;
    this.#tcb = tcb;
  }

  answer(req: IncomingMessage, body: unknown): Answer {
    const action = String(req.headers['x-tc-action'] ?? '');
    if (req.headers.authorization !== 'SKIP' || req.headers['x-tc-token'] !== undefined) {
      return error('AuthFailure.InvalidAuthorization', 'AssumeRoleWithWebIdentity is unsigned.');
    }
    if (req.headers['x-tc-version'] !== STS_VERSION || action !== 'AssumeRoleWithWebIdentity') {
      return error('InvalidAction', `The action ${action} does not exist.`);
    }
    if (typeof req.headers['x-tc-region'] !== 'string') {
      return error('MissingParameter', 'The Region is missing.');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return error('InvalidParameter', 'The request body is not a JSON object.');
    }
    const params = body as Record<string, unknown>;
    const problem = requestProblem('sts', STS_VERSION, action, params);
    if (problem) return { error: problem };
    const refused = this.#refuse(params);
    if (refused) return refused;
    const duration = (params.DurationSeconds as number | undefined) ?? 7200;
    // Outside getqcloudtoken's hourly share: STS hands out keys of its own.
    const keys = this.#tcb.mint(duration, 'sts');
    const data = {
      Credentials: { TmpSecretId: keys.secretId, TmpSecretKey: keys.secretKey, Token: keys.token },
      ExpiredTime: keys.expiresAt,
      Expiration: new Date(keys.expiresAt * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    return { data: keepModelled('sts', STS_VERSION, action, data) };
  }

  /** Why the role may not be assumed with this token, or undefined. */
  #refuse(params: Record<string, unknown>): Answer | undefined {
    const { RoleArn, ProviderId, WebIdentityToken, RoleSessionName, DurationSeconds } = params;
    if (typeof RoleSessionName !== 'string' || !SESSION_NAME.test(RoleSessionName)) {
      return error('InvalidParameter.ParamError', 'RoleSessionName is 2 to 128 of [\\w+=,.@-].');
    }
    if (DurationSeconds !== undefined && !((DurationSeconds as number) <= MAX_DURATION_S)) {
      return error('InvalidParameter.OverTimeError', 'DurationSeconds is over the limit.');
    }
    const trust = this.roles.get(String(RoleArn));
    if (!trust) return error('ResourceNotFound.RoleNotExist', 'The role does not exist.');
    const claims = this.#oidc.claims(String(WebIdentityToken));
    if (!claims || claims.iss !== GITHUB_ISSUER || claims.aud !== trust.audience) {
      // Quoted, as a careless server might: the client must keep it out of every text.
      return error(
        'InvalidParameter.WebIdentityTokenError',
        `The WebIdentityToken ${String(WebIdentityToken)} is invalid.`,
      );
    }
    if (ProviderId !== trust.providerId || !wildcard(trust.sub).test(claims.sub)) {
      return error('InvalidParameter.AccountNotAvaliable', 'The role does not trust this token.');
    }
    return undefined;
  }
}

/** A trust condition's pattern, `*` for any run of characters. */
function wildcard(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}
