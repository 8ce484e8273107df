// A stand-in for GitHub's OIDC token endpoint (what ACTIONS_ID_TOKEN_REQUEST_URL names for a job
// with `permissions: id-token: write`): it takes ACTIONS_ID_TOKEN_REQUEST_TOKEN as a bearer and
// answers `{"value": JWT}` for the `audience` asked, signed RS256 with a key of its own, which
// the stand-in STS checks tokens against.
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
/** The `sub` of a job run for a release tag, unless told otherwise. */
export const DEFAULT_SUBJECT = 'repo:octo-org/mini-program:ref:refs/tags/v1.0.0';

/** What a token says: GitHub's claims that CAM's trust reads. */
export interface Claims {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  exp: number;
}

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

export class OidcStandIn {
  /** The bearer the endpoint takes: ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  readonly requestToken = randomBytes(24).toString('hex');
  /** The `sub` of the tokens: the repository and ref of the job. */
  subject = DEFAULT_SUBJECT;
  /** Every token handed out, newest last. */
  readonly issued: string[] = [];
  readonly #keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  readonly #kid = randomBytes(8).toString('hex');

  /** The endpoint's answer to a GET: the status, and the token or why not. */
  answer(req: IncomingMessage, url: URL): { status: number; body: object } {
    if (req.headers.authorization !== `Bearer ${this.requestToken}`) {
      return { status: 401, body: { message: 'Bad credentials' } };
    }
    const now = Math.floor(Date.now() / 1000);
    const claims: Claims = {
      iss: GITHUB_ISSUER,
      aud: url.searchParams.get('audience') ?? GITHUB_ISSUER,
      sub: this.subject,
      iat: now,
      exp: now + 300,
    };
    const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', kid: this.#kid })}.${encode(claims)}`;
    const signature = sign('sha256', Buffer.from(unsigned), this.#keys.privateKey);
    const token = `${unsigned}.${signature.toString('base64url')}`;
    this.issued.push(token);
    return { status: 200, body: { value: token } };
  }

  /** The claims of a token this endpoint signed and that has not expired; undefined otherwise. */
  claims(token: string): Claims | undefined {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || signature === undefined) return undefined;
    const signed = Buffer.from(`${header}.${payload}`);
    const key = this.#keys.publicKey;
    if (!verify('sha256', signed, key, Buffer.from(signature, 'base64url'))) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Claims;
      return claims.exp > Date.now() / 1000 ? claims : undefined;
    } catch {
      return undefined;
    }
  }
}
