// Inputs that could send credentials astray, through the bundled action as the runner starts
// it: where Tencent Cloud keys may go, which route `api: auto` takes and why, URLs quoted
// without their user and password, and `environment` lines cut from a value.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunResult, runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { expectNoLeak, expectOneError, results } from '../support/leaks.js';
import { refusingProxy } from '../support/net.js';
import { codeFolders, withApp, withKeys, withToken } from '../support/steps.js';

let standIn: StandIn;
beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

const code = codeFolders(['login']);

/** The first line of the log that is not a workflow command. */
const firstLine = (result: RunResult) =>
  result.stdout.split('\n').find((line) => !line.startsWith('::'));

describe('tencentcloud-endpoint', () => {
  it.each([
    'https://tcb.tencentcloudapi.com.evil.example',
    'https://tcb.tencentcloudapi.com:8443',
    'https://tencentcloudapi.com.evil.example/tcb.tencentcloudapi.com',
  ])('%s: an input error, and no key sent anywhere', async (endpoint) => {
    // Were the host taken, the request would go through this proxy, which tunnels nowhere.
    const proxy = await refusingProxy('403 Forbidden');
    const result = await runAction({
      inputs: withKeys(standIn, { 'tencentcloud-endpoint': endpoint, 'code-dir': code.path }),
      env: { https_proxy: proxy.url },
    });
    expect(proxy.requests).toEqual([]);
    expect(standIn.requests).toEqual([]);
    expectOneError(result, /^::error::Input `tencentcloud-endpoint` names the (host|port)/);
    expectNoLeak(result, [standIn.tcb.secretId, standIn.tcb.secretKey]);
  });
});

describe('the route', () => {
  const variables = () => ({
    TENCENTCLOUD_SECRET_ID: standIn.tcb.secretId,
    TENCENTCLOUD_SECRET_KEY: standIn.tcb.secretKey,
  });

  it('an access-token keeps WeChat’s route, whatever TENCENTCLOUD_* variables the job holds', async () => {
    const result = await runAction({
      inputs: withToken(standIn, { 'tencentcloud-endpoint': standIn.tcbUrl }),
      env: variables(),
    });
    expect(result.code).toBe(0);
    expect(firstLine(result)).toBe(
      "route: WeChat's API (access-token given; the TENCENTCLOUD_* variables are not used)",
    );
    expect(new Set(standIn.requests.map((r) => r.route))).toEqual(
      new Set(['listfunctions', 'createfunction']),
    );
  });

  it('an app secret keeps WeChat’s route too', async () => {
    const result = await runAction({
      inputs: withApp(standIn, { 'tencentcloud-endpoint': standIn.tcbUrl }),
      env: variables(),
    });
    expect(result.code).toBe(0);
    expect(firstLine(result)).toMatch(/^route: WeChat's API \(app-id and app-secret given; /);
    expect(standIn.calls('ListFunctions')).toEqual([]);
  });

  it('the variables alone take the Tencent Cloud route, and the first line says so', async () => {
    const inputs = withKeys(standIn, { 'code-dir': code.path });
    delete inputs.api;
    delete inputs['tencentcloud-secret-id'];
    delete inputs['tencentcloud-secret-key'];
    const result = await runAction({ inputs, env: variables() });
    expect(result.code).toBe(0);
    expect(firstLine(result)).toBe(
      "route: Tencent Cloud's API (keys from the TENCENTCLOUD_* variables)",
    );
    expect(standIn.calls('CreateFunction')).toHaveLength(1);
  });

  it('keys and a token together: Tencent Cloud’s API, and the token invokes', async () => {
    const inputs = withKeys(standIn, {
      'access-token': standIn.accessToken,
      'code-dir': code.path,
      invoke: '{"ping":true}',
    });
    delete inputs.api;
    const result = await runAction({ inputs });
    expect(result.code).toBe(0);
    expect(firstLine(result)).toBe(
      "route: Tencent Cloud's API (tencentcloud-secret-id given; access-token kept for invoke)",
    );
    expect(results(result)[0]).toMatchObject({ status: 'created', invoke: 'ok' });
    expect(standIn.calls('CreateFunction')).toHaveLength(1);
    expect(standIn.calls('invokecloudfunction')).toHaveLength(1);
  });
});

describe('a URL that does not parse', () => {
  const secrets = ['us3r-name', 'p%40ss-w0rd', 'p@ss-w0rd', 'w0rd'];

  it.each([
    ['api-base-url', 'https://us3r-name:p%40ss-w0rd@exa mple.com'],
    ['api-base-url', 'https://us3r-name:p@ss-w0rd@[::1'],
    ['tencentcloud-endpoint', 'https://us3r-name:p%40ss-w0rd@tcb.tencentcloudapi.com:99999'],
    ['tencentcloud-endpoint', 'https:us3r-name:p%40ss-w0rd@ho st'],
  ])('%s %s: quoted without its user and password', async (input, url) => {
    const result = await runAction({ inputs: withKeys(standIn, { [input]: url }) });
    expectNoLeak(result, secrets);
    expectOneError(result, new RegExp(`^::error::Input \`${input}\` must be an http\\(s\\) URL`));
    expect(result.outputs.errmsg).toMatch(/got "https:(\/\/)?…@/);
    expect(standIn.requests).toEqual([]);
  });
});

describe('a URL refused', () => {
  it.each([
    [
      'api-base-url',
      'http://us3r-name:p%40ss-w0rd@evil.example',
      /uses plain http to "evil\.example"/,
    ],
    ['api-base-url', 'ftp://us3r-name:p%40ss-w0rd@evil.example', /the scheme "ftp:"/],
    ['tencentcloud-endpoint', 'https://us3r-name:p%40ss-w0rd@evil.example', /credentials/],
  ])('%s %s: named without its user and password', async (input, url, says) => {
    const result = await runAction({ inputs: withKeys(standIn, { [input]: url }) });
    expectNoLeak(result, ['us3r-name', 'p%40ss-w0rd', 'p@ss-w0rd']);
    expectOneError(result, says);
    expect(standIn.requests).toEqual([]);
  });
});

describe('environment', () => {
  const pem = [
    '-----BEGIN PRIVATE KEY-----',
    'MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAq7BFUpkGp3+XQ==',
    'Zm9vYmFyYmF6cXV4cXV1eHF1dXpxdXV4cXV1eHF1dXhxdXV4cXV1eA==',
    '-----END PRIVATE KEY-----',
  ];

  it('a key pasted with its line breaks: the line is named, no piece of it', async () => {
    const result = await runAction({
      inputs: withToken(standIn, { environment: `MODE=prod\nKEY=${pem.join('\n')}` }),
    });
    expectOneError(
      result,
      /^::error::Input `environment` line 3 does not start with a variable name .*base64/,
    );
    expectNoLeak(result, [
      'MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAq7BFUpkGp3',
      'Zm9vYmFyYmF6cXV4cXV1eHF1dXpxdXV4cXV1eHF1dXhxdXV4cXV1eA',
      'PRIVATE',
    ]);
    expect(standIn.requests).toEqual([]);
  });

  it('a line cut from a value, with a reserved name: named by its number', async () => {
    const result = await runAction({
      inputs: withToken(standIn, { environment: 'TOKEN=first-half\nSCF_second_half=x' }),
    });
    expectOneError(result, /^::error::Input `environment` line 2 names a variable with a prefix/);
    expectNoLeak(result, ['SCF_second_half', 'second_half']);
  });
});
