// Secrets of several kilobytes through the bundled action, as the runner starts it: an access
// token, a signed header. And the last resort when redaction itself fails, or an error quotes
// what it must not: the step still ends with one `::error::`, exit code 1, nothing on stderr.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunResult, runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { temporaryFolder } from '../support/folders.js';
import { commands, expectNoLeak, expectOneError, results } from '../support/leaks.js';
import { codeFolders, withToken } from '../support/steps.js';

/** Where the scripts Node loads before the action are written. */
const preloads = temporaryFolder();
const code = codeFolders(['login']);
let standIn: StandIn;
beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

/** `length` random visible-ASCII characters: every one a token may hold, `%` and `\` too. */
const visible = (length: number) =>
  Array.from(randomBytes(length), (byte) => String.fromCharCode(0x21 + (byte % 94))).join('');

/** The run failed as a run does: exit 1, one error, its outputs and summary, no trace, no leak. */
function expectFailedRun(result: RunResult, secrets: string[]): void {
  expectOneError(result);
  expect(result.outputs.status).toBe('failed');
  expect(result.summary).toMatch(/<code>login<\/code>/);
  expectNoLeak(result, secrets);
}

describe('an access token of', () => {
  it('4,600 characters is refused with 40014, scrubbed from every echo', async () => {
    const token = visible(4600);
    const echoed = `invalid access_token ${token} ${JSON.stringify(token)}`;
    standIn.script('listfunctions', [{ errcode: 40014, errmsg: echoed }]);
    const result = await runAction({ inputs: withToken(standIn, { 'access-token': token }) });
    // The refused list stops the run: its answer is the one echo.
    expect(standIn.requests.map((r) => r.route)).toEqual(['listfunctions']);
    expectFailedRun(result, [token, JSON.stringify(token).slice(1, -1)]);
    expect(result.outputs.errmsg).toBe('invalid access_token *** "***"');
    // Announced once, as the runner's workflow commands escape `%`.
    const masks = commands(result.stdout).filter((c) => c.startsWith('::add-mask::'));
    expect(masks).toEqual([`::add-mask::${token.replaceAll('%', '%25')}`]);
  });

  // Windows holds an environment variable to 32,767 characters: the runner could not pass it.
  it.skipIf(process.platform === 'win32')(
    '100,000 characters ends the run with its failure, not a crash',
    async () => {
      const token = visible(100_000);
      const result = await runAction({ inputs: withToken(standIn, { 'access-token': token }) });
      expectFailedRun(result, [token]);
      // Node's HTTP server refuses a request line this long before WeChat's check would.
      expect(result.outputs.errmsg).toMatch(/^(HTTP 431 |invalid access_token)/);
    },
  );
});

it('a signed header of 5,000 characters is scrubbed from the upload host’s echo', async () => {
  const signature = randomBytes(2445).toString('hex');
  const authorization = `TC3-HMAC-SHA256 Credential=AKIDstandin/2026-01-01/scf/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`;
  expect(authorization).toHaveLength(5000);
  const headers = [
    `Authorization:${authorization}`,
    `Host:${standIn.scfHost}`,
    'X-TC-Action:UpdateFunctionCode',
    `X-TC-Timestamp:${Math.floor(Date.now() / 1000)}`,
    'X-TC-Version:2018-04-16',
  ].join('\r\n');
  standIn.script('getuploadsignature', [{ json: { errcode: 0, errmsg: 'ok', headers } }]);
  const echo = `refused ${authorization}; signature ${signature.toUpperCase()}`;
  standIn.script('scf', [
    { tencentError: { code: 'AuthFailure.SignatureFailure', message: echo } },
  ]);
  const result = await runAction({
    inputs: withToken(standIn, { 'code-dir': code.path }),
  });
  expectFailedRun(result, [authorization, signature, standIn.accessToken, standIn.codeSecret]);
  expect(standIn.calls('scf')).toHaveLength(1);
  const [login] = results(result);
  expect(login).toMatchObject({ status: 'failed', code: 'failed' });
  expect(login.errmsg).toContain('AuthFailure.SignatureFailure: refused ***; signature *** (');
});

describe('the last resort', () => {
  /** Node's options to load `code` before the action. */
  const preload = (name: string, code: string) => {
    const file = join(preloads.path, `${name}.cjs`);
    writeFileSync(file, code);
    return { NODE_OPTIONS: `--require ${file}` };
  };
  /** Throws what `make` returns, given the token, once the action listens for what escapes. */
  const thrownOnceListening = (name: string, make: string) =>
    preload(
      name,
      `process.on('newListener', function once(event) {
  if (event !== 'unhandledRejection') return;
  process.off('newListener', once);
  const token = process.env['INPUT_ACCESS-TOKEN'];
  setImmediate(() => { throw (${make})(token); });
});`,
    );

  function expectLastResort(result: RunResult, says: RegExp, secrets: string[]): string {
    expectNoLeak(result, secrets);
    return expectOneError(result, says);
  }

  it('does not show a SyntaxError, which quotes the pattern that spelled a secret out', async () => {
    const token = visible(4600);
    await standIn.close();
    standIn = await startStandIn({ accessToken: token });
    const result = await runAction({
      inputs: withToken(standIn, { 'access-token': token }),
      env: thrownOnceListening(
        'syntax-error',
        `(token) => new SyntaxError('Invalid regular expression: /' +
          [...token].map((c) => '(?:' + c + '|%' + c.charCodeAt(0).toString(16) + ')').join('') +
          '/gi: Stack overflow')`,
      ),
    });
    const error = expectLastResort(result, /^::error::Unexpected failure: SyntaxError /, [token]);
    expect(error).not.toContain('(?:');
    expect(error.length).toBeLessThan(200);
  });

  it('does not show a message it cannot read', async () => {
    const result = await runAction({
      inputs: withToken(standIn),
      env: thrownOnceListening(
        'unreadable',
        `(token) => Object.defineProperty(new Error(), 'message', {
          get() { throw new Error('access_token=' + token); },
        })`,
      ),
    });
    expectLastResort(result, /^::error::Unexpected failure: its message could not be checked/, [
      standIn.accessToken,
    ]);
  });

  it('shows a long message redacted and shortened', async () => {
    const result = await runAction({
      inputs: withToken(standIn),
      env: thrownOnceListening(
        'long-message',
        `(token) => new Error(token + ' x'.repeat(5000) + token)`,
      ),
    });
    const error = expectLastResort(result, /^::error::Unexpected failure: \*\*\* x x x/, [
      standIn.accessToken,
    ]);
    expect(error.length).toBeLessThan(400);
  });

  it('holds when redaction fails in run() and again in the handler', async () => {
    // A server echo that redaction cannot read stands for any failure of redaction: it throws,
    // quoting the text it was given, as a V8 error may.
    const env = preload(
      'redaction-fails',
      `const matchAll = String.prototype.matchAll;
String.prototype.matchAll = function (...args) {
  if (this.includes('unreadable')) throw new Error('cannot read ' + this);
  return matchAll.apply(this, args);
};`,
    );
    const errmsg = `unreadable ${standIn.accessToken}`;
    standIn.script('listfunctions', [{ errcode: 40014, errmsg }]);
    const result = await runAction({ inputs: withToken(standIn), env });
    expectLastResort(result, /^::error::Unexpected failure: its message could not be checked/, [
      standIn.accessToken,
    ]);
  });
});
