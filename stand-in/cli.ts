// `npm run stand-in -- [options]`: serves the stand-in WeChat API on 127.0.0.1 until SIGINT or
// SIGTERM, for `npm run local-action`, for the workflow that runs the action in CI, and for
// trying the action by hand. It prints the URLs and the credentials it accepts, Tencent Cloud
// keys included (not the code secret: the action fetches it).
import { parseArgs } from 'node:util';
import type { Reason } from './held.js';
import { DEFAULT_SUBJECT } from './oidc.js';
import {
  type Fault,
  type Invocation,
  type Placed,
  type Route,
  type SlowReading,
  type StandInOptions,
  startStandIn,
  WECHAT_ROUTES,
} from './server.js';
import { STAND_IN_ROLE, STAND_IN_TRUST, STS_ROUTES } from './sts.js';
import { KEYS_PER_HOUR, SCF_ROUTES, TCB_ACTIONS } from './tencentcloud.js';

const ROUTES: readonly Route[] = [
  ...WECHAT_ROUTES,
  'scf',
  ...TCB_ACTIONS,
  ...SCF_ROUTES,
  ...STS_ROUTES,
  'idtoken',
];
/** Routes whose faults can be for one function. */
const PER_FUNCTION: readonly Route[] = [
  'createfunction',
  'getfuncconfig',
  'uploadfuncconfig',
  'invokecloudfunction',
  'scf',
  ...TCB_ACTIONS.filter((action) => action !== 'ListFunctions'),
  ...SCF_ROUTES,
];

const ROUTES_TEXT = ROUTES.join(', ');
const PER_FUNCTION_TEXT = PER_FUNCTION.join(', ');

const USAGE = `Usage: npm run stand-in -- [options]

Serves a stand-in for api.weixin.qq.com on 127.0.0.1 until Ctrl-C, one for the SCF endpoint
that code uploads go to (scf.tencentcloudapi.com), and one for CloudBase's Tencent Cloud API
(tcb.tencentcloudapi.com, for \`api: tencentcloud\`, which answers SCF's GetFunction and STS's
AssumeRoleWithWebIdentity too), all on the same functions. The WeChat API's URL also serves
GitHub's OIDC token endpoint (/idtoken), whose tokens STS takes for the role it prints.

Options:
  --port N              Port to listen on (default 8787; 0 picks a free one).
  --scf-port N          Port of the SCF endpoint (default 8788; 0 picks a free one).
  --tcb-port N          Port of CloudBase's Tencent Cloud API, the \`tencentcloud-endpoint\`
                        (default 8789; 0 picks a free one).
  --secret-id ID, --secret-key K
                        The Tencent Cloud key that API accepts (default: random), besides
                        the temporary keys getqcloudtoken hands out (${KEYS_PER_HOUR} an hour).
  --access-token T      Access token that createfunction accepts (default: random).
  --app-id ID           App id that stable_token accepts (default wx0123456789abcdef).
  --app-secret S        App secret that stable_token accepts (default: random).
  --env E               An environment that exists; repeat for more
                        (default test-777bb9 and prod-3gewtf9c10f60c76).
  --existing ENV=NAME   A function that exists already, Active; repeat for more. Or
                        ENV=JSON, a function in a state of its own, e.g.
                        'test-777bb9={"name":"broken","status":"CreateFailed",
                        "reason":{"errcode":"ResourceNotFound.File","errmsg":"no index.js"}}'
                        or '{"name":"busy","status":"UpdatingAndPublishing",
                        "settles":{"ms":3000,"status":"Active"},"runtime":"Nodejs16.13"}'.
  --fail-create NAME=CODE:MESSAGE
                        The next creation of NAME ends CreateFailed with this reason.
  --fail-update NAME=CODE:MESSAGE
                        The next code taken for NAME ends UpdateFailed with this reason.
  --invoke NAME=JSON    The next invocation of NAME answers {"respData":"…"} or
                        {"errcode":-504002,"errmsg":"…"} instead of echoing the event;
                        repeat to queue more.
  --read-slowly JSON    The next uploads are read slowly: {"bytesPerSecond":204800,
                        "stallAfterBytes":N,"stallMs":N,"times":1}.
  --oidc-subject SUB    The \`sub\` of the OIDC tokens (default ${JSON.stringify(DEFAULT_SUBJECT)});
                        the role trusts ${JSON.stringify(STAND_IN_TRUST.sub)}.
  --latency-ms N        Delay every answer by N ms (default 0).
  --create-ms N         A new function is Creating for N ms, then Active (default 0).
  --update-ms N         Uploaded code leaves its function Updating for N ms (default 0).
  --fault ROUTE=JSON    Answer the next request to ROUTE with a fault instead; repeat to queue
                        more, in order. ROUTE is one of ${ROUTES_TEXT}, or ROUTE:NAME for
                        one function of ${PER_FUNCTION_TEXT}. JSON is a fault
                        object or an array of them, e.g.
                        'createfunction={"errcode":-1,"errmsg":"system busy"}',
                        'createfunction={"hang":true}',
                        'scf={"tencentError":{"code":"InternalError","message":"busy"}}',
                        SCF refusing the variables:
                        'scf.GetFunction={"tencentError":{"code":"UnauthorizedOperation",
                        "message":"no CAM permission"}}', or a create SCF refused:
                        'CreateFunction={"json":{"Response":{"SCFErrorCode":"InternalError",
                        "SCFErrorMsg":"quota","RequestId":"r1"}}}', or STS refusing the role:
                        'sts.AssumeRoleWithWebIdentity={"tencentError":
                        {"code":"ResourceNotFound.RoleNotExist","message":"no role"}}',
                        or its answer lost: 'sts.AssumeRoleWithWebIdentity={"reset":true}',
                        or an answer without a field: 'GetFunction={"omit":["Triggers"]}'.
  -h, --help            Show this help.
`;

