// Text from servers, replayed through a reader of the log that obeys workflow commands as the
// runner does (both forms: `::cmd::` at the start of a line, `##[cmd]` anywhere): whatever a
// server says, the only commands are the action's own, and the masks that come after it still
// take effect. Through dist/index.js, as the runner starts it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inert } from '../../src/report/runner-text.js';
import { runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { expectNoLeak, obeyedCommands } from '../support/leaks.js';
import { codeFolders, ENV, withAppKeys, withToken } from '../support/steps.js';

let standIn: StandIn;
beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

const code = codeFolders(['login', 'pay', 'cart']);

/** Every command a server might try, in both forms. */
const HOSTILE = [
  'busy ##[stop-commands]x',
  '##[error]forged',
  '##[add-mask]1',
  '##[set-output name=status]created',
  '::add-mask::2',
  '::set-output name=status::created',
  '\n::error::pwned\r::warning::pwned',
];

/** The action's own commands: annotations, debug lines and masks, each at a line's start. */
function expectOnlyOwnCommands(stdout: string): ReturnType<typeof obeyedCommands> {
  const obeyed = obeyedCommands(stdout);
  for (const command of obeyed) {
    expect(command.form, command.line).toBe('::');
    expect(['add-mask', 'debug', 'error', 'warning'], command.line).toContain(command.command);
    expect(command.data, command.line).not.toMatch(/^(pwned|forged|created)/);
  }
  const masks = obeyed.filter((c) => c.command === 'add-mask').map((c) => c.data);
  expect(masks.filter((mask) => ['1', '2', 'x'].includes(mask))).toEqual([]);
  // Not even where the runner would not look: no line holds the older form.
  expect(stdout).not.toContain('##[');
  return obeyed;
}

describe('hostile text in every place a server can put it', () => {
  it('issues no command, and the masks that follow it still take effect', async () => {
    const text = HOSTILE.join(' ');
    // login: a create refused as busy, then created; its code sent (the code secret and the
    // upload's signature are masked only then); invoked, its answer a function error.
    standIn.script('createfunction', [{ errcode: -1, errmsg: `busy ${text}` }], 'login');
    standIn.answerInvoke('login', { errcode: -504002, errmsg: `function error ${text}` });
    // pay: listed as failed, the list's status reasons hostile.
    standIn.put(ENV, 'pay', {
      status: 'CreateFailed',
      reason: { errcode: '##[stop-commands]r', errmsg: text },
    });
    // A success whose errmsg is hostile: with debug logging on, a debug line quotes it.
    standIn.script('uploadfuncconfig', [
      { apply: true, json: { errcode: 0, errmsg: `ok ${text}` } },
    ]);
    // cart: its new code fails to install, the function's own error text hostile.
    standIn.put(ENV, 'cart');
    standIn.failUpdate('cart', { errcode: 'InstallFailed', errmsg: text });

    const result = await runAction({
      inputs: withToken(standIn, {
        'function-name': 'login\npay\ncart',
        'code-dir': code.path,
        environment: 'A=value-a',
        invoke: '{}',
      }),
      env: { RUNNER_DEBUG: '1' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/busy ## \[stop-commands\]x/);
    expect(result.stdout).toMatch(/function error busy ## \[stop-commands\]x/);
    expect(result.stdout).toMatch(/^::debug::.*uploadfuncconfig.*"ok busy ## \[stop-commands\]x/m);

    const obeyed = expectOnlyOwnCommands(result.stdout);
    // One annotation per failed function, and the step's failure: nothing more.
    expect(obeyed.filter((c) => c.command === 'error')).toHaveLength(4);
    const masks = obeyed.filter((c) => c.command === 'add-mask').map((c) => c.data);
    expect(masks).toContain(standIn.codeSecret);
    expect(masks.length).toBeGreaterThan(2);
    const lastMask = result.stdout.lastIndexOf('::add-mask::');
    expect(result.stdout.indexOf('busy ## [stop-commands]x')).toBeLessThan(lastMask);
    expect(result.outputs.status).toBe('failed');
  });

  it('issues no command on the Tencent Cloud route, and the keys exchanged later are masked', async () => {
    standIn.script('stable_token', [{ errcode: -1, errmsg: HOSTILE.join(' ') }]);
    standIn.script('CreateFunction', [
      { tencentError: { code: 'InternalError', message: HOSTILE.join(' ') } },
    ]);
    const result = await runAction({
      inputs: withAppKeys(standIn, { 'code-dir': code.path, 'function-name': 'login' }),
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/## \[stop-commands\]x/);
    const obeyed = expectOnlyOwnCommands(result.stdout);
    const masks = obeyed.filter((c) => c.command === 'add-mask').map((c) => c.data);
    // The minted token and the temporary keys come after the token's hostile refusal.
    const [keys] = standIn.tcb.issued;
    expect(masks).toEqual(
      expect.arrayContaining([standIn.mintedToken, keys.secretId, keys.secretKey, keys.token]),
    );
    expectNoLeak(result, [standIn.mintedToken, keys.secretKey, keys.token]);
  });
});

describe('inert', () => {
  it('leaves no command in any line, whatever splits it', () => {
    const hostile = [
      ...HOSTILE,
      '::add-mask::a',
      '  ::add-mask::b',
      'x\r::add-mask::c',
      'x\n\u0085\u00a0::add-mask::d',
      '###[error]e',
      '##[##[error]f',
    ];
    for (const text of hostile) expect(obeyedCommands(inert(text)), text).toEqual([]);
    expect(inert('no command: a::b, #[x], ## [y]')).toBe('no command: a::b, #[x], ## [y]');
  });
});
