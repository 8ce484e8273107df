import { describe, expect, it } from 'vitest';
import { describe as describeOutcome } from '../../src/clouds/wechat/errcodes.js';
import { overallStatus } from '../../src/report/outputs.js';
import type { FunctionResult } from '../../src/run/result.js';
import { escapeHtml, oneLine } from '../../src/text/text.js';

describe('untrusted text', () => {
  it('oneLine flattens line breaks and control characters, and shortens', () => {
    expect(oneLine('bad\n::error::pwned\r\n::add-mask::x')).toBe(
      'bad ::error::pwned ::add-mask::x',
    );
    expect(oneLine('a\u0000b\u001bc\u2028d')).toBe('a b c d');
    expect(oneLine('x'.repeat(600))).toHaveLength(501);
  });

  it('escapeHtml escapes markup', () => {
    expect(escapeHtml(`<img src=x onerror="a('&')">`)).toBe(
      '&lt;img src=x onerror=&quot;a(&#39;&amp;&#39;)&quot;&gt;',
    );
  });

  it('describe quotes errmsg and names the errcode', () => {
    expect(describeOutcome({ errcode: -1, errmsg: 'system busy' })).toBe(
      'errcode -1 (system busy): "system busy"',
    );
    expect(describeOutcome({ errcode: null, errmsg: 'socket hang up' })).toBe('socket hang up');
  });
});

describe('overallStatus', () => {
  const result = (status: FunctionResult['status']) => ({ status }) as FunctionResult;
  it.each([
    [['created', 'exists'], 'skip', 'created'],
    [['exists', 'exists'], 'skip', 'exists'],
    [['created', 'failed', 'exists'], 'skip', 'failed'],
    [['would-create', 'exists'], 'skip', 'would-create'],
    [['exists', 'exists'], 'fail', 'failed'],
    [['created', 'would-create'], 'fail', 'created'],
  ] as const)('%j with if-exists %s is %s', (statuses, ifExists, expected) => {
    expect(overallStatus(statuses.map(result), ifExists)).toBe(expected);
  });
});