class UsageError extends Error {}

function wholeNumber(name: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value <= max)) throw new UsageError(`--${name} must be a whole number from 0 to ${max}`);
  return value;
}

/** Splits `KEY=VALUE` at the first `=`. */
function pair(name: string, text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`--${name} takes KEY=VALUE; got ${JSON.stringify(text)}`);
  return [text.slice(0, at), text.slice(at + 1)];
}

interface ScriptedFaults {
  route: Route;
  functionName?: string;
  faults: Fault[];
}

function parseFault(text: string): ScriptedFaults {
  const [target, json] = pair('fault', text);
  const [route, functionName] = target.split(':', 2) as [Route, string | undefined];
  if (!ROUTES.includes(route) || (functionName !== undefined && !PER_FUNCTION.includes(route))) {
    throw new UsageError(
      `--fault route must be one of ${ROUTES_TEXT}, or ROUTE:NAME for ${PER_FUNCTION_TEXT}; got ${JSON.stringify(target)}`,
    );
  }
  const value = parseJson('fault', json);
  const faults = Array.isArray(value) ? value : [value];
  if (faults.length === 0 || !faults.every((f) => typeof f === 'object' && f !== null)) {
    throw new UsageError(`--fault ${target}: expected a fault object or an array of them`);
  }
  return { route, functionName, faults: faults as Fault[] };
}

/** `NAME=CODE:MESSAGE`, a status reason for one function. */
function reason(option: string, text: string): [string, Reason] {
  const [name, value] = pair(option, text);
  const at = value.indexOf(':');
  if (at <= 0)
    throw new UsageError(`--${option} takes NAME=CODE:MESSAGE; got ${JSON.stringify(text)}`);
  return [name, { errcode: value.slice(0, at), errmsg: value.slice(at + 1) }];
}

function parseJson(option: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--${option}: not JSON: ${text}`);
  }
}

function object(option: string, text: string): Record<string, unknown> {
  const value = parseJson(option, text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--${option}: expected a JSON object; got ${text}`);
  }
  return value as Record<string, unknown>;
}

interface Cli {
  help: boolean;
  options: StandInOptions;
  faults: ScriptedFaults[];
  failCreate: [string, Reason][];
  failUpdate: [string, Reason][];
  invocations: [string, Invocation][];
  readSlowly?: SlowReading;
  oidcSubject?: string;
}

