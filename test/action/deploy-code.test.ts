// Deploying code through the bundled action, as the runner starts it, against the stand-in and
// its signed upload endpoint, which checks hash, signature age, code secret, size and zip.
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunResult, runAction } from '../../stand-in/runner.js';
import { type StandIn, type StandInOptions, startStandIn } from '../../stand-in/server.js';
import { writeTree } from '../support/folders.js';
import { annotations, commands, expectNoLeak, results } from '../support/leaks.js';
import { codeFolders, ENV, withToken } from '../support/steps.js';

let standIn: StandIn;
const code = codeFolders(['login', 'pay'], {
  'package.json': '{"dependencies":{}}\n',
  'node_modules/dep/index.js': 'module.exports = 1;\n',
});

async function restart(options: StandInOptions = {}) {
  await standIn?.close();
  standIn = await startStandIn(options);
}

beforeEach(() => restart());
afterEach(() => standIn.close());

/** Runs the action; every secret it learned, the signed headers included, must stay hidden. */
async function deploy(inputs: Record<string, string> = {}): Promise<RunResult> {
  const result = await runAction({
    inputs: withToken(standIn, { 'function-name': 'login\npay', 'code-dir': code.path, ...inputs }),
  });
  const signed = standIn.calls('scf').map((c) => String(c.headers.authorization));
  const signatures = signed.map((a) => /Signature=(\w+)/.exec(a)?.[1] ?? a);
  expectNoLeak(result, [standIn.accessToken, standIn.codeSecret, ...signed, ...signatures]);
  expect(result.stderr).toBe('');
  return result;
}

const entries = (zip: Buffer | undefined) => Object.keys(unzipSync(zip ?? Buffer.alloc(0))).sort();
const sha256 = (bytes: Buffer | undefined) =>
  createHash('sha256')
    .update(bytes ?? '')
    .digest('hex');

