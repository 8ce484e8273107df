// What a person reads of a run: its log, and its job summary as GitHub renders it (a
// GitHub-flavoured Markdown renderer, with HTML let through as GitHub lets it through). Through
// dist/index.js as the runner starts it, against the stand-in.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { type RunResult, runAction } from '../../stand-in/runner.js';
import { type StandIn, type StandInOptions, startStandIn } from '../../stand-in/server.js';
import { annotations, results } from '../support/leaks.js';
import { codeFolders, withToken } from '../support/steps.js';

let standIn: StandIn;
const code = codeFolders(['login', 'pay', 'notify']);

beforeEach(async () => {
  standIn = await startStandIn({ createMs: 30, updateMs: 30 });
});
afterEach(() => standIn.close());

async function restart(options: StandInOptions): Promise<void> {
  await standIn.close();
  standIn = await startStandIn(options);
}

const render = (markdown: string) =>
  micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
  });

async function run(inputs: Record<string, string>): Promise<RunResult> {
  const result = await runAction({
    inputs: withToken(standIn, { 'retry-delay-ms': '10', ...inputs }),
  });
  expect(result.stderr).toBe('');
  return result;
}

/** The log as a person sees it: no debug lines, no masks. */
const visible = (stdout: string) =>
  stdout.split('\n').filter((line) => line !== '' && !/^::(debug|add-mask)::/.test(line));

describe('the log of a three-function deploy', () => {
  it('says what the run will do, what it waits for, how each function ended, and the whole', async () => {
    standIn.put('test-777bb9', 'pay');
    const result = await run({ 'function-name': 'login\npay\nnotify', 'code-dir': code.path });
    expect(result.code).toBe(0);
    const lines = visible(result.stdout);
    expect(lines.slice(0, 2)).toEqual([
      "route: WeChat's API (access-token given)",
      "test-777bb9: 3 functions through WeChat's API; the list shows 1 already (pay).",
    ]);
    expect(lines.some((l) => /^waiting for (\w+ \(\w+\)(, )?)+: \d+ s of 60$/.test(l))).toBe(true);
    const outcome =
      /^(\w+): (created|exists) · code deployed \d+ B sha256 [0-9a-f]{12} · Active · Nodejs8\.9 · \d+\.\d s$/;
    const ends = lines.filter((l) => outcome.test(l)).map((l) => l.split(':')[0]);
    expect(ends).toEqual(['login', 'pay', 'notify']);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^test-777bb9: 3 functions: 2 created, 1 existed; code deployed to 3; \d+\.\d s\.$/,
      ),
    );
    // Attempts that succeeded at once are debug detail.
    expect(lines.filter((l) => /attempt 1 of/.test(l))).toEqual([]);
    // A round that would say what the last one said is not printed.
    const waits = lines.filter((l) => l.startsWith('waiting for'));
    expect(waits.filter((l, i) => i > 0 && l === waits[i - 1])).toEqual([]);
  });

  it('prints a waiting line once while nothing changes', async () => {
    await restart({ createMs: 300 });
    const result = await run({ 'retry-delay-ms': '10' });
    expect(result.code).toBe(0);
    const waits = visible(result.stdout).filter((l) => l.startsWith('waiting for'));
    // About six rounds within the first second, all alike.
    expect(waits).toEqual(['waiting for login (Creating): 0 s of 60']);
  });

  it('says no attempt count for an answer that ends the call at once', async () => {
    standIn.script('createfunction', [{ errcode: 40097, errmsg: 'invalid args' }]);
    const result = await run({});
    expect(result.code).toBe(1);
    const lines = visible(result.stdout);
    expect(lines).toContainEqual(
      'login: createfunction: errcode 40097 (invalid args): "invalid args"',
    );
    expect(result.stdout).not.toMatch(/attempt 1 of/);
  });

  it('shows a retry where it happens, and a hint once per cause', async () => {
    standIn.script('createfunction', [{ errcode: -1, errmsg: 'system busy' }], 'login');
    standIn.script('createfunction', [{ errcode: 45009, errmsg: 'quota' }], 'pay');
    standIn.script('createfunction', [{ errcode: 45009, errmsg: 'quota' }], 'notify');
    const result = await run({ 'function-name': 'login\npay\nnotify' });
    expect(result.code).toBe(1);
    const lines = visible(result.stdout);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^login: createfunction attempt 1 of 5: errcode -1 \(system busy\): "system busy"; retrying in \d+ ms$/,
      ),
    );
    expect(result.stdout.split('Retry tomorrow, or raise the quota.').length - 1).toBe(1);
  });
});