function parseCli(args: string[]): Cli {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string', default: '8787' },
      'scf-port': { type: 'string', default: '8788' },
      'tcb-port': { type: 'string', default: '8789' },
      'secret-id': { type: 'string' },
      'secret-key': { type: 'string' },
      'access-token': { type: 'string' },
      'app-id': { type: 'string' },
      'app-secret': { type: 'string' },
      env: { type: 'string', multiple: true },
      existing: { type: 'string', multiple: true },
      'latency-ms': { type: 'string' },
      'create-ms': { type: 'string' },
      'update-ms': { type: 'string' },
      fault: { type: 'string', multiple: true },
      'fail-create': { type: 'string', multiple: true },
      'fail-update': { type: 'string', multiple: true },
      invoke: { type: 'string', multiple: true },
      'read-slowly': { type: 'string' },
      'oidc-subject': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const existing: NonNullable<StandInOptions['existing']> = {};
  for (const text of values.existing ?? []) {
    const [env, value] = pair('existing', text);
    const fn = value.startsWith('{') ? object('existing', value) : value;
    if (typeof fn === 'object' && typeof fn.name !== 'string') {
      throw new UsageError(`--existing ${env}: the JSON needs a "name"`);
    }
    existing[env] = [...(existing[env] ?? []), fn as string | ({ name: string } & Placed)];
  }
  return {
    help: values.help,
    options: {
      port: wholeNumber('port', values.port, 65_535),
      scfPort: wholeNumber('scf-port', values['scf-port'], 65_535),
      tcbPort: wholeNumber('tcb-port', values['tcb-port'], 65_535),
      secretId: values['secret-id'],
      secretKey: values['secret-key'],
      accessToken: values['access-token'],
      appId: values['app-id'],
      appSecret: values['app-secret'],
      envs: values.env,
      existing,
      latencyMs: wholeNumber('latency-ms', values['latency-ms'], 600_000),
      createMs: wholeNumber('create-ms', values['create-ms'], 600_000),
      updateMs: wholeNumber('update-ms', values['update-ms'], 600_000),
    },
    faults: (values.fault ?? []).map(parseFault),
    failCreate: (values['fail-create'] ?? []).map((text) => reason('fail-create', text)),
    failUpdate: (values['fail-update'] ?? []).map((text) => reason('fail-update', text)),
    invocations: (values.invoke ?? []).map((text) => {
      const [name, value] = pair('invoke', text);
      return [name, object('invoke', value) as Invocation];
    }),
    ...(values['read-slowly']
      ? { readSlowly: object('read-slowly', values['read-slowly']) as SlowReading }
      : {}),
    ...(values['oidc-subject'] ? { oidcSubject: values['oidc-subject'] } : {}),
  };
}

async function main(): Promise<void> {
  let cli: ReturnType<typeof parseCli>;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (error) {
    // parseArgs throws TypeErrors with a code for unknown or malformed options.
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE')) {
      process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  if (cli.help) {
    process.stdout.write(USAGE);
    return;
  }

  const standIn = await startStandIn(cli.options);
  for (const { route, faults, functionName } of cli.faults) {
    standIn.script(route, faults, functionName);
  }
  for (const [name, why] of cli.failCreate) standIn.failCreate(name, why);
  for (const [name, why] of cli.failUpdate) standIn.failUpdate(name, why);
  for (const [name, answer] of cli.invocations) standIn.answerInvoke(name, answer);
  if (cli.readSlowly) standIn.readSlowly(cli.readSlowly);
  if (cli.oidcSubject) standIn.oidc.subject = cli.oidcSubject;
  console.log(`Stand-in WeChat API listening on ${standIn.url}`);
  console.log(`  SCF endpoint: ${standIn.scfUrl}`);
  console.log(`  Tencent Cloud API: ${standIn.tcbUrl} (tencentcloud-endpoint)`);
  console.log(`  access token: ${standIn.accessToken}`);
  console.log(`  app id:       ${standIn.appId}`);
  console.log(`  app secret:   ${standIn.appSecret}`);
  console.log(`  secret id:    ${standIn.tcb.secretId}`);
  console.log(`  secret key:   ${standIn.tcb.secretKey}`);
  console.log(`  environments: ${standIn.envs.join(', ')}`);
  for (const [name, value] of Object.entries(standIn.idTokenEnv)) {
    console.log(`  ${name}=${value}`);
  }
  console.log(`  role:         ${STAND_IN_ROLE} (tencentcloud-role-arn)`);
  console.log(`  provider:     ${STAND_IN_TRUST.providerId} (tencentcloud-oidc-provider-id)`);
  if (cli.faults.length > 0) {
    const count = cli.faults.reduce((sum, f) => sum + f.faults.length, 0);
    console.log(`  scripted faults: ${count}`);
  }
  console.log('Ctrl-C to stop.');

  // One line per request, so a CI log shows what the action sent. The URL, which carries the
  // access token, and the headers, which carry the upload's Authorization, are left out; the app
  // secret, the code secret and the variables' values (also inside a configuration's JSON text)
  // are masked, and an uploaded zip is shown by its size.
  let logged = 0;
  const logRequests = () => {
    for (const request of standIn.requests.slice(logged)) {
      const body = request.body === '' ? '' : (JSON.stringify(request.body) ?? '');
      const masked = body
        .replace(/("(?:secret|CodeSecret|Value|WebIdentityToken)"\s*:\s*")[^"]*/g, '$1***')
        .replace(/(\\"value\\"\s*:\s*\\")(?:[^\\]|\\[^"])*/g, '$1***')
        .replace(
          /("ZipFile"\s*:\s*")([^"]*)/g,
          (_, key, zip) => `${key}(${zip.length} characters)`,
        );
      console.log(`${request.method} /${request.route} ${masked}`.trimEnd());
    }
    logged = standIn.requests.length;
  };
  const tail = setInterval(logRequests, 100);

  const stop = async (signal: NodeJS.Signals) => {
    clearInterval(tail);
    logRequests();
    console.log(`${signal}: stopping; ${standIn.requests.length} requests served.`);
    await standIn.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
