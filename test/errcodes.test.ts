import { describe, expect, it } from 'vitest';
import { ALREADY_EXISTS, ERRCODES, errcodeInfo } from '../src/errcodes.js';

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
    for (const code of [40014, 41001, 42001]) expect(errcodeInfo(code).hint).toMatch(/two hours/);
    for (const code of [40164, 61004])
      expect(errcodeInfo(code).hint).toMatch(/whitelist.*self-hosted.*https_proxy/s);
    expect(errcodeInfo(45011).hint).toMatch(/next minute/);
  });

  it('treats a response timeout as possibly carried out', () => {
    expect(errcodeInfo(-501002).outcomeUnknown).toBe(true);
    expect(errcodeInfo(-1).outcomeUnknown).toBeFalsy();
  });
});

describe('ALREADY_EXISTS', () => {
  it.each([
    '[ResourceInUse.Function] Function login already exists.',
    'ResourceInUse.FunctionName',
    'function already exist',
    'Already Exists',
    '函数已存在',
  ])('matches %j', (errmsg) => expect(ALREADY_EXISTS.test(errmsg)).toBe(true));

  it.each(['[100003] env not exists', 'system busy', 'ok'])('does not match %j', (errmsg) =>
    expect(ALREADY_EXISTS.test(errmsg)).toBe(false),
  );
});
