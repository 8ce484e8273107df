// What both Tencent Cloud API 3.0 remotes share: the size a signed body may have.
import { describe, expect, it } from 'vitest';
import { oversized } from '../../../src/clouds/code-limits.js';

describe('oversized', () => {
  it('refuses a body over the 10 MiB of a signed request, with the hint given', () => {
    expect(oversized(10 * 1024 * 1024)).toBeUndefined();
    expect(oversized(10 * 1024 * 1024 + 1, 'smaller')).toEqual({
      errcode: null,
      errmsg:
        'the request body is 10.0 MiB (10485761 bytes), over the 10 MiB a signed request may carry',
      retry: false,
      unclear: false,
      hint: 'smaller',
    });
  });
});
