import { expect, it } from 'vitest';
import { Secrets } from '../src/secrets.js';

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
