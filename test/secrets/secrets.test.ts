import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Secrets } from '../../src/secrets/secrets.js';

it('announces each secret once and scrubs it, raw and URL-encoded', () => {
  const announced: string[] = [];
  const secrets = new Secrets((value) => announced.push(value));
  secrets.add('a+b/c=');
  secrets.add('a+b/c=');
  secrets.add('');
  expect(announced).toEqual(['a+b/c=']);
  expect(secrets.redact('raw a+b/c= and encoded a%2Bb%2Fc%3D')).toBe('raw *** and encoded ***');
});

it('scrubs any access_token query parameter, known or not', () => {
  const secrets = new Secrets();
  expect(secrets.redact('Request timeout: /tcb/createfunction?access_token=xyz&x=1')).toBe(
    'Request timeout: /tcb/createfunction?access_token=***&x=1',
  );
});

it('scrubs every form a server could echo: either hex case, form-encoded, split by control characters', () => {
  const secrets = new Secrets();
  secrets.add('a+b/c= d');
  const forms = [
    'a%2Bb%2Fc%3D%20d',
    'a%2bb%2fc%3d%20d',
    'a%2Bb%2Fc%3D+d',
    '%61%2b%62%2f%63%3d%20%64',
    'a+\u0000b/c\n= \u001fd',
  ];
  for (const form of forms) expect(secrets.redact(`[${form}]`), form).toBe('[***]');
});

/** The forms a server could echo `secret` in, by name. */
function echoes(secret: string): Record<string, string> {
  const bytes = [...Buffer.from(secret)];
  const percent = (hex: (byte: number) => string) =>
    bytes.map((byte) => `%${hex(byte).padStart(2, '0')}`).join('');
  const json = JSON.stringify(secret).slice(1, -1);
  return {
    raw: secret,
    'upper-case percent-encoding': percent((byte) => byte.toString(16).toUpperCase()),
    'lower-case percent-encoding': percent((byte) => byte.toString(16)),
    'form encoding': encodeURIComponent(secret).replaceAll('%20', '+'),
    'JSON-escaped': json,
    'JSON-escaped with \\/': json.replaceAll('/', '\\/'),
    'JSON-escaped as \\u': secret
      .split('')
      .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .join(''),
    base64: Buffer.from(secret).toString('base64'),
    'split by control characters': [...secret].join('\u0000').replace(/(.{7})/g, '$1\n\u2028'),
  };
}

/** `length` random visible-ASCII characters: `%`, `\`, `"`, `/` and `+` among them. */
const visible = (length: number) =>
  Array.from(randomBytes(length), (byte) => String.fromCharCode(0x21 + (byte % 94))).join('');

describe.each([4_600, 100_000])('a secret of %i characters', (length) => {
  const secret = visible(length);
  const secrets = new Secrets();
  secrets.add(secret);

  it.each(Object.entries(echoes(secret)))('is scrubbed %s', (_, echoed) => {
    // Base64's padding is not the secret's.
    expect(secrets.redact(`before ${echoed} after`)).toMatch(/^before \*\*\*=* after$/);
  });
});

it('scrubs a secret beyond ASCII in every form, a surrogate pair as two \\u escapes', () => {
  const secrets = new Secrets();
  secrets.add('pä ss/wö"rd✓😀');
  for (const [form, echoed] of Object.entries(echoes('pä ss/wö"rd✓😀'))) {
    expect(secrets.redact(`<${echoed}>`), form).toMatch(/^<\*\*\*=*>$/);
  }
});

it('finds a secret as written where it looks like an escape, and escaped too', () => {
  const secret = 'x%41\\u0042\\"y%2';
  const secrets = new Secrets();
  secrets.add(secret);
  for (const echoed of [secret, JSON.stringify(secret), encodeURIComponent(secret)]) {
    expect(secrets.redact(`%${echoed}%4`), echoed).toMatch(/^%"?\*\*\*"?%4$/);
  }
});

it('finds each of many secrets added along the way, and overlapping ones whole', () => {
  const secrets = new Secrets();
  const many = Array.from({ length: 300 }, (_, i) => `${i}-${randomBytes(24).toString('hex')}`);
  for (const secret of many) {
    secrets.add(secret);
    expect(secrets.redact(`one ${secret} one`)).toBe('one *** one');
  }
  expect(secrets.redact(many.join(' | '))).toBe(many.map(() => '***').join(' | '));
  secrets.add('xyz123');
  secrets.add('123abc');
  expect(secrets.redact('a xyz123abc b')).toBe('a *** b');
  // One that ends inside a longer one's start.
  secrets.add('<ABCDEF>');
  secrets.add('BCD');
  expect(secrets.redact('<ABCDE-')).toBe('<A***E-');
});

it('matches a secret in either case, and only whole', () => {
  const signature = randomBytes(32).toString('hex');
  const secrets = new Secrets();
  secrets.add(signature);
  expect(secrets.redact(`Signature=${signature.toUpperCase()},`)).toBe('Signature=***,');
  const prefix = `Signature=${signature.slice(0, -1)} ${signature.slice(1)}`;
  expect(secrets.redact(prefix)).toBe(prefix);
});

it('finds a long periodic secret at the end of a text that repeats its start', () => {
  const secrets = new Secrets();
  secrets.add(`${'ab'.repeat(5_000)}c`);
  const text = 'ab'.repeat(100_000);
  expect(secrets.redact(text)).toBe(text);
  expect(secrets.redact(`${text}c`)).toBe(`${'ab'.repeat(95_000)}***`);
});

it('leaves a text without secrets as it is, escapes and all', () => {
  const secrets = new Secrets();
  secrets.add('hidden');
  const text = 'a %41 \\u0042 \\" + %zz \\ é😀 \u0000\n\u2028 %';
  expect(secrets.redact(text)).toBe(text);
});

describe('encodings a server or a function may wrap a secret in', () => {
  const secret = 'p@ss/w+rd=secret-42é';
  const secrets = new Secrets();
  secrets.add(secret);
  const bytes = Buffer.from(secret);

  it('hex, in either case', () => {
    for (const hex of [bytes.toString('hex'), bytes.toString('hex').toUpperCase()]) {
      expect(secrets.redact(`dump ${hex} end`)).toBe('dump *** end');
    }
  });

  it('percent-encoded twice, as a URL quoted in a URL', () => {
    const twice = encodeURIComponent(encodeURIComponent(secret));
    expect(twice).toContain('%25');
    expect(secrets.redact(`?next=${twice}&x=1`)).toBe('?next=***&x=1');
  });

  it('base64 and base64url inside a longer text, at each of the three offsets', () => {
    for (const prefix of ['{"k":"', '{"ke":"', '{"key":"']) {
      const inner = Buffer.from(`${prefix}${secret}","more":"data after it"}`);
      for (const encoded of [inner.toString('base64'), inner.toString('base64url')]) {
        const redacted = secrets.redact(encoded);
        expect(redacted, `${prefix} ${encoded}`).toContain('***');
        // What is left decodes to no part of the secret longer than the base64 edges.
        const left = redacted.split('***').map((part) => Buffer.from(part, 'base64').toString());
        for (const part of left) expect(part).not.toContain(secret.slice(2, -2));
      }
    }
  });
});