describe('deploying the code of several functions', () => {
  it('creates what is missing and deploys every function, new or existing', async () => {
    standIn.put(ENV, 'pay');
    const result = await deploy();
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('created');
    expect(results(result)).toEqual([
      expect.objectContaining({
        function_name: 'login',
        status: 'created',
        state: 'Active',
        code: 'deployed',
        code_sha256: sha256(standIn.code(ENV, 'login')),
      }),
      expect.objectContaining({
        function_name: 'pay',
        status: 'exists',
        state: 'Active',
        code: 'deployed',
        code_sha256: sha256(standIn.code(ENV, 'pay')),
      }),
    ]);
    // install-dependencies (the default): node_modules stays home, the cloud installs.
    expect(entries(standIn.code(ENV, 'login'))).toEqual(['index.js', 'package.json']);
    expect(standIn.installDependency(ENV, 'login')).toBe('TRUE');
    expect(standIn.calls('getcodesecret')).toHaveLength(1);
    const pay = sha256(standIn.code(ENV, 'pay'));
    expect(result.stdout).toMatch(
      new RegExp(`^pay: exists · code deployed \\d+ B sha256 ${pay.slice(0, 12)} · Active · `, 'm'),
    );
    // Cut to 12 characters in the table, whole where it can be copied.
    expect(result.summary).toContain(`<code>${pay.slice(0, 12)}</code>`);
    expect(result.summary).toMatch(new RegExp(`<pre>\n[^<]*pay    ${pay}\n`));
    expect(result.summary).toMatch(/<td>deployed<\/td><td>\d+ B<\/td>/);
  });

  it('uploads node_modules as it is with install-dependencies: false', async () => {
    const result = await deploy({ 'install-dependencies': 'false' });
    expect(result.code).toBe(0);
    expect(entries(standIn.code(ENV, 'pay'))).toEqual([
      'index.js',
      'node_modules/dep/index.js',
      'package.json',
    ]);
    expect(standIn.installDependency(ENV, 'pay')).toBe('FALSE');
  });

  it('gives the same hash to the same folder on a re-run', async () => {
    const first = results(await deploy());
    const second = results(await deploy());
    expect(second.map((r: { status: string }) => r.status)).toEqual(['exists', 'exists']);
    expect(second.map((r: { code_sha256: string }) => r.code_sha256)).toEqual(
      first.map((r: { code_sha256: string }) => r.code_sha256),
    );
  });

  it('reports hashes and sends nothing but the list in a dry run', async () => {
    const result = await deploy({ 'dry-run': 'true' });
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({
      status: 'would-create',
      code: null,
      code_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(standIn.requests.map((r) => r.route)).toEqual(['listfunctions']);
  });
});

describe('a function that cannot get its code', () => {
  it('has a body over 10 MiB: fails alone, naming its size, and is never created without code', async () => {
    writeTree(join(code.path, 'pay'), { 'big.bin': randomBytes(8 * 1024 * 1024) });
    const result = await deploy({ 'install-dependencies': 'false' });
    expect(result.code).toBe(1);
    const [login, pay] = results(result);
    expect(login).toMatchObject({ code: 'deployed' });
    expect(pay).toMatchObject({ status: 'failed', code: 'failed', errcode: null });
    expect(pay.errmsg).toMatch(
      /^code: Function folder .*pay: its zip would be larger than \d+ bytes/,
    );
    expect(commands(result.stdout).join('\n')).toMatch(/install-dependencies: true/);
    // Prepared before the first request: it was neither created nor signed for.
    expect(standIn.functions(ENV)).toEqual(['login']);
    expect(standIn.calls('getuploadsignature')).toHaveLength(1);
  });

  it('is refused for a tampered body (signature mismatch): at once, with a hint', async () => {
    standIn.script(
      'scf',
      [{ tencentError: { code: 'AuthFailure.SignatureFailure', message: 'signature mismatch' } }],
      'login',
    );
    const result = await deploy();
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({
      code: 'failed',
      errmsg: expect.stringMatching(
        /^code upload: AuthFailure\.SignatureFailure: signature mismatch/,
      ),
    });
    expect(
      standIn
        .calls('scf')
        .filter((c) => (c.body as { FunctionName: string }).FunctionName === 'login'),
    ).toHaveLength(1);
    expect(commands(result.stdout).join('\n')).toMatch(/sent exactly as it was hashed/);
  });

  it('gets a fresh signature once for an expired one, then deploys', async () => {
    standIn.signWithAge(10 * 60 * 1000);
    const result = await deploy({ 'function-name': 'login' });
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ code: 'deployed' });
    expect(standIn.calls('getuploadsignature')).toHaveLength(2);
    expect(standIn.calls('scf')).toHaveLength(2);
  });

  it('fails when the fresh signature is expired too', async () => {
    standIn.signWithAge(10 * 60 * 1000, Number.POSITIVE_INFINITY);
    const result = await deploy({ 'function-name': 'login' });
    expect(result.code).toBe(1);
    expect(results(result)[0].errmsg).toMatch(/AuthFailure\.SignatureExpire/);
    expect(standIn.calls('scf')).toHaveLength(2);
  });

  it('fails when the install fails in the cloud, with WeChat’s status_reason and a hint for it', async () => {
    await restart({ updateMs: 30 });
    standIn.failUpdate('pay', { errcode: 'InstallDependencyFailed', errmsg: 'npm ERR! 404 nope' });
    const result = await deploy();
    expect(result.code).toBe(1);
    // The same code would fail the same way: the hint is about package.json, not a new upload.
    const [error] = annotations(result, 'error');
    expect(error).toMatch(/could not install the dependencies of `package\.json`/);
    expect(error).not.toMatch(/deploy the code again/);
    expect(results(result)[1]).toMatchObject({
      status: 'failed',
      state: 'UpdateFailed',
      code: 'failed',
      errmsg: 'code upload: UpdateFailed: InstallDependencyFailed: npm ERR! 404 nope',
    });
    expect(results(result)[0]).toMatchObject({ state: 'Active', code: 'deployed' });
  });

  it('waits until a function it just created is Active before sending the body', async () => {
    await restart({ createMs: 80 });
    const result = await deploy({ 'function-name': 'login', 'retry-delay-ms': '10' });
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ code: 'deployed', state: 'Active' });
    expect(standIn.calls('scf')).toHaveLength(1);
    expect(standIn.calls('listfunctions').length).toBeGreaterThan(2);
  });

  it('is retried when the host says the function is busy and the list shows it Updating', async () => {
    standIn.put(ENV, 'login');
    const updating = {
      json: {
        errcode: 0,
        errmsg: 'ok',
        total_count: 1,
        functions: [{ name: 'login', status: 'Updating' }],
      },
    };
    // The first list as it is; the next, asked after the busy answer, says Updating.
    standIn.script('listfunctions', [{}, updating]);
    standIn.script(
      'scf',
      [{ tencentError: { code: 'FailedOperation.UpdateFunctionCode', message: 'busy' } }],
      'login',
    );
    const result = await deploy({ 'function-name': 'login', 'retry-delay-ms': '10' });
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ code: 'deployed', state: 'Active' });
    expect(standIn.calls('scf')).toHaveLength(2);
    expect(result.stdout).toMatch(
      /^login: upload attempt 1 of 5: FailedOperation\.UpdateFunctionCode: busy \(RequestId [^)]+\); waiting for the function to settle, then sending again$/m,
    );
  });

  it('fails at once when the host says busy but the list shows no such thing', async () => {
    standIn.put(ENV, 'login', 'UpdateFailed');
    standIn.script(
      'scf',
      [{ tencentError: { code: 'ResourceInUse.Function', message: 'in use' } }],
      'login',
    );
    const result = await deploy({ 'function-name': 'login' });
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({ code: 'failed' });
    expect(standIn.calls('scf')).toHaveLength(1);
  });

  it('is never sent to a host that is not Tencent Cloud’s', async () => {
    standIn.script('getuploadsignature', [
      { json: { errcode: 0, errmsg: 'ok', headers: 'Authorization:TC3 x\r\nHost:evil.example' } },
    ]);
    const result = await deploy({ 'function-name': 'login' });
    expect(result.code).toBe(1);
    expect(results(result)[0].errmsg).toMatch(
      /names the host "evil\.example", not a tencentcloudapi\.com host: nothing was sent/,
    );
    expect(standIn.calls('scf')).toEqual([]);
  });

  it('without its folder is an input error before any request', async () => {
    const result = await deploy({ 'function-name': 'login\nnotify' });
    expect(result.code).toBe(1);
    expect(commands(result.stdout)).toContainEqual(
      expect.stringMatching(/^::error::Input `code-dir` has no folder for `notify`/),
    );
    expect(standIn.requests).toEqual([]);
  });

  it('without a code secret fails its code, and the function is still created', async () => {
    standIn.script('getcodesecret', [{ errcode: 40014, errmsg: 'invalid access_token' }]);
    const result = await deploy({ 'function-name': 'login' });
    expect(result.code).toBe(1);
    expect(results(result)[0]).toMatchObject({ status: 'failed', code: 'failed', errcode: 40014 });
    expect(standIn.functions(ENV)).toContain('login');
  });
});
