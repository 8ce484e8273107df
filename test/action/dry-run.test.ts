// A dry run sends only reads, whatever the folders and the inputs ask: cloud-call permissions in
// a config.json, a timeout, variables, code, an invocation. Checked on the stand-in's log of the
// requests it received, through dist/index.js as the runner starts it.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { writeTree } from '../support/folders.js';
import { results } from '../support/leaks.js';
import { codeFolders, ENV, withKeys, withToken } from '../support/steps.js';

let standIn: StandIn;
beforeEach(async () => {
  standIn = await startStandIn();
  // pay exists, with other permissions and settings than the step asks for; login does not.
  standIn.put(ENV, 'pay', {
    configs: {
      1: JSON.stringify({ openapi: ['security.msgSecCheck'] }),
      3: JSON.stringify({ timeout: 3, environment: [{ key: 'OLD', value: 'old-value' }] }),
    },
  });
});
afterEach(() => standIn.close());

const code = codeFolders(['login', 'pay']);
beforeEach(() => {
  for (const name of ['login', 'pay']) {
    writeTree(join(code.path, name), {
      'config.json': JSON.stringify({ permissions: { openapi: ['wxacode.get'] } }),
    });
  }
});

/** Everything a step can ask to change. */
const asks = () => ({
  'function-name': 'login\npay',
  'code-dir': code.path,
  'timeout-seconds': '20',
  environment: 'NEW=new-value',
  'environment-mode': 'replace',
  invoke: '{}',
  'dry-run': 'true',
});

const routes = () => [...new Set(standIn.requests.map((r) => r.route))].sort();

describe('a dry run', () => {
  it("through WeChat's API: only lists and reads configurations", async () => {
    // A copy: the stand-in's own map would equal itself whatever the run wrote.
    const before = new Map(standIn.held(ENV, 'pay')?.configs);
    const result = await runAction({ inputs: withToken(standIn, asks()) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(routes()).toEqual(['getfuncconfig', 'listfunctions']);
    expect(
      standIn
        .calls('getfuncconfig')
        .map((c) => (c.body as { type: number }).type)
        .sort(),
    ).toEqual([1, 3]);
    expect(standIn.functions(ENV)).toEqual(['pay']);
    expect(standIn.held(ENV, 'pay')?.configs).toEqual(before);
    expect(results(result).map((r: { config: string }) => r.config)).toEqual([
      'would-update',
      'would-update',
    ]);
    expect(result.stdout).toMatch(/^pay: .*config would-update \(cloud-call permissions/m);
  });

  it("through Tencent Cloud's API: only lists and reads functions", async () => {
    const result = await runAction({ inputs: withKeys(standIn, { ...asks(), invoke: '' }) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(routes()).toEqual(['GetFunction', 'ListFunctions', 'scf.GetFunction']);
    expect(standIn.functions(ENV)).toEqual(['pay']);
  });

  it('that would change only the settings writes no type-3 configuration', async () => {
    const result = await runAction({
      inputs: withToken(standIn, {
        'function-name': 'pay',
        'timeout-seconds': '30',
        'dry-run': 'true',
      }),
    });
    expect(result.code).toBe(0);
    expect(results(result)[0]).toMatchObject({ config: 'would-update' });
    expect(result.stdout).toMatch(/timeout: 3 s → 30 s/);
    expect(standIn.calls('uploadfuncconfig')).toEqual([]);
    expect(JSON.parse(standIn.held(ENV, 'pay')?.configs.get(3) ?? '{}').timeout).toBe(3);
  });
});
