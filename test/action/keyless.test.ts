// The bundled action with no stored secret: GitHub's OIDC token (the stand-in's token endpoint)
// exchanged at STS (the stand-in's, which checks the token against its trust) for a role's
// temporary keys, which sign the Tencent Cloud route's calls. Neither the OIDC token nor the keys
// may show anywhere.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionName } from '../../src/clouds/tencentcloud/oidc-keys.js';
import { type RunResult, runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { STAND_IN_ROLE, STAND_IN_TRUST } from '../../stand-in/sts.js';
import {
  annotations,
  expectNoLeak,
  expectOneError,
  issuedSecrets,
  results,
} from '../support/leaks.js';
import { codeFolders, ENV } from '../support/steps.js';

const STS = 'sts.AssumeRoleWithWebIdentity';
let standIn: StandIn;
const code = codeFolders(['login']);

beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

/** A step with a role to assume and no secret at all. */
function withRole(inputs: Record<string, string> = {}): Record<string, string> {
  return {
    env: ENV,
    'function-name': 'login',
    'code-dir': code.path,
    'tencentcloud-role-arn': STAND_IN_ROLE,
    'tencentcloud-oidc-provider-id': STAND_IN_TRUST.providerId,
    'tencentcloud-endpoint': standIn.tcbUrl,
    'api-base-url': standIn.url,
    'retry-delay-ms': '1',
    'request-timeout-ms': '300',
    ...inputs,
  };
}

const GITHUB = { GITHUB_REPOSITORY: 'octo-org/mini-program', GITHUB_RUN_ID: '4242' };

/** Runs the step as a job with `id-token: write`; no token or key may show. */
async function run(
  inputs: Record<string, string>,
  env: Record<string, string> = { ...standIn.idTokenEnv, ...GITHUB },
): Promise<RunResult> {
  const result = await runAction({ inputs, env });
  expectNoLeak(result, [
    standIn.oidc.requestToken,
    ...standIn.oidc.issued,
    // A server's text is cut before it is shown: a quoted token may show only its start.
    ...standIn.oidc.issued.map((token) => token.slice(0, 100)),
    ...issuedSecrets(standIn),
  ]);
  expect(result.stderr).toBe('');
  return result;
}

const routes = () => standIn.requests.map((r) => r.route);

describe('keys for GitHub’s OIDC token', () => {
  it('deploy with no secret: the token goes to STS alone, and its keys sign the calls', async () => {
    const result = await run(withRole());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/route: .*tencentcloud-role-arn given/);
    expect(results(result)).toEqual([
      expect.objectContaining({ status: 'created', code: 'deployed' }),
    ]);
    expect(routes()).toEqual(['idtoken', STS, 'ListFunctions', 'CreateFunction', 'ListFunctions']);
    const [asked] = standIn.calls('idtoken');
    expect(asked.query.audience).toBe('sts.tencentcloudapi.com');
    const [sts] = standIn.calls(STS);
    expect(sts.headers).toMatchObject({
      authorization: 'SKIP',
      'x-tc-version': '2018-08-13',
      'x-tc-region': 'ap-shanghai',
    });
    expect(sts.headers['x-tc-token']).toBeUndefined();
    expect(sts.body).toEqual({
      ProviderId: STAND_IN_TRUST.providerId,
      WebIdentityToken: standIn.oidc.issued[0],
      RoleArn: STAND_IN_ROLE,
      RoleSessionName: 'gh-octo-org-mini-program-4242',
      DurationSeconds: 7200,
    });
    // Only STS's request carries the OIDC token.
    const carrying = standIn.requests.filter((r) =>
      JSON.stringify(r.body ?? '').includes(standIn.oidc.issued[0]),
    );
    expect(carrying.map((r) => r.route)).toEqual([STS]);
    const [keys] = standIn.tcb.issued;
    for (const call of standIn.calls('CreateFunction')) {
      expect(call.headers['x-tc-token']).toBe(keys.token);
      expect(String(call.headers.authorization)).toContain(`Credential=${keys.secretId}/`);
    }
  });

  it('are renewed before they expire, with a fresh OIDC token', async () => {
    // Keys that live 2 s are renewed at half their life; the list that sees the function
    // Active comes after a pause of 1.1 s.
    await standIn.close();
    standIn = await startStandIn({ createMs: 1000 });
    standIn.tcb.lifespansS.sts.push(2);
    const result = await run(withRole({ 'retry-delay-ms': '1100' }));
    expect(result.code).toBe(0);
    expect(standIn.calls(STS)).toHaveLength(2);
    expect(standIn.calls('idtoken')).toHaveLength(2);
    const [, second] = standIn.tcb.issued;
    expect(standIn.calls('ListFunctions').at(-1)?.headers['x-tc-token']).toBe(second.token);
  });

  it('take a role by its id too, as STS documents its ARN', async () => {
    const byId = 'qcs::cam::uin/100012345678:role/4611686018427397919';
    // STS knows the role by its id alone: no other ARN is taken for it.
    standIn.sts.roles.clear();
    standIn.sts.roles.set(byId, STAND_IN_TRUST);
    const result = await run(withRole({ 'tencentcloud-role-arn': byId }));
    expect(annotations(result, 'error')).toEqual([]);
    expect(result.code).toBe(0);
    expect(standIn.calls(STS).map((call) => (call.body as { RoleArn: string }).RoleArn)).toEqual([
      byId,
    ]);
    expect(routes()).toEqual(['idtoken', STS, 'ListFunctions', 'CreateFunction', 'ListFunctions']);
  });

  it('a lost answer of STS is asked again, and only the keys that came sign the calls', async () => {
    // STS hands out keys, and its answer is lost on the way.
    standIn.script(STS, [{ reset: true, apply: true }]);
    const result = await run(withRole());
    expect(routes()).toEqual([
      'idtoken',
      STS,
      STS,
      'ListFunctions',
      'CreateFunction',
      'ListFunctions',
    ]);
    expect(result.stdout).toMatch(
      /AssumeRoleWithWebIdentity attempt 1 of 5: ECONNRESET.*; retrying/,
    );
    expect(result.code).toBe(0);
    // The keys of the lost answer, then those of the answer that came.
    expect(standIn.tcb.issued).toHaveLength(2);
    const signedWith = standIn.requests.map((r) => r.headers['x-tc-token']).filter(Boolean);
    expect(signedWith).toEqual(Array(3).fill(standIn.tcb.issued[1].token));
  });

  it.each([
    ['lost', { reset: true, apply: true }, /: ECONNRESET: /],
    ['never sent', { hang: true }, /: ETIMEDOUT: no answer within 300 ms /],
  ])(
    'STS’s answer %s, attempt after attempt: the step fails after `max-attempts`, saying so, with nothing deployed',
    async (_, fault, says) => {
      // One fault more than the attempts: an attempt beyond them would be answered.
      standIn.script(STS, [fault, fault, fault]);
      const result = await run(withRole({ 'max-attempts': '2' }));
      expect(routes()).toEqual(['idtoken', STS, STS]);
      const error = expectOneError(
        result,
        /^::error::Nothing was tried: could not get Tencent Cloud keys from STS AssumeRoleWithWebIdentity: /,
      );
      expect(error).toMatch(says);
      expect(result.stdout).toMatch(/AssumeRoleWithWebIdentity attempt 2 of 2: /);
    },
  );
});

