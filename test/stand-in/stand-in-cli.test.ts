// The stand-in started from its command line, as CI and a person start it: every state, status
// reason and refusal a test scripts in-process can be scripted there too.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ROOT } from '../../stand-in/runner.js';

/** Every stand-in a test started: all are stopped after it. */
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGTERM');
});

/** Stops the stand-in started last as Ctrl-C does; resolves with all it printed, its last lines too. */
let stop: () => Promise<string>;

/** How the stand-in ended before it listened, and what it printed. */
class Ended extends Error {
  constructor(
    readonly code: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`the stand-in ended (${code}): ${stdout}${stderr}`);
  }
}

/** Starts the stand-in with `args`; resolves with what it printed once it listens. */
function start(args: string[]): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'stand-in', 'cli.ts'),
      '--port',
      '0',
      '--scf-port',
      '0',
      '--tcb-port',
      '0',
      ...args,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let printed = '';
  let stderr = '';
  stop = () =>
    new Promise((resolve) => {
      child.on('close', () => resolve(printed));
      child.kill('SIGINT');
    });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      printed += chunk;
      if (printed.includes('Ctrl-C to stop.')) resolve(printed);
    });
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    // `close`, not `exit`: by then all it wrote has been read.
    child.on('close', (code) => reject(new Ended(code, printed, stderr)));
  });
}

const field = (printed: string, name: string) =>
  new RegExp(`${name}:\\s+(\\S+)`).exec(printed)?.[1] ?? '';

async function list(printed: string): Promise<Record<string, unknown>> {
  const url = /listening on (\S+)/.exec(printed)?.[1];
  const token = field(printed, 'access token');
  const answer = await fetch(`${url}/tcb/listfunctions?access_token=${token}`, {
    method: 'POST',
    body: JSON.stringify({ env: 'test-777bb9', limit: 20, offset: 0 }),
  });
  return (await answer.json()) as Record<string, unknown>;
}

it('scripts a function in any state with its reason and runtime, and a refusal', async () => {
  const printed = await start([
    '--existing',
    'test-777bb9={"name":"broken","status":"CreateFailed","reason":{"errcode":"ResourceNotFound.File","errmsg":"no index.js"},"runtime":"Nodejs16.13"}',
    '--existing',
    'test-777bb9=login',
    '--fault',
    'listfunctions={"errcode":40014,"errmsg":"invalid access_token"}',
  ]);
  expect(await list(printed)).toEqual({ errcode: 40014, errmsg: 'invalid access_token' });
  const { functions } = (await list(printed)) as { functions: Record<string, unknown>[] };
  expect(functions).toEqual([
    expect.objectContaining({
      name: 'broken',
      status: 'CreateFailed',
      runtime: 'Nodejs16.13',
      status_reason: [{ errcode: 'ResourceNotFound.File', errmsg: 'no index.js' }],
    }),
    expect.objectContaining({ name: 'login', status: 'Active', runtime: 'Nodejs8.9' }),
  ]);
});

it('takes a fault for SCF at the Tencent Cloud URL, by its route `scf.GetFunction`', async () => {
  await expect(
    start([
      '--fault',
      'scf.GetFunction:login={"tencentError":{"code":"UnauthorizedOperation","message":"no"}}',
    ]),
  ).resolves.toMatch(/listening on/);
  await expect(start(['--fault', 'scf.ListFunctions={"status":502}'])).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/^--fault route must be one of .*scf\.GetFunction/),
  });
});

it('refuses what it cannot take, saying how it is used', async () => {
  await expect(start(['--existing', 'test-777bb9={"status":"Active"}'])).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(
      /^--existing test-777bb9: the JSON needs a "name"\n\nUsage: npm run stand-in -- \[options\]\n/,
    ),
  });
});

/** A token from the stand-in's GitHub endpoint, as a job asks for it, and what it claims. */
async function idToken(
  printed: string,
): Promise<{ value: string; claims: Record<string, unknown> }> {
  const variable = (name: string) => new RegExp(`${name}=(\\S+)`).exec(printed)?.[1] ?? '';
  const url = `${variable('ACTIONS_ID_TOKEN_REQUEST_URL')}&audience=sts.tencentcloudapi.com`;
  const bearer = { authorization: `Bearer ${variable('ACTIONS_ID_TOKEN_REQUEST_TOKEN')}` };
  const { value } = (await (await fetch(url, { headers: bearer })).json()) as { value: string };
  const claims = JSON.parse(Buffer.from(value.split('.')[1], 'base64url').toString());
  return { value, claims };
}

/** STS's answer to the role and provider the stand-in printed, for `token`. */
async function assume(printed: string, token: string): Promise<Record<string, unknown>> {
  const answer = await fetch(`${/Tencent Cloud API: (\S+)/.exec(printed)?.[1]}/`, {
    method: 'POST',
    headers: {
      authorization: 'SKIP',
      'content-type': 'application/json',
      'x-tc-action': 'AssumeRoleWithWebIdentity',
      'x-tc-version': '2018-08-13',
      'x-tc-region': 'ap-shanghai',
      'x-tc-timestamp': String(Math.floor(Date.now() / 1000)),
    },
    body: JSON.stringify({
      ProviderId: field(printed, 'provider'),
      WebIdentityToken: token,
      RoleArn: field(printed, 'role'),
      RoleSessionName: 'by-hand',
    }),
  });
  return ((await answer.json()) as { Response: Record<string, unknown> }).Response;
}

it('serves GitHub’s token endpoint and STS, with a subject and STS’s faults scripted', async () => {
  const subject = 'repo:octo-org/mini-program:ref:refs/heads/main';
  const printed = await start([
    '--oidc-subject',
    subject,
    '--fault',
    'sts.AssumeRoleWithWebIdentity={"tencentError":{"code":"InternalError","message":"busy"}}',
  ]);
  const { value, claims } = await idToken(printed);
  expect(claims).toMatchObject({ sub: subject, aud: 'sts.tencentcloudapi.com' });
  expect(await assume(printed, value)).toMatchObject({ Error: { Code: 'InternalError' } });
  // The role trusts release tags only.
  expect(await assume(printed, value)).toMatchObject({
    Error: { Code: 'InvalidParameter.AccountNotAvaliable' },
  });
  // Its log shows each exchange, and not the token.
  const log = (await stop()).split('Ctrl-C to stop.')[1];
  expect(log.match(/^POST \/sts\.AssumeRoleWithWebIdentity .*$/gm)).toEqual([
    expect.stringContaining('"WebIdentityToken":"***"'),
    expect.stringContaining('"WebIdentityToken":"***"'),
  ]);
  expect(log).not.toContain(value);
});

it('its STS gives keys for the role and provider it prints, to a token of the subject they trust', async () => {
  const printed = await start([]);
  const { value, claims } = await idToken(printed);
  expect(claims.sub).toMatch(/^repo:octo-org\/mini-program:ref:refs\/tags\/v/);
  const { Error: error, Credentials, ExpiredTime } = await assume(printed, value);
  expect(error).toBeUndefined();
  expect(Credentials).toEqual({
    TmpSecretId: expect.any(String),
    TmpSecretKey: expect.any(String),
    Token: expect.any(String),
  });
  expect(ExpiredTime).toBeGreaterThan(Date.now() / 1000);
});
