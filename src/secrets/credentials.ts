// The credentials each route takes, as the inputs give them and the clients speak them.

/** A token for WeChat's API: given, or minted from the app id and secret. */
export type WeChatCredentials =
  | { kind: 'access-token'; accessToken: string }
  | { kind: 'app-secret'; appId: string; appSecret: string };

/** Tencent Cloud keys: an account's or a sub-account's, or temporary ones with their token. */
export interface Keys {
  secretId: string;
  secretKey: string;
  sessionToken?: string;
}

/** Visible ASCII only: a token or secret with spaces or line breaks was pasted wrong. */
export const CREDENTIAL = /^[\x21-\x7e]+$/;

/** What STS's AssumeRoleWithWebIdentity is asked for, besides the token itself. */
export interface Oidc {
  roleArn: string;
  providerId: string;
  /** The `aud` GitHub's token is asked for: the client ID of CAM's identity provider. */
  audience: string;
}
