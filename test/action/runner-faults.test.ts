// The bundled action when the runner's side goes wrong: files it cannot write, an input it cannot
// read, a bug. Whatever happens, the step ends with one `::error::` at most, the exit code that
// the results call for, nothing on stderr, and no secret anywhere.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { annotations, commands, expectNoLeak, expectOneError } from '../support/leaks.js';
import { ENV, withToken } from '../support/steps.js';

// Made when the file is read: the cases name it as a path that is a directory.
const dir = mkdtempSync(join(tmpdir(), 'runner-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let standIn: StandIn;

beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

describe('outputs that cannot be written', () => {
  it.each([
    ['in a directory that does not exist', '/nonexistent-dir/out'],
    ['a directory', dir],
  ])('fail the step with one error when GITHUB_OUTPUT is %s', async (_, path) => {
    const result = await runAction({ inputs: withToken(standIn), env: { GITHUB_OUTPUT: path } });
    expectOneError(result, /Could not write the step's outputs \(GITHUB_OUTPUT\)/);
    expectNoLeak(result, [standIn.accessToken]);
  });

  it('still leave the job summary and the failure of a function in that one error', async () => {
    standIn.script('createfunction', [{ errcode: 45009, errmsg: 'quota' }]);
    const result = await runAction({
      inputs: withToken(standIn),
      env: { GITHUB_OUTPUT: '/nonexistent-dir/out' },
    });
    expectOneError(
      result,
      /^::error::login: errcode 45009 .*%0ACould not write the step's outputs/,
    );
    expect(result.summary).toMatch(
      /<td>❌ <code>login<\/code><\/td><td><strong>failed<\/strong><\/td>/,
    );
  });

  it('still say why the step failed before it had outputs', async () => {
    const result = await runAction({
      inputs: withToken(standIn, { env: 'Not An Env' }),
      env: { GITHUB_OUTPUT: '/nonexistent-dir/out' },
    });
    expectOneError(result, /::error::Input `env`/);
    expect(standIn.requests).toEqual([]);
    expectNoLeak(result, [standIn.accessToken]);
  });
});

describe('a job summary that cannot be written', () => {
  it.each([
    ['in a directory that does not exist', '/nonexistent-dir/summary'],
    ['a directory', dir],
  ])('is a warning when GITHUB_STEP_SUMMARY is %s: the results stand', async (_, path) => {
    const result = await runAction({
      inputs: withToken(standIn),
      env: { GITHUB_STEP_SUMMARY: path },
    });
    expect(annotations(result, 'error')).toEqual([]);
    expect(commands(result.stdout)).toContainEqual(
      expect.stringMatching(/^::warning::Could not write the job summary: /),
    );
    expect(result.outputs).toMatchObject({ status: 'created', errcode: '0', attempts: '1' });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(standIn.functions(ENV)).toEqual(['login']);
    expectNoLeak(result, [standIn.accessToken]);
  });
});

it('refuses a token holding a lone surrogate with one error, sending nothing', async () => {
  // The runner passes environment variables as UTF-8, where a lone surrogate becomes U+FFFD.
  const result = await runAction({
    inputs: withToken(standIn, { 'access-token': `${standIn.accessToken}\uD800` }),
  });
  expectOneError(result, /::error::Input `access-token`/);
  expect(result.outputs).toMatchObject({ status: 'failed', attempts: '0' });
  expect(standIn.requests).toEqual([]);
  expectNoLeak(result, [standIn.accessToken, `${standIn.accessToken}\uFFFD`]);
});

describe('a bug', () => {
  // Loaded before the action: the first connection the action opens sets off a fault that no
  // code of the action catches, carrying the token as an error that echoes a URL would.
  const inject = (fault: string) => {
    const file = join(dir, `${fault.replace(/\W+/g, '-')}.cjs`);
    writeFileSync(
      file,
      `const net = require('node:net');
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  net.Socket.prototype.connect = connect;
  const token = process.env['INPUT_ACCESS-TOKEN'];
  const error = new Error('bug near access_token=' + token + ' and ' + token);
  setImmediate(() => ${fault});
  return connect.apply(this, args);
};`,
    );
    return { NODE_OPTIONS: `--require ${file}` };
  };

  it.each([
    ['an uncaught exception', '{ throw error; }'],
    ['an unhandled rejection', 'Promise.reject(error)'],
  ])('ends the step with one error, no stack trace, on %s', async (_, fault) => {
    const result = await runAction({ inputs: withToken(standIn), env: inject(fault) });
    expectOneError(result, /^::error::Unexpected failure: bug near /);
    expectNoLeak(result, [standIn.accessToken]);
  });
});
