// The official models are the contract: every call of src/clouds/contract.ts is held to the model
// its source names (the fields sent, the required ones, the answer fields read), and what the
// bundle really sends to the stand-in is held to both the model and the table.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TencentCall } from '../../src/clouds/contract.js';
import {
  type FieldType,
  type ModelField,
  type ModelFile,
  type ModelStruct,
  modelFile,
  modelOf,
  modelPath,
  requestProblem,
  tencentCalls,
} from '../../stand-in/models.js';
import { runAction } from '../../stand-in/runner.js';
import { type RecordedRequest, type StandIn, startStandIn } from '../../stand-in/server.js';
import { STAND_IN_ROLE, STAND_IN_TRUST } from '../../stand-in/sts.js';
import { requestService } from '../../stand-in/tc3-envelope.js';
import { results } from '../support/leaks.js';
import { codeFolders, ENV, withKeys, withToken } from '../support/steps.js';

const CALLS = tencentCalls();
const MODELLED = CALLS.filter(
  (entry): entry is [string, TencentCall & { source: { model: string } }] =>
    'model' in entry[1].source,
);

/** The field a path of `reads` names, `Functions[].Status`; why not, when the model lacks it. */
function resolvePath(file: ModelFile, struct: ModelStruct, path: string): string | undefined {
  let current: ModelStruct | undefined = struct;
  const segments = path.split('.');
  for (const [i, segment] of segments.entries()) {
    const name = segment.replace(/\[\]$/, '');
    const field: ModelField | undefined = current?.fields.get(name);
    if (!current || !field) return `${current?.name ?? 'a value'} has no ${name}`;
    let type: FieldType = field.type;
    if (segment.endsWith('[]')) {
      if (type.kind !== 'list') return `${current.name}.${name} is not a list`;
      type = type.of;
    }
    const last = i === segments.length - 1;
    current = type.kind === 'model' ? file.structs.get(type.name) : undefined;
    if (!last && !current) return `${name} has no fields in ${file.path}`;
  }
  return undefined;
}

describe('each call of src/clouds/contract.ts, against the model its source names', () => {
  it.each(MODELLED)('%s: the model is the service’s, and declares the action', (_, call) => {
    expect(call.source.model).toBe(modelPath(call.service, call.version));
    expect(modelOf(call.service, call.version, call.action)).toBeDefined();
  });

  it.each(MODELLED)('%s: every field sent is in the model’s request', (_, call) => {
    const model = modelOf(call.service, call.version, call.action);
    const lacking = call.sends.filter(
      (name) => !model?.request.fields.has(name) && !call.unmodelled?.[name],
    );
    expect(lacking).toEqual([]);
  });

  it.each(MODELLED)('%s: every field the model requires is sent', (_, call) => {
    const model = modelOf(call.service, call.version, call.action);
    const required = [...(model?.request.fields.values() ?? [])].filter((f) => f.required);
    expect(required.map((f) => f.name).filter((name) => !call.sends.includes(name))).toEqual([]);
  });

  it.each(MODELLED)('%s: every answer field read is in the model’s answer', (_, call) => {
    const model = modelOf(call.service, call.version, call.action);
    if (!model) throw new Error(`no model of ${call.action}`);
    const lacking = call.reads
      .filter((path) => !call.unmodelled?.[path])
      .map((path) => [path, resolvePath(model.file, model.response, path)])
      .filter(([, why]) => why !== undefined);
    expect(lacking).toEqual([]);
  });

  it.each(MODELLED)('%s: a field said to be unmodelled is not in the model', (_, call) => {
    const model = modelOf(call.service, call.version, call.action);
    if (!model) throw new Error(`no model of ${call.action}`);
    for (const [name, reason] of Object.entries(call.unmodelled ?? {})) {
      expect(reason.length, name).toBeGreaterThan(20);
      const sent = call.sends.includes(name) && model.request.fields.has(name);
      const read = call.reads.includes(name) && !resolvePath(model.file, model.response, name);
      expect({ name, modelled: sent || read }).toEqual({ name, modelled: false });
    }
  });

  it('an official client named as a source exists and makes the call', () => {
    const require = createRequire(import.meta.url);
    for (const [, call] of CALLS) {
      if (!('client' in call.source)) continue;
      const file = require.resolve(call.source.client);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain(`'${call.action}'`);
    }
  });

  it('the model file holds the line it is cited at', () => {
    const { request } = modelOf('tcb', '2018-06-08', 'CreateFunction') ?? {};
    const text = readFileSync(
      createRequire(import.meta.url).resolve(
        `tencentcloud-sdk-nodejs/tencentcloud/services/${modelPath('tcb', '2018-06-08')}`,
      ),
      'utf8',
    ).split('\n');
    expect(text[(request?.line ?? 0) - 1]).toBe('export interface CreateFunctionRequest {');
    expect(modelFile(modelPath('tcb', '2018-06-08')).structs.size).toBeGreaterThan(100);
  });
});

