// Credentials through the bundled action, as the runner starts it: never echoed, checked when
// minted, minted again when they go stale, and scrubbed in every form a server could echo.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunResult, runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { commands, expectNoLeak } from '../support/leaks.js';
import { withApp, withToken } from '../support/steps.js';

let standIn: StandIn;
beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

const errors = (result: RunResult) =>
  commands(result.stdout).filter((c) => c.startsWith('::error'));

it('never quotes app-id: a secret pasted there by mistake stays out of errmsg', async () => {
  const result = await runAction({
    inputs: withApp(standIn, { 'app-id': standIn.appSecret, 'app-secret': standIn.appId }),
  });
  expect(result.code).toBe(1);
  expect(errors(result)).toEqual([
    expect.stringMatching(
      /^::error::Input `app-id` must be a mini program app id.*got a value of 32 characters, not starting with `wx`$/,
    ),
  ]);
  expect(result.outputs.errmsg).not.toContain(standIn.appSecret.slice(0, 6));
  expect(result.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain(standIn.appSecret);
  expect(standIn.requests).toEqual([]);
});

describe('a minted token', () => {
  it.each([
    [{ errcode: 0, errmsg: 'ok' }, 'no access_token'],
    [{ access_token: 'two words', expires_in: 7200 }, 'not visible ASCII'],
  ])('is checked: %j fails clearly, with an empty errcode', async (json, said) => {
    standIn.script('stable_token', [{ json }]);
    const result = await runAction({ inputs: withApp(standIn) });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.outputs).toMatchObject({ status: 'failed', errcode: '' });
    expect(errors(result)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::error::Nothing was tried: could not get an access token from cgi-bin/stable_token: .*${said}`,
        ),
      ),
    ]);
    expect(errors(result)[0]).not.toMatch(/errcode 0 \(ok\)/);
    expect(standIn.calls('listfunctions')).toEqual([]);
  });

  it('that expires during the run is minted again once, and the call made again', async () => {
    standIn.script('createfunction', [{ errcode: 42001, errmsg: 'access_token expired' }]);
    const result = await runAction({ inputs: withApp(standIn) });
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('created');
    expect(standIn.calls('stable_token')).toHaveLength(2);
    expect(result.stdout).not.toMatch(/pass `app-id` and `app-secret`/);
    expectNoLeak(result, [standIn.appSecret, standIn.mintedToken]);
  });
});

describe('redaction', () => {
  const forms = (secret: string) => ({
    raw: secret,
    'upper-case percent-encoding': [...Buffer.from(secret)]
      .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
      .join(''),
    'lower-case percent-encoding': [...Buffer.from(secret)]
      .map((b) => `%${b.toString(16).padStart(2, '0')}`)
      .join(''),
    'form encoding': encodeURIComponent(secret).replaceAll('%20', '+'),
    'control characters inside': `${secret.slice(0, 5)}\u0000\n${secret.slice(5, 9)}\u001b${secret.slice(9)}`,
  });

  it.each(Object.keys(forms('x')))('scrubs the token echoed with %s', async (form) => {
    const token = 'tok+en/with=and-more-123~';
    await standIn.close();
    standIn = await startStandIn({ accessToken: token });
    const echoed = forms(token)[form as keyof ReturnType<typeof forms>];
    standIn.script('listfunctions', [{ errcode: 48001, errmsg: `refused ${echoed}` }]);
    standIn.script('createfunction', [{ errcode: 40014, errmsg: `invalid ${echoed}` }]);
    const result = await runAction({ inputs: withToken(standIn, { 'access-token': token }) });
    expect(result.code).toBe(1);
    const seen = [
      result.stdout.replace(/^::add-mask::.*$/gm, ''),
      JSON.stringify(result.outputs),
      result.summary,
    ].join('\n');
    for (const piece of ['tok+en', 'tok%2Ben', 'tok%2ben', 'with=and', 'and-more-123']) {
      expect(seen).not.toContain(piece);
    }
    expect(result.outputs.errmsg).toBe('invalid ***');
  });
});
