import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { MAX_UPLOAD_BYTES, uploadBody } from '../../../src/clouds/code-limits.js';
import { ScfClient } from '../../../src/clouds/wechat/scf-client.js';
import { Transport } from '../../../src/net/http-transport.js';
import { Secrets } from '../../../src/secrets/secrets.js';

const SIGNATURE = (host: string) =>
  `Authorization:TC3-HMAC-SHA256 Credential=AKIDsecret/2019-05-28/scf/tc3_request, SignedHeaders=content-type;host, Signature=abc123\r\nHost:${host}\r\nX-TC-Action:UpdateFunctionCode`;

function client(apiBaseUrl = 'https://api.weixin.qq.com') {
  const masked: string[] = [];
  const transport = new Transport({ userAgent: 't/1', timeoutMs: 2000, maxAnswerBytes: 65536 });
  onTestFinished(() => transport.close());
  const secrets = new Secrets((value) => masked.push(value));
  return { scf: new ScfClient({ transport, secrets, apiBaseUrl }), masked, secrets };
}

describe('uploadBody', () => {
  it('is the documented JSON, in order, hashed exactly as it will be sent', () => {
    const zip = Buffer.from('PK\u0003\u0004zip');
    const body = uploadBody({
      codeSecret: 'cs',
      env: 'test-777bb9',
      functionName: 'login',
      zip,
      installDependencies: true,
    });
    expect(body.text).toBe(
      `{"CodeSecret":"cs","EnvId":"test-777bb9","FunctionName":"login","Handler":"index.main","InstallDependency":"TRUE","Namespace":"test-777bb9","ZipFile":"${zip.toString('base64')}"}`,
    );
    expect(body.sha256).toBe(createHash('sha256').update(body.text).digest('hex'));
    expect(body.bytes).toBe(Buffer.byteLength(body.text));
    const own = uploadBody({
      codeSecret: 'cs',
      env: 'e',
      functionName: 'f',
      zip,
      installDependencies: false,
    });
    expect(JSON.parse(own.text).InstallDependency).toBe('FALSE');
    expect(MAX_UPLOAD_BYTES).toBe(10_485_760);
  });
});

describe('sign', () => {
  it('sends to a tencentcloudapi.com host over https, with every header, masking the secret ones', () => {
    const { scf, masked } = client();
    expect(scf.sign(SIGNATURE('scf.tencentcloudapi.com'))).toEqual({
      url: 'https://scf.tencentcloudapi.com/',
      headers: {
        Authorization:
          'TC3-HMAC-SHA256 Credential=AKIDsecret/2019-05-28/scf/tc3_request, SignedHeaders=content-type;host, Signature=abc123',
        Host: 'scf.tencentcloudapi.com',
        'X-TC-Action': 'UpdateFunctionCode',
      },
    });
    expect(masked).toEqual([
      expect.stringMatching(/^TC3-HMAC-SHA256 .*Signature=abc123$/),
      'AKIDsecret/2019-05-28/scf/tc3_request',
      'AKIDsecret',
      'abc123',
    ]);
  });

  it('masks what carries a credential, and no common short value', () => {
    const signature = [
      'Authorization:TC3-HMAC-SHA256 Credential=AKIDk/2019-05-28/scf/tc3_request, SignedHeaders=content-type;host, Signature=abc123',
      'Host:scf.tencentcloudapi.com',
      'X-TC-Token:tok',
      'Content-Length:10',
      'Connection:close',
      'Transfer-Encoding:chunked',
      'X-Status:ok',
      'X-E:e',
      'X-Unknown:0123456789abcdef0123',
    ].join('\r\n');
    const { scf, masked } = client();
    scf.sign(signature);
    expect(masked).toEqual(
      expect.arrayContaining(['tok', '0123456789abcdef0123', 'AKIDk', 'abc123']),
    );
    for (const value of ['10', 'close', 'chunked', 'ok', 'e', 'scf.tencentcloudapi.com']) {
      expect(masked).not.toContain(value);
    }
  });

  it('refuses a signature that names a header twice with different values', () => {
    const { scf } = client();
    const twice = `${SIGNATURE('scf.tencentcloudapi.com')}\r\nHost:evil.example`;
    expect(scf.sign(twice)).toEqual({ refused: expect.stringMatching(/gives Host twice/) });
  });

  it.each([
    'evil.example.com',
    'tencentcloudapi.com.evil.example',
    'scf.tencentcloudapi.com@evil.example',
    'scf.tencentcloudapi.com/path',
    '127.0.0.1:8080',
    '',
  ])('refuses the host %j before anything is sent', (host) => {
    const { scf } = client();
    const signed = scf.sign(SIGNATURE(host));
    expect(signed).toEqual({ refused: expect.stringMatching(/not a tencentcloudapi\.com host/) });
  });

  it('allows a loopback host only when the API itself is on loopback, over its scheme', () => {
    expect(client('http://127.0.0.1:9000').scf.sign(SIGNATURE('127.0.0.1:8080'))).toMatchObject({
      url: 'http://127.0.0.1:8080/',
    });
    expect(client('https://[::1]:9000').scf.sign(SIGNATURE('[::1]:8080'))).toMatchObject({
      url: 'https://[::1]:8080/',
    });
    expect(client('http://127.0.0.1:9000').scf.sign(SIGNATURE('evil.example'))).toHaveProperty(
      'refused',
    );
  });
});

