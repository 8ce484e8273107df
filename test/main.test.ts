// run() in this process, against the stand-in server, with the runner's environment faked:
// INPUT_* variables and the output and summary files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../src/main.js';
import { inputEnv, parseOutputs } from '../stand-in/runner.js';
import { type StandIn, startStandIn } from '../stand-in/server.js';
import { commands, expectNoLeak } from './support/leaks.js';

const ENV = 'test-777bb9';
let standIn: StandIn;

beforeEach(async () => {
  standIn = await startStandIn();
  vi.stubEnv('GITHUB_REF', 'refs/tags/v1.2.0');
  vi.stubEnv('GITHUB_SHA', '0123456789abcdef0123456789abcdef01234567');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  process.exitCode = undefined;
  await standIn.close();
});

// One pair of files for the whole file: @actions/core keeps the summary path it first read.
const dir = mkdtempSync(join(tmpdir(), 'run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary') };

async function runStep(inputs: Record<string, string>) {
  for (const file of Object.values(files)) writeFileSync(file, '');
  const env = {
    ...inputEnv({ 'api-base-url': standIn.url, 'retry-delay-ms': '1', ...inputs }),
    ...files,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  let stdout = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  try {
    await run();
  } finally {
    write.mockRestore();
  }
  return {
    failed: process.exitCode === 1,
    stdout,
    outputs: parseOutputs(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
  };
}

const withToken = (inputs: Record<string, string> = {}) => ({
  env: ENV,
  'function-name': 'login',
  'access-token': standIn.accessToken,
  ...inputs,
});

describe('run', () => {
  it('creates the function, sets the outputs and writes the summary', async () => {
    standIn.script('createfunction', [{ errcode: -1, errmsg: 'system busy' }]);
    const step = await runStep(withToken());
    expect(step.failed).toBe(false);
    expect(step.outputs).toEqual({
      status: 'created',
      code: '',
      errcode: '0',
      errmsg: 'ok',
      attempts: '2',
      results: JSON.stringify([
        {
          function_name: 'login',
          status: 'created',
          state: 'Active',
          runtime: 'Nodejs8.9',
          errcode: 0,
          errmsg: 'ok',
          attempts: 2,
          code: null,
          code_sha256: null,
          config: null,
          triggers: null,
          invoke: null,
        },
      ]),
      'invoke-results': '',
    });
    expect(step.stdout).toMatch(
      /^login: createfunction attempt 1 of 5: errcode -1 \(system busy\): "system busy"; retrying in \d ms$/m,
    );
    expect(step.stdout).toMatch(/^login: createfunction attempt 2 of 5: errcode 0 \(ok\)/m);
    expect(step.stdout).toMatch(/^login: created · Active · Nodejs8\.9 · \d+\.\d s$/m);
    expect(step.summary).toContain(
      '<tr><td><code>login</code></td><td>created</td><td>Active</td><td>Nodejs8.9</td>',
    );
    expect(step.summary).toContain('<code>refs/tags/v1.2.0</code> at <code>0123456</code>');
    expect(step.summary).not.toContain('`');
    expect(standIn.functions(ENV)).toEqual(['login']);
    expectNoLeak(step, [standIn.accessToken]);
  });

  it('masks the token first of all', async () => {
    const step = await runStep(withToken());
    expect(step.stdout.split('\n')[0]).toBe(`::add-mask::${standIn.accessToken}`);
  });

  it('rejects a bad input before any request, naming it', async () => {
    const step = await runStep(withToken({ 'function-name': 'login\n1bad' }));
    expect(step.failed).toBe(true);
    expect(commands(step.stdout)).toContainEqual(
      expect.stringMatching(/^::error::Input `function-name` has an invalid name "1bad"/),
    );
    expect(step.outputs).toMatchObject({ status: 'failed', attempts: '0', errcode: '' });
    expect(standIn.requests).toEqual([]);
  });

  describe('if-exists', () => {
    it('skip: succeeds with status `exists`, said on its line of the log', async () => {
      await runStep(withToken());
      const step = await runStep(withToken());
      expect(step.failed).toBe(false);
      expect(step.outputs.status).toBe('exists');
      expect(step.stdout).toMatch(/^login: exists · Active · Nodejs8\.9 · /m);
      expect(commands(step.stdout).filter((c) => /^::(notice|error)/.test(c))).toEqual([]);
    });

    it('fail: fails naming the function and env; status `failed`, the function `exists`', async () => {
      await runStep(withToken());
      const step = await runStep(withToken({ 'if-exists': 'fail' }));
      expect(step.failed).toBe(true);
      expect(step.outputs).toMatchObject({
        status: 'failed',
        errcode: '',
        errmsg: `already exists in ${ENV}, and \`if-exists\` is \`fail\``,
      });
      expect(JSON.parse(step.outputs.results)[0]).toMatchObject({
        status: 'failed',
        state: 'Active',
        errcode: null,
      });
      expect(commands(step.stdout)).toContain(
        `::error::login: already exists in ${ENV}, and \`if-exists\` is \`fail\`.`,
      );
      expect(standIn.calls('createfunction')).toHaveLength(1);
    });

    it('fail: a function this run created behind a lost answer is `created`, and the step succeeds', async () => {
      standIn.script('createfunction', [{ reset: true, apply: true }]);
      const step = await runStep(withToken({ 'if-exists': 'fail' }));
      expect(step.failed).toBe(false);
      expect(step.outputs).toMatchObject({ status: 'created', attempts: '2' });
      expect(step.summary).toMatch(/listed after attempt 1, whose answer was lost/);
    });
  });

  it('creates several functions, each on its own, and names every failure', async () => {
    standIn.script('createfunction', [{ errcode: 45009, errmsg: 'quota' }], 'pay');
    standIn.script('createfunction', [{ errcode: 40001, errmsg: 'denied' }], 'refund');
    const step = await runStep(
      withToken({ 'function-name': 'login\npay\n\n notify \nrefund\nlogin', parallel: '2' }),
    );
    expect(step.failed).toBe(true);
    const results = JSON.parse(step.outputs.results);
    expect(
      results.map(
        (r: { function_name: string; status: string }) => `${r.function_name}:${r.status}`,
      ),
    ).toEqual(['login:created', 'pay:failed', 'notify:created', 'refund:failed']);
    expect(step.outputs).toMatchObject({
      status: 'failed',
      errcode: '45009',
      errmsg: 'quota',
      attempts: '4',
    });
    const errors = commands(step.stdout).filter((c) => c.startsWith('::error'));
    expect(errors).toEqual([
      expect.stringMatching(
        /^::error title=pay in test-777bb9::pay: errcode 45009 \(daily quota reached\)/,
      ),
      expect.stringMatching(/^::error title=refund in test-777bb9::refund: errcode 40001/),
      expect.stringMatching(
        new RegExp(
          `^::error::2 of 4 functions failed in ${ENV}\\.%0AFor pay: Retry tomorrow, or raise the quota\\.%0AFor refund: `,
        ),
      ),
    ]);
    expect(step.summary.match(/<tr><td>/g)).toHaveLength(4);
    // Failed rows first.
    expect(step.summary).toMatch(
      /^<h3>WeChat cloud functions in <code>test-777bb9<\/code><\/h3>\n\n<p>4 functions: 2 created, 2 failed\..*<tr><td>❌ <code>pay<\/code>.*<tr><td>❌ <code>refund<\/code>.*<tr><td><code>login<\/code>.*<li><code>pay<\/code>: errcode 45009/s,
    );
  });

  it('with several functions and none failed, errcode and errmsg are the first one’s, attempts the total', async () => {
    const step = await runStep(withToken({ 'function-name': 'login\npay' }));
    expect(step.outputs).toMatchObject({
      status: 'created',
      errcode: '0',
      errmsg: 'ok',
      attempts: '2',
    });
  });

  it('explains a token that WeChat refuses', async () => {
    const step = await runStep(withToken({ 'access-token': 'stale-token' }));
    expect(step.failed).toBe(true);
    expect(commands(step.stdout).join('\n')).toMatch(
      /::error::Nothing was sent after the list: the list of the functions in test-777bb9 was refused: errcode 40014 .*authorizer_access_token.*two hours/,
    );
    expect(standIn.calls('createfunction')).toEqual([]);
  });

  describe('app-id and app-secret', () => {
    const withApp = (inputs: Record<string, string> = {}) => ({
      env: ENV,
      'function-name': 'login',
      'app-id': standIn.appId,
      'app-secret': standIn.appSecret,
      ...inputs,
    });

    it('mints a stable token, masks it, and creates with it', async () => {
      const step = await runStep(withApp());
      expect(step.failed).toBe(false);
      expect(commands(step.stdout)).toEqual(
        expect.arrayContaining([
          `::add-mask::${standIn.appSecret}`,
          `::add-mask::${standIn.mintedToken}`,
        ]),
      );
      expect(standIn.calls('createfunction')[0].query.access_token).toBe(standIn.mintedToken);
      expectNoLeak(step, [standIn.appSecret, standIn.mintedToken]);
    });

    it.each([40014, 48001])(
      'a refusal (%i) of the minted token says so and points to the access-token route',
      async (errcode) => {
        standIn.script('listfunctions', [{ errcode, errmsg: 'refused' }]);
        standIn.script('createfunction', [{ errcode, errmsg: 'refused' }]);
        const step = await runStep(withApp());
        expect(step.failed).toBe(true);
        const errors = commands(step.stdout).filter((c) => c.startsWith('::error'));
        // 40014 refuses the whole set: nothing is tried. 48001 may refuse the list alone.
        const who = errcode === 40014 ? 'Nothing was sent after the list: .*' : 'login: ';
        expect(errors).toEqual([
          expect.stringMatching(
            new RegExp(
              `^::error::${who}errcode ${errcode} .*minted from \`app-id\` and \`app-secret\`.*may refuse.*\`access-token\``,
            ),
          ),
        ]);
      },
    );

    it.each([
      [40013, /invalid appid.*Check `app-id`/],
      [40125, /invalid appsecret.*Check `app-secret`/],
      [
        40164,
        /not in the account's API IP whitelist.*GitHub-hosted runners change IP.*self-hosted runner.*https_proxy.*whitelist off/,
      ],
      [40243, /AppSecret frozen/],
    ])('explains token errcode %i and does not call createfunction', async (errcode, explained) => {
      standIn.script('stable_token', [{ errcode, errmsg: `scripted ${standIn.appSecret}` }]);
      const step = await runStep(withApp({ 'function-name': 'login\npay' }));
      expect(step.failed).toBe(true);
      const errors = commands(step.stdout).filter((c) => c.startsWith('::error::'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        /^::error::Nothing was tried: could not get an access token from cgi-bin\/stable_token/,
      );
      expect(errors[0]).toMatch(explained);
      expect(step.outputs).toMatchObject({
        status: 'failed',
        errcode: String(errcode),
        attempts: '0',
      });
      expect(standIn.calls('createfunction')).toEqual([]);
      expectNoLeak(step, [standIn.appSecret]);
    });
  });

  describe('text from the server', () => {
    it('cannot issue workflow commands or forge outputs', async () => {
      standIn.script('createfunction', [
        { errcode: -1, errmsg: 'bad\n::error::pwned\n::add-mask::x' },
        {
          errcode: 40001,
          errmsg: 'x\nstatus<<EOF\ncreated\nEOF\n::set-output name=status::created',
        },
      ]);
      const step = await runStep(withToken());
      expect(step.stdout).not.toMatch(/^::error::pwned|^::add-mask::x|^::set-output/m);
      expect(
        commands(step.stdout).every((c) => /^::(add-mask|debug|error|warning)::/.test(c)),
      ).toBe(true);
      expect(step.outputs.status).toBe('failed');
      expect(step.outputs.errmsg).toBe(
        'x status<<EOF created EOF ::set-output name=status::created',
      );
      expect(Object.keys(step.outputs).sort()).toEqual([
        'attempts',
        'code',
        'errcode',
        'errmsg',
        'invoke-results',
        'results',
        'status',
      ]);
    });

    it('is escaped in the job summary', async () => {
      standIn.script('createfunction', [
        { errcode: 40001, errmsg: '<img src=x onerror=alert(1)><script>x</script>' },
      ]);
      const step = await runStep(withToken());
      expect(step.summary).not.toMatch(/<img|<script/);
      expect(step.summary).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;');
    });
  });
});