describe('what the bundle sends, against the model and the table', () => {
  let standIn: StandIn;
  const code = codeFolders(['login', 'pay'], {
    'config.json': JSON.stringify({
      triggers: [{ name: 'daily', type: 'timer', config: '0 0 2 * * * *' }],
    }),
  });
  beforeEach(async () => {
    standIn = await startStandIn({ existing: { [ENV]: ['pay'] } });
    // Held with another cron: the run updates it.
    const pay = standIn.held(ENV, 'pay');
    if (pay)
      standIn.tcb.triggers(pay).set('daily', { cron: '0 0 1 * * * *', addTime: '', modTime: '' });
  });
  afterEach(() => standIn.close());

  /** Each signed Tencent Cloud request recorded, with the call of the table it is. */
  function signedRequests(): { request: RecordedRequest; call: TencentCall | undefined }[] {
    return standIn.requests
      .filter((request) => request.headers['x-tc-action'] !== undefined)
      .map((request) => {
        const service = requestService(request.headers);
        const version = request.headers['x-tc-version'];
        const action = request.headers['x-tc-action'];
        const call = CALLS.map(([, c]) => c).find(
          (c) => c.service === service && c.version === version && c.action === action,
        );
        return { request, call };
      });
  }

  /** Every request is a call of the table, sends only its fields, and its model takes it. */
  function expectKept(): Set<TencentCall> {
    const made = new Set<TencentCall>();
    for (const { request, call } of signedRequests()) {
      const what = `${request.headers['x-tc-version']} ${request.headers['x-tc-action']}`;
      expect(call, `${what} is a call of src/clouds/contract.ts`).toBeDefined();
      if (!call) continue;
      made.add(call);
      const body = request.body as Record<string, unknown>;
      expect(
        Object.keys(body).filter((name) => !call.sends.includes(name)),
        what,
      ).toEqual([]);
      const modelled = Object.fromEntries(
        Object.entries(body).filter(([name]) => !call.unmodelled?.[name]),
      );
      expect(requestProblem(call.service, call.version, call.action, modelled), what).toBe(
        undefined,
      );
    }
    return made;
  }

  it('creates, uploads, configures and lists within the model, making every call of the table', async () => {
    const tencentcloud = withKeys(standIn, {
      'function-name': 'login\npay',
      'code-dir': code.path,
      'timeout-seconds': '20',
      environment: 'MODE=prod',
      'memory-mb': '512',
    });
    // What was sent is checked before what came of it: a refused request fails the run too.
    const created = await runAction({ inputs: tencentcloud });
    expectKept();
    expect(results(created)).toEqual([
      expect.objectContaining({ status: 'created', code: 'deployed', config: 'updated' }),
      expect.objectContaining({ status: 'exists', code: 'deployed', config: 'updated' }),
    ]);
    // Again, nothing to change: a list, the reads, and no write; pay's triggers read with SCF's
    // ListTriggers, CloudBase's GetFunction answering no `Triggers` (its reads, each).
    standIn.script('GetFunction', [{ omit: ['Triggers'] }, { omit: ['Triggers'] }], 'pay');
    await runAction({ inputs: tencentcloud });
    const uploaded = await runAction({ inputs: withToken(standIn, { 'code-dir': code.path }) });
    const keyless = await runAction({
      inputs: {
        env: ENV,
        'function-name': 'login',
        'tencentcloud-role-arn': STAND_IN_ROLE,
        'tencentcloud-oidc-provider-id': STAND_IN_TRUST.providerId,
        'tencentcloud-endpoint': standIn.tcbUrl,
      },
      env: standIn.idTokenEnv,
    });
    expect(keyless.code).toBe(0);
    const made = expectKept();
    expect(uploaded.code).toBe(0);
    expect(CALLS.filter(([, call]) => !made.has(call)).map(([name]) => name)).toEqual([]);
  });
});
