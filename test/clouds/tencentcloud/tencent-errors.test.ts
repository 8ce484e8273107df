// The error table of CloudBase's Tencent Cloud API: each code finds its own row, the most
// specific first, and only what is transient is retried.
import { describe, expect, it } from 'vitest';
import { TCB_ERRORS, tencentError } from '../../../src/clouds/tencentcloud/tencent-errors.js';

const tcbError = (code: string) => tencentError(TCB_ERRORS, code);

describe('CloudBase API errors', () => {
  it.each<[string, string, RegExp | undefined]>([
    ['AuthFailure.SignatureExpire', 'sign-again', /clock/],
    ['AuthFailure.SecretIdNotFound', 'fail', /tencentcloud-secret-id/],
    ['AuthFailure.TokenFailure', 'fail', /temporary keys expire/],
    ['AuthFailure.SignatureFailure', 'fail', /secret key is not the one/],
    ['AuthFailure.UnauthorizedOperation', 'fail', /QcloudTCBFullAccess.*`tcb:\*`/],
    ['UnauthorizedOperation.CamNoAuth', 'fail', /QcloudTCBFullAccess/],
    ['AuthFailure.InvalidAuthorization', 'fail', /check the secret id, the secret key/],
    ['InvalidParameterValue.Runtime', 'fail', /Nodejs18\.15/],
    ['InvalidParameterValue.Memory', 'fail', /`memory-mb`/],
    ['ResourceNotFound.Function', 'fail', /`env` or the function/],
    ['LimitExceeded.Function', 'fail', /quota/],
    ['RequestLimitExceeded', 'retry', /20 requests a second/],
    ['RequestLimitExceeded.UinLimitExceeded', 'retry', /20 requests a second/],
    ['RequestSizeLimitExceeded', 'fail', /10 MB.*install-dependencies: true/],
    ['InternalError.System', 'retry', undefined],
    ['FailedOperation.UpdateFunctionCode', 'wait', /busy/],
    ['ResourceInUse.Function', 'wait', /exists already/],
    ['UnsupportedOperation', 'fail', undefined],
  ])('%s: %s', (code, next, hint) => {
    const error = tcbError(code);
    expect(error.next).toBe(next);
    if (hint) expect(error.hint).toMatch(hint);
    else expect(error.hint).toBeUndefined();
  });

  it('refuses every call for the keys on an AuthFailure or a missing permission', () => {
    const refusing = TCB_ERRORS.filter((e) => e.refusesAll).map((e) => e.code.source);
    expect(refusing).toHaveLength(5);
    for (const source of refusing) expect(source).toMatch(/AuthFailure|UnauthorizedOperation/);
    expect(tcbError('AuthFailure.SignatureExpire').refusesAll).toBeUndefined();
  });
});