describe('upload', () => {
  async function host(answer: (body: string) => [number, string]) {
    const seen: { headers: Record<string, unknown>; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        const [status, text] = answer(body);
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void server.close());
    return { seen, hostPort: `127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  /** A client on loopback and the upload it signs for `hostPort`; throws if it refuses to. */
  function signedFor(hostPort: string) {
    const { scf } = client('http://127.0.0.1:1');
    const request = scf.sign(SIGNATURE(hostPort));
    if ('refused' in request) throw new Error(request.refused);
    return { scf, request };
  }

  const body = uploadBody({
    codeSecret: 'cs',
    env: 'test-777bb9',
    functionName: 'login',
    zip: Buffer.from('zip'),
    installDependencies: true,
  });

  it('sends the hashed bytes with the signed headers and reads the RequestId', async () => {
    const { seen, hostPort } = await host(() => [200, '{"Response":{"RequestId":"r-1"}}']);
    const { scf, request } = signedFor(hostPort);
    const uploaded = await scf.upload(request, body);
    expect(uploaded).toMatchObject({ kind: 'accepted', detail: 'ok (RequestId r-1)' });
    expect(seen[0].body).toBe(body.text);
    expect(seen[0].headers).toMatchObject({
      'content-type': 'application/json',
      host: hostPort,
      'x-tc-action': 'UpdateFunctionCode',
      authorization: expect.stringContaining('Signature=abc123'),
    });
  });

  it.each([
    ['AuthFailure.SignatureExpire', 'sign-again'],
    ['AuthFailure.SignatureFailure', 'fail'],
    ['InvalidParameterValue.ZipFile', 'fail'],
    ['RequestLimitExceeded', 'retry'],
    ['InternalError.System', 'retry'],
    ['FailedOperation.UpdateFunctionCode', 'wait'],
    ['ResourceInUse.Function', 'wait'],
    ['ResourceNotFound.Function', 'fail'],
  ])('judges %s: %s', async (code, action) => {
    const { hostPort } = await host(() => [
      200,
      JSON.stringify({ Response: { Error: { Code: code, Message: 'msg' }, RequestId: 'r-2' } }),
    ]);
    const { scf, request } = signedFor(hostPort);
    const uploaded = await scf.upload(request, body);
    expect(uploaded).toMatchObject({
      kind: 'refused',
      next: action,
      outcome: { errmsg: `${code}: msg (RequestId r-2)`, unclear: false },
    });
  });

  it.each([
    ['a Response with nothing in it', '{"Response":{}}'],
    ['a Response that is a list', '{"Response":[]}'],
    ['errors under another name', '{"Response":{"Errors":[{"Code":"X"}]}}'],
    ['an Error without a Code', '{"Response":{"Error":{},"RequestId":"r"}}'],
    ['no Response', '{"RequestId":"r"}'],
  ])('takes %s for neither a success nor an error: unclear, sent again', async (_name, text) => {
    const { hostPort } = await host(() => [200, text]);
    const { scf, request } = signedFor(hostPort);
    expect(await scf.upload(request, body)).toMatchObject({
      kind: 'refused',
      next: 'retry',
      outcome: { unclear: true },
    });
  });

  it('retries a 5xx and a body that is not JSON; fails a 4xx', async () => {
    const answers: [number, string][] = [
      [502, '<html>'],
      [200, 'nope'],
      [403, '{}'],
    ];
    const { hostPort } = await host(() => answers.shift() as [number, string]);
    const { scf, request } = signedFor(hostPort);
    const ends = [];
    for (let i = 0; i < 3; i++) {
      const uploaded = await scf.upload(request, body);
      ends.push(uploaded.kind === 'refused' && [uploaded.next, uploaded.outcome.unclear]);
    }
    expect(ends).toEqual([
      ['retry', true],
      ['retry', true],
      ['fail', false],
    ]);
  });

  it('scrubs the signature from what the host echoes', async () => {
    const { hostPort } = await host(() => [
      200,
      JSON.stringify({
        Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: SIGNATURE('x') } },
      }),
    ]);
    const { scf, request } = signedFor(hostPort);
    const uploaded = await scf.upload(request, body);
    if (uploaded.kind !== 'refused') throw new Error('expected a refusal');
    expect(uploaded.outcome.errmsg).not.toContain('Signature=abc123');
    expect(uploaded.outcome.errmsg).toContain('***');
  });
});
