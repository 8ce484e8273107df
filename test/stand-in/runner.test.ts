import { expect, it } from 'vitest';
import { inputEnv, parseOutputs } from '../../stand-in/runner.js';

it('reads GITHUB_OUTPUT heredocs and plain lines, and ends on an unclosed heredoc', () => {
  expect(parseOutputs('a<<EOF\none\ntwo\nEOF\nb=2\nc<<X\nunclosed\n')).toEqual({
    a: 'one\ntwo',
    b: '2',
    c: 'unclosed\n',
  });
});

it('sets INPUT_* as the runner does: upper case, hyphens kept, defaults applied', () => {
  const env = inputEnv({ 'function-name': 'login' });
  expect(env['INPUT_FUNCTION-NAME']).toBe('login');
  expect(env['INPUT_MAX-ATTEMPTS']).toBe('5');
  expect(env).not.toHaveProperty('INPUT_ENV');
});