describe('the log of a dry run', () => {
  it('prints the plan per function', async () => {
    standIn.put('test-777bb9', 'pay');
    const result = await run({
      'function-name': 'login\npay',
      'code-dir': code.path,
      'dry-run': 'true',
    });
    expect(result.code).toBe(0);
    const lines = visible(result.stdout);
    expect(lines).toEqual([
      "route: WeChat's API (access-token given)",
      "test-777bb9: 2 functions through WeChat's API; the list shows 1 already (pay).",
      'Dry run: what a run would do (nothing was created, uploaded or written):',
      expect.stringMatching(
        /^login: would be created · code \d+ B sha256 [0-9a-f]{12} \(not sent: dry run\) · \d+\.\d s$/,
      ),
      expect.stringMatching(
        /^pay: exists · code \d+ B sha256 [0-9a-f]{12} \(not sent: dry run\) · Active · Nodejs8\.9 · \d+\.\d s$/,
      ),
      expect.stringMatching(
        /^test-777bb9: 2 functions: 1 would be created, 1 existed; code zipped, not sent; \d+\.\d s\.$/,
      ),
      expect.stringMatching(/^::warning::Runtimes past their end of life: pay \(Nodejs8\.9/),
    ]);
    expect(result.outputs).toMatchObject({ status: 'would-create', code: '', errcode: '' });
  });
});

describe('the job summary, rendered as GitHub renders it', () => {
  it('of a mixed run: one table, the count line, failed rows first and marked, no literal Markdown', async () => {
    standIn.put('test-777bb9', 'pay');
    standIn.script(
      'scf',
      [{ tencentError: { code: 'AuthFailure.SignatureFailure', message: 'bad' } }],
      'notify',
    );
    const result = await run({ 'function-name': 'login\npay\nnotify', 'code-dir': code.path });
    expect(result.code).toBe(1);
    const html = render(result.summary);
    expect(html).not.toContain('`');
    expect(html.match(/<table>/g)).toHaveLength(1);
    expect(html).toMatch(
      /<h3>WeChat cloud functions in <code>test-777bb9<\/code><\/h3>\n<p>3 functions: 1 created, 1 existed, 1 failed; code deployed to 2\. Through WeChat&#39;s API, \d+\.\d s\.<\/p>/,
    );
    const rows = [...html.matchAll(/<tr><td>(.*?)<\/td>/g)].map((m) => m[1]);
    expect(rows).toEqual(['❌ <code>notify</code>', '<code>login</code>', '<code>pay</code>']);
    // The hint of the failure, in HTML, as it was written with code spans.
    expect(html).toMatch(/<li>The upload host refused the signature/);
    // Each zip's SHA-256 whole, where it can be copied; cut in the table.
    expect(html).toMatch(/<pre>\n(login|pay|notify) +[0-9a-f]{64}\n/);
    expect(html).toMatch(/<td><code>[0-9a-f]{12}<\/code><\/td>/);
  });

  it('of a run that met if-exists: fail: our code spans as <code>, none literal', async () => {
    standIn.put('test-777bb9', 'pay');
    const result = await run({ 'function-name': 'login\npay', 'if-exists': 'fail' });
    expect(result.code).toBe(1);
    const html = render(result.summary);
    expect(html).not.toContain('`');
    expect(html).toContain('and <code>if-exists</code> is <code>fail</code>');
    expect(html).toMatch(/<p>2 functions: 1 created, 1 failed\. /);
  });

  it('of an input error: a line saying which input was wrong', async () => {
    const result = await run({ env: 'Not An Env' });
    expect(result.code).toBe(1);
    const html = render(result.summary);
    expect(html).not.toContain('`');
    expect(html).toBe(
      '<h3>WeChat cloud functions</h3>\n<p>❌ Input <code>env</code> must be a cloud environment id such as <code>test-777bb9</code>: a lowercase letter, then lowercase letters, digits and <code>-</code>, at most 64 characters; got &quot;Not An Env&quot;. Nothing was sent.</p>\n',
    );
  });
});

describe('the count line', () => {
  /** The statuses of the count line, summed: `3 functions: 1 created, 2 failed; …` → 3. */
  const counted = (summary: string) => {
    const line = /<p>(\d+) functions?: ([^;.]*)/.exec(summary);
    if (!line) throw new Error(`no count line in ${summary}`);
    const sum = [...line[2].matchAll(/(\d+) /g)].reduce((n, m) => n + Number(m[1]), 0);
    return { total: Number(line[1]), sum };
  };

  it.each<[string, () => void, Record<string, string>]>([
    ['if-exists: fail', () => standIn.put('test-777bb9', 'pay'), { 'if-exists': 'fail' }],
    [
      'an upload refused for one, a create refused for another',
      () => {
        standIn.put('test-777bb9', 'pay');
        standIn.script('createfunction', [{ errcode: 40097, errmsg: 'bad' }], 'notify');
        standIn.script(
          'scf',
          [{ tencentError: { code: 'AuthFailure.SignatureFailure', message: 'bad' } }],
          'pay',
        );
      },
      { 'code-dir': code.path },
    ],
    [
      'an invoke that fails',
      () => standIn.script('invokecloudfunction', [{ errcode: -504002, errmsg: 'boom' }], 'pay'),
      { invoke: '{}' },
    ],
  ])('adds up to the functions: %s', async (_name, arrange, inputs) => {
    arrange();
    const result = await run({ 'function-name': 'login\npay\nnotify', ...inputs });
    expect(result.code).toBe(1);
    expect(counted(result.summary)).toEqual({ total: 3, sum: 3 });
    // A function that failed says so in `results`, whatever part of it failed.
    const failed = results(result).filter((r: { status: string }) => r.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(result.summary).toMatch(new RegExp(`${failed.length} failed`));
  });
});

describe('a failure said as a sentence', () => {
  it.skipIf(process.platform === 'win32')(
    'ends with one period, even when the reason ends with one',
    async () => {
      const outside = mkdtempSync(join(tmpdir(), 'outside-'));
      onTestFinished(() => rmSync(outside, { recursive: true, force: true }));
      writeFileSync(join(outside, 'index.js'), 'exports.main = async () => 1;\n');
      rmSync(join(code.path, 'login', 'index.js'));
      symlinkSync(join(outside, 'index.js'), join(code.path, 'login', 'index.js'));
      const result = await runAction({
        inputs: withToken(standIn, { 'code-dir': code.path }),
        env: { GITHUB_WORKSPACE: code.path },
      });
      expect(result.code).toBe(1);
      const [error] = annotations(result, 'error');
      expect(error).toMatch(
        /^::error::login: code: Function folder .*login: the link index\.js leads to .*, outside the repository\.$/,
      );
      expect(result.stdout).not.toMatch(/\.\.$/m);
    },
  );
});
