import { describe, expect, it } from 'vitest';
import {
  ERRCODES,
  errcodeInfo,
  HINTS_EXISTS,
  hintOf,
  SAYS_EXISTS,
  type TokenOrigin,
} from '../../../src/clouds/wechat/errcodes.js';

const hintFor = (code: number, origin: TokenOrigin) => hintOf(errcodeInfo(code), origin);

describe('the errcode table', () => {
  it('retries exactly the transient codes', () => {
    const retried = Object.keys(ERRCODES)
      .map(Number)
      .filter((code) => errcodeInfo(code).retry)
      .sort((a, b) => a - b);
    expect(retried).toEqual([-501004, -501002, -501001, -1000, -1]);
  });

  it('fails on codes it does not know, and on inherited property names', () => {
    expect(errcodeInfo(12345)).toEqual({ meaning: 'unknown errcode' });
    expect(errcodeInfo(Number('constructor'))).toEqual({ meaning: 'unknown errcode' });
  });

  it('gives a hint for the token and whitelist errors', () => {
    for (const code of [40014, 42001]) {
      expect(hintFor(code, 'access-token')).toMatch(/authorizer_access_token.*two hours/);
    }
    for (const code of [40164, 61004])
      expect(errcodeInfo(code).hint).toMatch(/whitelist.*self-hosted.*https_proxy/s);
    expect(errcodeInfo(45011).hint).toMatch(/next minute/);
  });

  it('knows which refusals hold for every call of the set, and which let the run go on', () => {
    const flagged = (flag: 'refusesAll' | 'listFallback') =>
      Object.keys(ERRCODES)
        .map(Number)
        .filter((code) => errcodeInfo(code)[flag])
        .sort((a, b) => a - b);
    expect(flagged('refusesAll')).toEqual([40001, 40014, 40164, 41001, 42001, 61004, 85088]);
    expect(flagged('listFallback')).toEqual([48001, 61007]);
  });

  it('tells an environment that does not exist from other upstream errors by errmsg', () => {
    const missing = errcodeInfo(
      -501000,
      '[100003] env not exists (x) TcbCode: [INVALID_ENV] rid: 1',
    );
    expect(missing).toMatchObject({ meaning: 'environment does not exist', refusesAll: true });
    expect(missing.hint).toMatch(/`env` names no cloud environment/);
    expect(errcodeInfo(-501000, '[ResourceInUse] busy')).toMatchObject({
      meaning: 'upstream error',
    });
    expect(errcodeInfo(-501000, '[ResourceInUse] busy').refusesAll).toBeUndefined();
  });

  it('means something else for getqcloudtoken: its hourly limit', () => {
    expect(errcodeInfo(45009, '', 'getqcloudtoken').hint).toMatch(/10 times an hour.*keys/);
    expect(errcodeInfo(45009, '', 'createfunction').hint).toMatch(/tomorrow/);
  });

  it('treats a response timeout as possibly carried out', () => {
    expect(errcodeInfo(-501002).outcomeUnknown).toBe(true);
    expect(errcodeInfo(-1).outcomeUnknown).toBeFalsy();
  });
});

describe('hints by where the token came from', () => {
  it.each([40014, 48001])('%i: a minted token points to the access-token route', (code) => {
    expect(hintFor(code, 'app-secret')).toMatch(
      /minted from `app-id` and `app-secret`.*may refuse.*third-party platform.*`access-token`/,
    );
    expect(hintFor(code, 'access-token')).not.toMatch(/minted from/);
  });

  it('40014 with access-token says how an authorizer_access_token is obtained and refreshed', () => {
    expect(hintFor(40014, 'access-token')).toMatch(
      /authorizer_access_token.*api_authorizer_token.*earlier step/,
    );
  });

  it('is the same for both origins where the token does not matter', () => {
    expect(hintFor(45011, 'app-secret')).toBe(hintFor(45011, 'access-token'));
    // A code it does not know: nothing to say for either.
    expect(hintFor(12345, 'app-secret')).toBeUndefined();
    expect(hintFor(12345, 'access-token')).toBeUndefined();
  });
});

describe('wording about existence', () => {
  it.each([
    '[ResourceInUse.Function] Function login already exists.',
    'ResourceInUse.FunctionName',
    'function already exist',
    'Already Exists',
    '函数已存在',
  ])('SAYS_EXISTS, the fallback when the list cannot be read, matches %j', (errmsg) =>
    expect(SAYS_EXISTS.test(errmsg)).toBe(true),
  );

  it.each([
    '[100003] env not exists',
    '[ResourceInUse] 资源被占用',
    '[ResourceInUse.Namespace] x',
    'ok',
  ])('SAYS_EXISTS does not match %j', (errmsg) => expect(SAYS_EXISTS.test(errmsg)).toBe(false));

  it.each(['函数已经存在', 'Function login exists', '[ResourceInUse] 资源被占用', 'already exist'])(
    'HINTS_EXISTS, which sends a create to the list, matches %j',
    (errmsg) => expect(HINTS_EXISTS.test(errmsg)).toBe(true),
  );
});
