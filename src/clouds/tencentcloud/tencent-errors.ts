// What Tencent Cloud API 3.0's error codes mean, and what the action does with each: data, not
// branches. One table for each remote that answers with them, since the same code means another
// thing at each: at the signed upload host an `AuthFailure` is about WeChat's signature and the
// code secret, at CloudBase's API (tcb.tencentcloudapi.com) about the keys of the step. Sources:
// Tencent Cloud API 3.0's common error codes and SCF's error codes (the function actions of
// CloudBase wrap SCF's), named in docs/errors.md ("Tencent Cloud's hosts").

import type { UploadAction } from '../cloud.js';
import { TOO_LARGE_HINT } from '../code-limits.js';

export interface TencentError {
  code: RegExp;
  next: UploadAction;
  /** Refuses every call for these keys or this environment. */
  refusesAll?: boolean;
  hint?: string;
}

/** The signed upload host's error codes, most specific first; any other code fails at once. */
export const UPLOAD_HOST_ERRORS: readonly TencentError[] = [
  {
    code: /^AuthFailure\.SignatureExpire$/,
    next: 'sign-again',
    hint: "The signature was more than five minutes old when it arrived: check the runner's clock.",
  },
  {
    code: /^AuthFailure\./,
    next: 'fail',
    hint: 'The upload host refused the signature or the code secret: the body must be sent exactly as it was hashed, and the token must belong to this mini program.',
  },
  {
    code: /^RequestSizeLimitExceeded/,
    next: 'fail',
    hint: 'The upload body is over 10 MB: set `install-dependencies: true` to leave node_modules/ out, or list what to leave out in `.wechatignore`.',
  },
  {
    code: /^InvalidParameter/,
    next: 'fail',
    hint: 'The upload host refused a field of the body; check `env` and the function folder.',
  },
  { code: /^(RequestLimitExceeded|InternalError)/, next: 'retry' },
  // Often the function is still being created or updated: wait for it, if the list says so.
  { code: /^(ResourceInUse|FailedOperation)/, next: 'wait' },
];

const POLICY =
  'The keys lack CloudBase’s permission for this action on this environment. A sub-account (CAM user or role) needs the preset policy `QcloudTCBFullAccess`, or a policy allowing `tcb:*` on this environment; keys WeChat hands out for a token serve this mini program’s environments only.';

/** CloudBase's API's error codes, most specific first; any other code fails at once. */
export const TCB_ERRORS: readonly TencentError[] = [
  {
    code: /^AuthFailure\.SignatureExpire$/,
    next: 'sign-again',
    hint: "The signature was more than five minutes off Tencent Cloud's clock when it arrived: check the runner's clock (NTP).",
  },
  {
    code: /^AuthFailure\.SecretIdNotFound$/,
    next: 'fail',
    refusesAll: true,
    hint: 'No Tencent Cloud key has this secret id: check `tencentcloud-secret-id` (or TENCENTCLOUD_SECRET_ID), and that the key was not deleted or disabled in the API key console (CAM).',
  },
  {
    code: /^AuthFailure\.TokenFailure$/,
    next: 'fail',
    refusesAll: true,
    hint: 'The session token was refused: temporary keys expire (those WeChat hands out live 2 hours), and a token goes only with the secret id and key it was issued with. Get fresh ones in the same job.',
  },
  {
    code: /^AuthFailure\.SignatureFailure$/,
    next: 'fail',
    refusesAll: true,
    hint: 'The signature did not match: the secret key is not the one of this secret id, or something between changed the request (a proxy rewriting the body or the Host).',
  },
  {
    code: /^(AuthFailure\.)?UnauthorizedOperation/,
    next: 'fail',
    refusesAll: true,
    hint: POLICY,
  },
  {
    code: /^AuthFailure\./,
    next: 'fail',
    refusesAll: true,
    hint: 'Tencent Cloud refused the keys: check the secret id, the secret key and, for temporary keys, the session token.',
  },
  {
    code: /^RequestSizeLimitExceeded/,
    next: 'fail',
    hint: `The request body is over the 10 MB a signed request may carry. ${TOO_LARGE_HINT}`,
  },
  {
    code: /^InvalidParameterValue\.Runtime/,
    next: 'fail',
    hint: 'The environment does not offer this runtime: set `runtime` to one the CloudBase console offers when creating a function, the newest of `Nodejs22.21`, `Nodejs20.19` or `Nodejs18.15` it offers (older ones are past their end of life).',
  },
  // SCF's trigger calls (CreateTrigger, UpdateTrigger).
  {
    code: /^(InvalidParameterValue\.TriggerName|InvalidParameterValue\.TriggerDesc|InvalidParameterValue\.Type|FailedOperation\.CreateTrigger|FailedOperation\.UpdateTrigger)/,
    next: 'fail',
    hint: "SCF refused a timer trigger of the folder's config.json: check its `name` and its `config`, a cron of seven fields (second minute hour day month weekday year), and that the function is Active.",
  },
  {
    code: /^LimitExceeded\.Trigger/,
    next: 'fail',
    hint: 'The function holds as many triggers as SCF allows: delete those it no longer needs in the console.',
  },
  {
    code: /^(ResourceInUse\.Trigger|ResourceNotFound\.Trigger)/,
    next: 'fail',
    hint: 'The triggers changed between the run reading and writing them (another run, or the console): run again.',
  },
  {
    code: /^(InvalidParameter|UnknownParameter|MissingParameter)/,
    next: 'fail',
    hint: 'A field of the request was refused: check `env`, `function-name`, `runtime`, `memory-mb`, `timeout-seconds` and `environment`.',
  },
  {
    code: /^ResourceNotFound/,
    next: 'fail',
    hint: '`env` or the function does not exist for these keys: copy the environment id, with its suffix, from the CloudBase console, and check that the keys belong to the account that owns it.',
  },
  {
    code: /^LimitExceeded/,
    next: 'fail',
    hint: "A quota of the environment is reached (functions, code size, …): see the environment's quotas in the CloudBase console.",
  },
  {
    code: /^RequestLimitExceeded/,
    next: 'retry',
    hint: 'Tencent Cloud takes 20 requests a second per action: lower `parallel`.',
  },
  { code: /^InternalError/, next: 'retry' },
  // Often the function is still being created or updated: wait for it, if the list says so.
  {
    code: /^(ResourceInUse|FailedOperation)/,
    next: 'wait',
    hint: 'The function is busy, being created or updated, or exists already.',
  },
];