describe('no keys', () => {
  it('without `id-token: write`: an input error naming it, before any request', async () => {
    const result = await run(withRole(), GITHUB);
    expectOneError(
      result,
      /^::error::Input `tencentcloud-role-arn` needs GitHub's OIDC token.*`permissions: id-token: write`/,
    );
    expect(standIn.requests).toEqual([]);
  });

  it.each([
    [
      'tencentcloud-role-arn',
      { 'tencentcloud-role-arn': 'qcs::cam::uin/100012345678:roleName/deploy functions' },
    ],
    [
      'tencentcloud-role-arn',
      { 'tencentcloud-role-arn': 'qcs::cam::uin/100012345678:role/deploy' },
    ],
    ['tencentcloud-role-arn', { 'tencentcloud-role-arn': 'arn:aws:iam::123456789012:role/deploy' }],
    ['tencentcloud-oidc-provider-id', { 'tencentcloud-oidc-provider-id': '' }],
    ['tencentcloud-role-arn', { api: 'wechat' }],
    [
      'tencentcloud-role-arn',
      { 'tencentcloud-secret-id': 'AKIDx', 'tencentcloud-secret-key': 'k' },
    ],
  ])('`%s` refused: %j', async (input, given) => {
    const result = await run(withRole(given));
    expectOneError(result, new RegExp(`^::error::Input \`${input}\` `));
    expect(standIn.requests).toEqual([]);
  });

  it('a role ARN refused: the error shows both forms, by name and by id', async () => {
    const given = { 'tencentcloud-role-arn': 'qcs::cam::uin/100012345678:role/deploy' };
    const error = expectOneError(await run(withRole(given)));
    expect(error).toContain('`qcs::cam::uin/100012345678:roleName/deploy`');
    expect(error).toContain('`qcs::cam::uin/100012345678:role/4611686018427397919`');
  });

  it.each([
    ['InvalidParameter.WebIdentityTokenError', /client ID the `oidc-audience`/],
    ['InvalidParameter.AccountNotAvaliable', /`oidc:sub` condition/],
    ['ResourceNotFound.RoleNotExist', /No role has the ARN.*:roleName\/….*:role\/…/],
    ['InvalidParameter.OverTimeError', /maximum session duration/],
  ])(
    'STS refuses with %s: the step fails with its hint, and nothing is deployed',
    async (code, hint) => {
      standIn.script(STS, [{ tencentError: { code, message: 'refused' } }]);
      const result = await run(withRole());
      const error = expectOneError(result);
      expect(error).toContain(code);
      expect(error).toMatch(hint);
      expect(routes()).toEqual(['idtoken', STS]);
    },
  );

  it('keys a server quotes back are scrubbed from the log, the outputs and the summary', async () => {
    const keys = {
      TmpSecretId: `AKID${randomBytes(16).toString('hex')}`,
      TmpSecretKey: randomBytes(20).toString('base64url'),
      Token: randomBytes(64).toString('base64url'),
    };
    const ExpiredTime = Math.floor(Date.now() / 1000) + 7200;
    standIn.script(STS, [
      { json: { Response: { Credentials: keys, ExpiredTime, RequestId: 'r1' } } },
    ]);
    // Tencent Cloud quotes the secret id it does not know; this one quotes all three.
    const message = `The SecretId ${keys.TmpSecretId} (${keys.TmpSecretKey}, ${keys.Token}) is not found.`;
    standIn.script('ListFunctions', [
      { tencentError: { code: 'AuthFailure.SecretIdNotFound', message } },
    ]);
    const result = await run(withRole());
    expect(expectOneError(result)).toContain('AuthFailure.SecretIdNotFound: The SecretId ***');
    expectNoLeak(result, Object.values(keys));
  });

  it('the stand-in’s trust refuses a token for another audience', async () => {
    const result = await run(withRole({ 'oidc-audience': 'some-other-client' }));
    expect(expectOneError(result)).toContain('InvalidParameter.WebIdentityTokenError');
    expect(standIn.calls('idtoken')[0].query.audience).toBe('some-other-client');
    expect(routes()).toEqual(['idtoken', STS]);
  });

  it('the stand-in’s trust refuses a token for a ref the role does not name', async () => {
    standIn.oidc.subject = 'repo:octo-org/mini-program:ref:refs/heads/main';
    const result = await run(withRole());
    expect(expectOneError(result)).toContain('InvalidParameter.AccountNotAvaliable');
    expect(routes()).toEqual(['idtoken', STS]);
  });
});

describe('the STS session’s name', () => {
  it('names the repository and run within STS’s 2 to 128 of `[\\w+=,.@-]`', () => {
    expect(sessionName('octo-org/mini-program', '4242-1')).toBe('gh-octo-org-mini-program-4242-1');
    const long = sessionName(`octo-org/${'ü'.repeat(200)}`, '4242');
    expect(long).toMatch(/^gh-octo-org-[\w+=,.@-]+$/);
    expect(long).toHaveLength(128);
    expect(sessionName()).toMatch(/^[\w+=,.@-]{2,128}$/);
  });
});
