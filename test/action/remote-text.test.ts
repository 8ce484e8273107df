// What the cloud says, as the step passes it on: values read back are masked by the step's own
// rule, every remote string is cut short before it enters an output, and the job summary and
// the outputs show server text as text. Through dist/index.js, as the runner starts it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { commands, expectNoLeak, results } from '../support/leaks.js';
import { codeFolders, ENV, withKeys, withToken } from '../support/steps.js';

let standIn: StandIn;
beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

const code = codeFolders(['login']);
const MIB = 1024 * 1024;
const declared = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  outputs: Record<string, unknown>;
};

describe('variables read back from the cloud', () => {
  const CLOUD_SECRET = 'cloud-secret-value-9f3a';
  beforeEach(() => {
    standIn.put(ENV, 'login', {
      configs: {
        3: JSON.stringify({
          timeout: 3,
          environment: [
            { key: 'DEBUG', value: '1' },
            { key: 'MODE', value: 'on' },
            { key: 'TOKEN', value: CLOUD_SECRET },
          ],
        }),
      },
    });
  });

  it.each([
    ['WeChat', withToken],
    ['Tencent Cloud', withKeys],
  ])(
    'through %s’s API: masked from 4 characters, as the step’s own values are',
    async (_api, route) => {
      const result = await runAction({
        inputs: route(standIn, { environment: 'ADD=added-value' }),
      });
      expect(result.code).toBe(0);
      const masks = commands(result.stdout).filter((c) => c.startsWith('::add-mask::'));
      expect(masks).toContain(`::add-mask::${CLOUD_SECRET}`);
      expect(masks).not.toContain('::add-mask::1');
      expect(masks).not.toContain('::add-mask::on');
      expectNoLeak(result, [CLOUD_SECRET]);
    },
  );
});

describe('a secret wrapped in another encoding', () => {
  it('is scrubbed from the log and the outputs: hex, percent-encoded twice, base64 at an offset', async () => {
    const value = 'sk-live/0123+4567=89ab';
    standIn.put(ENV, 'login');
    standIn.script('uploadfuncconfig', [
      {
        errcode: -1,
        errmsg: `busy: ${Buffer.from(value).toString('hex')} ?v=${encodeURIComponent(encodeURIComponent(value))}`,
      },
    ]);
    // A function that answers its environment, encoded.
    const env = Buffer.from(JSON.stringify({ A: 'x', API_KEY: value, B: 'after' }));
    standIn.answerInvoke('login', { respData: env.toString('base64') });
    const result = await runAction({
      inputs: withToken(standIn, { environment: `API_KEY=${value}`, invoke: '{}' }),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/busy: \*\*\* \?v=\*\*\*/);
    const { response } = JSON.parse(result.outputs['invoke-results']).login;
    expect(response).toContain('***');
    expectNoLeak(result, [
      Buffer.from(value).toString('hex'),
      encodeURIComponent(encodeURIComponent(value)),
      env.toString('base64'),
    ]);
  });
});

describe('the results output', () => {
  it('stays well under 1 MiB for 400 functions with long runtimes and status reasons', async () => {
    const names = Array.from({ length: 400 }, (_, i) => `fn${i}`);
    for (const name of names) {
      standIn.put(ENV, name, {
        status: 'CreateFailed',
        // Within a list page's 64 KiB, yet 1.2 MB for the 400 together.
        runtime: `Nodejs18.15-${'r'.repeat(2000)}`,
        reason: { errcode: 'E', errmsg: 'x'.repeat(700) },
      });
    }
    const result = await runAction({
      inputs: withToken(standIn, { 'function-name': names.join('\n'), parallel: '10' }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(Buffer.byteLength(result.outputs.results)).toBeLessThan(MIB / 2);
    const [first] = results(result);
    expect(first.runtime).toMatch(/^Nodejs18\.15-r+…$/);
    expect(first.errmsg).toMatch(/x+…$/);
    for (const value of Object.values(result.outputs)) {
      expect(Buffer.byteLength(value)).toBeLessThan(MIB / 2);
    }
  });
});

describe('server text in the summary and the outputs', () => {
  it('an answer of an invocation is escaped in the summary', async () => {
    standIn.answerInvoke('login', { respData: '<img src=x onerror=alert(1)>**bold**' });
    const result = await runAction({
      inputs: withToken(standIn, { 'code-dir': code.path, invoke: '{}' }),
    });
    expect(result.code).toBe(0);
    expect(result.summary).not.toContain('<img');
    expect(result.summary).toContain('&lt;img src=x onerror=alert(1)&gt;**bold**');
  });

  it('an errmsg is escaped in the summary', async () => {
    standIn.script('createfunction', [
      { errcode: 40001, errmsg: '<script>alert(1)</script><a href="javascript:x">y</a>' },
    ]);
    const result = await runAction({ inputs: withToken(standIn) });
    expect(result.code).toBe(1);
    expect(result.summary).not.toMatch(/<script|<a /);
    expect(result.summary).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('an errmsg cannot forge an output', async () => {
    const forged =
      'x\nstatus<<EOF\ncreated\nEOF\nstatus=created\n::set-output name=status::created';
    standIn.script('createfunction', [{ errcode: 40001, errmsg: forged }]);
    const result = await runAction({ inputs: withToken(standIn) });
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe('failed');
    expect(result.outputs.errmsg).toBe(
      'x status<<EOF created EOF status=created ::set-output name=status::created',
    );
    // No output but those action.yml declares.
    expect(Object.keys(result.outputs).sort()).toEqual(Object.keys(declared.outputs).sort());
  });
});
