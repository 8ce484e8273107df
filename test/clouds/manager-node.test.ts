// Tencent's own clients against the stand-in: @cloudbase/manager-node lists the functions on tcb
// (the one call whose host it lets a caller move, through TCB_BASE_URL), and the official SDK's
// signed request (`HttpConnection.doRequestWithSign3`) makes every other call the action makes.
// What they send must be taken; a field the model lacks must not. Loopback only.
import { Agent } from 'node:http';
import { createRequire } from 'node:module';
import type ManagerNode from '@cloudbase/manager-node';
import type { HttpConnection as Connection } from 'tencentcloud-sdk-nodejs/tencentcloud/common/http/http_connection.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TENCENT_CALLS, type TencentCall } from '../../src/clouds/contract.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { ENV } from '../support/steps.js';
import { zipOf } from '../support/zip-fixtures.js';

// Both are CommonJS: required as Node requires them.
const require = createRequire(import.meta.url);
const CloudBase = require('@cloudbase/manager-node') as typeof ManagerNode;
const { HttpConnection } =
  require('tencentcloud-sdk-nodejs/tencentcloud/common/http/http_connection.js') as {
    HttpConnection: typeof Connection;
  };

let standIn: StandIn;
/** A direct connection, whatever proxy the environment names. */
const direct = new Agent();

beforeEach(async () => {
  standIn = await startStandIn({ existing: { [ENV]: ['pay'] } });
  vi.stubEnv('TCB_BASE_URL', standIn.tcbUrl);
  // Both clients send through `http_proxy` when it is set: nothing may leave the machine.
  vi.stubEnv('http_proxy', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
  return standIn.close();
});

/** The answer's `Response`, as the SDK's client reads it. */
type Response = Record<string, unknown> & { Error?: { Code: string; Message: string } };

/** `call` with `data`, signed by the official SDK with the stand-in's own keys. */
async function sdk(
  call: TencentCall,
  data: object,
  headers: Record<string, string> = {},
): Promise<Response> {
  const answer = await HttpConnection.doRequestWithSign3({
    method: 'POST',
    url: `${standIn.tcbUrl}/`,
    data,
    service: call.service,
    action: call.action,
    version: call.version,
    // SCF's calls name a region; CloudBase's API needs none (see docs/contract.md).
    region: call.service === 'scf' ? 'ap-shanghai' : (undefined as unknown as string),
    secretId: standIn.tcb.secretId,
    secretKey: standIn.tcb.secretKey,
    token: undefined as unknown as string,
    requestClient: 'SDK_NODEJS_4.1.313',
    language: 'en-US',
    headers,
    agent: direct,
  });
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { Response: Response }).Response;
}

describe('@cloudbase/manager-node', () => {
  it('lists the functions on tcb, its own signed request taken as it is', async () => {
    const manager = new CloudBase({
      secretId: standIn.tcb.secretId,
      secretKey: standIn.tcb.secretKey,
      envId: ENV,
    });
    // It first reads the environment's description (DescribeEnvInfo, which no public model has,
    // so the stand-in has no such action): given here, with the namespace CloudBase reports.
    const environment = manager.currentEnvironment();
    environment.lazyEnvironmentConfig = {
      EnvId: ENV,
      Functions: [{ Namespace: ENV }],
    } as unknown as typeof environment.lazyEnvironmentConfig;
    environment.inited = true;
    const listed = await manager.functions.listFunctions(20, 0);
    expect(listed).toEqual([expect.objectContaining({ FunctionName: 'pay', Status: 'Active' })]);
    const [request] = standIn.calls('ListFunctions');
    expect(request.body).toEqual({ EnvId: ENV, Limit: 20, Offset: 0 });
    // Signed without a charset, and with a region CloudBase's API does not ask for.
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-tc-region']).toBe('ap-shanghai');
  });
});

describe('the official SDK’s signed request', () => {
  const zip = zipOf({ 'index.js': "exports.main = async () => 'login';\n" }).toString('base64');
  const code = { Handler: 'index.main', InstallDependency: 'FALSE', CodeSource: 'ZipFile' };

  it('makes every other call of the action, each taken and answered within its model', async () => {
    const { create, code: upload, get, configure, variables } = TENCENT_CALLS;
    const fn = { EnvId: ENV, FunctionName: 'login' };
    const created = await sdk(create, {
      ...fn,
      ...code,
      Code: { ZipFile: zip },
      Runtime: 'Nodejs20.19',
      MemorySize: 256,
      Role: 'TCB_QcsRole',
      Stamp: 'MINI_QCBASE',
    });
    expect(created.Error).toBeUndefined();
    const uploaded = await sdk(upload, { ...fn, ...code, Code: { ZipFile: zip } });
    expect(uploaded.Error).toBeUndefined();
    const written = await sdk(configure, {
      ...fn,
      Timeout: 20,
      MemorySize: 512,
      Environment: { Variables: [{ Key: 'MODE', Value: 'prod' }] },
    });
    expect(written).toEqual({ RequestId: expect.any(String) });
    const read = await sdk(get, fn);
    expect(read).toMatchObject({ FunctionName: 'login', Timeout: 20, MemorySize: 512 });
    // CloudBase's model answers no variables: SCF's, with the environment as namespace, does.
    expect(read).not.toHaveProperty('Environment');
    const scf = await sdk(variables, { FunctionName: 'login', Namespace: ENV });
    expect(scf).toMatchObject({
      FunctionName: 'login',
      Environment: { Variables: [{ Key: 'MODE', Value: 'prod' }] },
    });
    expect(standIn.requests.map((r) => r.headers['x-tc-action'])).toEqual([
      'CreateFunction',
      'UpdateFunctionCode',
      'UpdateFunctionConfiguration',
      'GetFunction',
      'GetFunction',
    ]);
  });

  it('is signed with or without a charset, and taken either way', async () => {
    const listed = await sdk(
      TENCENT_CALLS.list,
      { EnvId: ENV },
      { 'Content-Type': 'application/json; charset=utf-8' },
    );
    expect(listed).toMatchObject({ Functions: [expect.objectContaining({ FunctionName: 'pay' })] });
  });

  it('is refused a field the model lacks, at any depth, and a required one left out', async () => {
    const { get, variables, configure } = TENCENT_CALLS;
    expect(await sdk(get, { EnvId: ENV, FunctionName: 'pay', Bogus: 1 })).toMatchObject({
      Error: { Code: 'UnknownParameter', Message: 'The parameter `Bogus` is not recognized.' },
    });
    // The same action name on SCF: its model has no EnvId.
    expect(await sdk(variables, { EnvId: ENV, FunctionName: 'pay' })).toMatchObject({
      Error: { Code: 'UnknownParameter', Message: 'The parameter `EnvId` is not recognized.' },
    });
    const nested = { Variables: [{ Key: 'MODE', Value: 'prod', Secret: true }] };
    expect(
      await sdk(configure, { EnvId: ENV, FunctionName: 'pay', Environment: nested }),
    ).toMatchObject({ Error: { Code: 'UnknownParameter' } });
    expect(await sdk(get, { FunctionName: 'pay' })).toMatchObject({
      Error: {
        Code: 'MissingParameter',
        Message: 'The request is missing a required parameter `EnvId`.',
      },
    });
    expect(await sdk({ ...get, action: 'GetFunctions' }, { EnvId: ENV })).toMatchObject({
      Error: { Code: 'InvalidAction' },
    });
    expect(standIn.held(ENV, 'pay')?.configs.get(3)).toBeUndefined();
  });
});
