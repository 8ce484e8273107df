// What the runner shows of a run, within its limits: annotations, outputs and the job summary
// stay within what GitHub accepts however many functions fail, and the debug log appears only
// when step debug logging is on. Through dist/index.js, as the runner starts it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { commands, expectNoLeak } from '../support/leaks.js';
import { codeFolders, ENV, withApp, withToken } from '../support/steps.js';

const MIB = 1024 * 1024;
let standIn: StandIn;

beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

const names = (n: number) => Array.from({ length: n }, (_, i) => `fn${i}`).join('\n');
const kinds = (stdout: string) => {
  const counts: Record<string, number> = {};
  for (const line of commands(stdout)) {
    const kind = /^::(\w+)/.exec(line)?.[1] ?? '';
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
};

describe('1000 functions, every one failing with a 600-character errmsg', () => {
  it('keeps the summary and every output under 1 MiB, and at most 10 errors', async () => {
    standIn.script(
      'createfunction',
      Array(1000).fill({ errcode: 40001, errmsg: `<b>${'长'.repeat(597)}</b>` }),
    );
    const result = await runAction({
      inputs: withToken(standIn, { 'function-name': names(1000), parallel: '10' }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(Buffer.byteLength(result.summary)).toBeLessThan(MIB);
    for (const value of Object.values(result.outputs)) {
      expect(Buffer.byteLength(value)).toBeLessThan(MIB);
    }
    expect(JSON.parse(result.outputs.results)).toHaveLength(1000);
    expect(result.summary).toMatch(/\d+ more (rows|notes) left out/);
    expect(kinds(result.stdout).error).toBe(10);
    const errors = commands(result.stdout).filter((c) => c.startsWith('::error'));
    expect(errors[9]).toMatch(/^::error::1000 of 1000 functions failed in test-777bb9\./);
    expect(errors[9]).toMatch(/and 971 more \(see the `results` output\)/);
    expect(result.summary).not.toMatch(/<b>/);
  });

  // 25 folders whose config.json has timer triggers: one warning each.
  const triggers = JSON.stringify({
    triggers: [{ name: 'hourly', type: 'timer', config: '0 0 * * * * *' }],
  });
  const code = codeFolders(names(25).split('\n'), { 'config.json': triggers });

  it('combines warnings beyond 10 into the last', async () => {
    for (let i = 0; i < 25; i++) standIn.put(ENV, `fn${i}`, { runtime: 'Nodejs10.15' });
    const result = await runAction({
      inputs: withToken(standIn, {
        'function-name': names(25),
        'code-dir': code.path,
        'dry-run': 'true',
      }),
    });
    expect(result.code).toBe(0);
    const warnings = commands(result.stdout).filter((c) => c.startsWith('::warning'));
    expect(warnings).toHaveLength(10);
    expect(warnings[0]).toMatch(/^::warning::fn0: the timer triggers of its config\.json/);
    // 25 of triggers, and one for the runtimes of all 25.
    expect(warnings[9]).toMatch(/^::warning::17 more:%0Afn9: the timer triggers/);
    expect(warnings[9]).toMatch(/%0ARuntimes past their end of life: fn0 \(Nodejs10\.15, /);
  });
});

describe('debug logging', () => {
  it('logs every request with the redacted URL, HTTP status, latency and attempt when on', async () => {
    standIn.script('createfunction', [{ errcode: -1, errmsg: 'system busy' }]);
    const result = await runAction({
      inputs: withApp(standIn),
      env: { RUNNER_DEBUG: '1' },
    });
    expect(result.code).toBe(0);
    const debug = commands(result.stdout).filter((c) => c.startsWith('::debug::'));
    // What succeeded at once is a debug line; with debug on, every attempt says its request.
    expect(debug).toEqual([
      expect.stringMatching(
        /^::debug::access token: stable_token attempt 1 of 5: errcode 0 \(ok\): "ok" \(POST http:\/\/127\.0\.0\.1:\d+\/cgi-bin\/stable_token → HTTP 200 in \d+ ms\)$/,
      ),
      expect.stringMatching(
        /^::debug::test-777bb9: listfunctions attempt 1 of 5: errcode 0 \(ok\): "ok" \(POST .*\/tcb\/listfunctions\?access_token=\*\*\* → HTTP 200 in \d+ ms\)$/,
      ),
      expect.stringMatching(/^::debug::test-777bb9: listfunctions attempt 1 of 5/),
    ]);
    expect(result.stdout).toMatch(
      /^login: createfunction attempt 1 of 5: errcode -1 \(system busy\): "system busy"; retrying in \d+ ms \(POST .*\/tcb\/createfunction\?access_token=\*\*\* → HTTP 200 in \d+ ms\)$/m,
    );
    expect(result.stdout).toMatch(/^login: createfunction attempt 2 of 5: errcode 0 \(ok\)/m);
    expectNoLeak(result, [standIn.appSecret, standIn.mintedToken]);
  });

  it('prints no debug line when off', async () => {
    const result = await runAction({ inputs: withToken(standIn) });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('::debug::');
  });
});
