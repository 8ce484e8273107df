// What WeChat's answers carry is registered before anything of them is told, and what the
// signature says is sent only where it may go, masked only where it carries a credential.
// Through dist/index.js as the runner starts it, against the stand-in.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunResult, runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { commands, expectNoLeak } from '../support/leaks.js';
import { refusingProxy } from '../support/net.js';
import { codeFolders, withToken } from '../support/steps.js';

let standIn: StandIn;
const code = codeFolders(['login']);

beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

async function run(env: Record<string, string> = {}): Promise<RunResult> {
  const result = await runAction({
    inputs: withToken(standIn, { 'code-dir': code.path, 'max-attempts': '2' }),
    env: { RUNNER_DEBUG: '1', ...env },
  });
  expect(result.stderr).toBe('');
  return result;
}

const signature = (host: string, ...more: string[]) =>
  [
    'Authorization:TC3-HMAC-SHA256 Credential=AKIDscripted/2026-01-01/scf/tc3_request, SignedHeaders=content-type;host, Signature=0f0e0d0c0b0a09080706050403020100',
    `Host:${host}`,
    ...more,
  ].join('\r\n');

describe('a secret in an answer', () => {
  it('is registered before the answer is told, its base64 and JSON forms too', async () => {
    const secret = 'cs"/\\+secret-7f3a';
    const echoes = `${secret} ${JSON.stringify(secret)} ${Buffer.from(secret).toString('base64')}`;
    standIn.script('getcodesecret', [
      { json: { errcode: -1, errmsg: `busy ${echoes}`, codesecret: secret } },
      { json: { errcode: 0, errmsg: `ok ${echoes}`, codesecret: secret } },
    ]);
    const result = await run();
    // The host refuses a code secret that is not the mini program's: the run fails.
    expect(result.code).toBe(1);
    // Masked before the first answer, which carries it, is told.
    const lines = result.stdout.split('\n');
    const told = lines.findIndex((line) =>
      /^code secret: getcodesecret attempt 1 of 2: errcode -1/.test(line),
    );
    expect(told).toBeGreaterThan(0);
    expect(lines.slice(0, told)).toContain(`::add-mask::${secret}`);
    expectNoLeak(result, [
      secret,
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString('base64'),
    ]);
  });
});

describe('the signed headers', () => {
  it('are masked where they carry a credential, and common short values are left alone', async () => {
    standIn.script('getuploadsignature', [
      {
        json: {
          errcode: 0,
          errmsg: 'ok',
          headers: signature(standIn.scfHost, 'X-Flag:e', 'X-Ok:ok', 'X-Count:10'),
        },
      },
    ]);
    const result = await run({ RUNNER_DEBUG: '0' });
    expect(result.code).toBe(1);
    // The stand-in's own words, whole: not `Th*** provid***d cr***d***ntials`.
    expect(result.outputs.errmsg).toMatch(
      /^code upload: AuthFailure\.SignatureFailure: The provided credentials could not be validated/,
    );
    expect(result.stdout).not.toMatch(/^::add-mask::(e|ok|10)$/m);
    const keyIdAndSignature = ['AKIDscripted', '0f0e0d0c0b0a09080706050403020100'];
    expect(commands(result.stdout)).toEqual(
      expect.arrayContaining(keyIdAndSignature.map((value) => `::add-mask::${value}`)),
    );
    expectNoLeak(result, keyIdAndSignature);
  });

  it('are refused when they name a header twice with different values: nothing is sent', async () => {
    standIn.script('getuploadsignature', [
      {
        json: {
          errcode: 0,
          errmsg: 'ok',
          headers: signature(standIn.scfHost, 'Host:evil.example'),
        },
      },
    ]);
    const result = await run();
    expect(result.code).toBe(1);
    expect(result.outputs.errmsg).toBe(
      'code upload: the upload signature gives Host twice, with different values: nothing was sent',
    );
    expect(standIn.calls('scf')).toEqual([]);
  });

  it('go to a Tencent Cloud host over https, even when the API is a loopback stand-in', async () => {
    // The host is reached through a proxy on loopback, which opens no tunnel: nothing leaves.
    const proxy = await refusingProxy('502 Bad Gateway');
    standIn.script('getuploadsignature', [
      { json: { errcode: 0, errmsg: 'ok', headers: signature('scf.tencentcloudapi.com') } },
      { json: { errcode: 0, errmsg: 'ok', headers: signature('scf.tencentcloudapi.com') } },
    ]);
    const result = await run({ https_proxy: proxy.url });
    expect(result.code).toBe(1);
    expect(result.outputs.errmsg).not.toMatch(/ERR_INVALID_PROTOCOL|Protocol/);
    expect(result.outputs.errmsg).toMatch(/the proxy 127\.0\.0\.1:\d+ did not open a tunnel/);
    expect(proxy.requests.map((r) => r.target)).toEqual([
      'scf.tencentcloudapi.com:443',
      'scf.tencentcloudapi.com:443',
    ]);
    expect(standIn.calls('scf')).toEqual([]);
  });
});