const TRUST =
  "CAM's identity provider and the role's trust decide which tokens may assume the role: see docs/credentials.md";

/**
 * STS's error codes for AssumeRoleWithWebIdentity, most specific first; any other code fails at
 * once. Every refusal refuses all: without keys no call can be made.
 */
export const STS_ERRORS: readonly TencentError[] = [
  {
    code: /^InvalidParameter\.WebIdentityTokenError$/,
    next: 'fail',
    refusesAll: true,
    hint: `STS refused GitHub's token: the identity provider (\`tencentcloud-oidc-provider-id\`) must have the issuer https://token.actions.githubusercontent.com, GitHub's signing keys, and as client ID the \`oidc-audience\` of the step. ${TRUST}.`,
  },
  {
    code: /^InvalidParameter\.AccountNotAvaliable$/,
    next: 'fail',
    refusesAll: true,
    hint: `The account in \`tencentcloud-role-arn\` cannot be used, or the role does not trust this identity provider or this repository and ref (its \`oidc:sub\` condition). ${TRUST}.`,
  },
  {
    code: /^ResourceNotFound\.RoleNotExist$/,
    next: 'fail',
    refusesAll: true,
    hint: 'No role has the ARN in `tencentcloud-role-arn`: copy it from the role’s page in the CAM console (`qcs::cam::uin/…:roleName/…`, or by id `qcs::cam::uin/…:role/…`).',
  },
  {
    code: /^InvalidParameter\.OverTimeError$/,
    next: 'fail',
    refusesAll: true,
    hint: "The role's longest session is shorter than the keys asked for: raise the role's maximum session duration in CAM to at least 2 hours.",
  },
  {
    code: /^(InvalidParameter|MissingParameter|UnknownParameter)/,
    next: 'fail',
    refusesAll: true,
    hint: `STS refused a field of the request: check \`tencentcloud-role-arn\` and \`tencentcloud-oidc-provider-id\`. ${TRUST}.`,
  },
  {
    code: /^(ResourceNotFound|AuthFailure|UnauthorizedOperation)/,
    next: 'fail',
    refusesAll: true,
    hint: `STS would not let this token assume the role. ${TRUST}.`,
  },
  { code: /^(RequestLimitExceeded|InternalError)/, next: 'retry' },
];

const UNKNOWN: TencentError = { code: /(?:)/, next: 'fail' };

/** What `code` means in `table`: its first row that matches. */
export function tencentError(table: readonly TencentError[], code: string): TencentError {
  return table.find((e) => e.code.test(code)) ?? UNKNOWN;
}
