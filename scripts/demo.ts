// `npm start`: runs the bundled action against the stand-in server on loopback, once through each
// API, deploying the example function of examples/cloudfunctions/ with its config.json (a timer
// trigger, deployed on Tencent Cloud's route), a timeout and one environment variable, and
// invoking it once it is Active. Through WeChat's,
// with an access token: it lists, creates the function (after one transient `-1 system busy`, so
// the retry shows), deploys its code, writes its configuration, and waits. Through Tencent
// Cloud's, with the app id and secret: the minted token is exchanged for temporary keys, and one
// signed CreateFunction carries the code and the settings (after one `RequestLimitExceeded`).
// Through Tencent Cloud's again with no secret at all: the job's GitHub OIDC token (the
// stand-in's token endpoint) is exchanged at STS for a role's temporary keys (no invocation:
// that takes a WeChat token). Each time it prints what the runner would see.
import { join } from 'node:path';
import { ROOT, runAction } from '../stand-in/runner.js';
import { type StandIn, startStandIn } from '../stand-in/server.js';
import { STAND_IN_ROLE, STAND_IN_TRUST } from '../stand-in/sts.js';

const env = 'test-777bb9';
const shared = {
  env,
  'function-name': 'hello',
  'code-dir': join(ROOT, 'examples', 'cloudfunctions'),
  'timeout-seconds': '10',
  environment: 'GREETING=Bonjour',
  invoke: '{"name": "stand-in"}',
  'retry-delay-ms': '200',
};

async function demo(
  title: string,
  prepare: (standIn: StandIn) => Record<string, string>,
  /** What the runner sets besides the inputs: GitHub's token endpoint, for `id-token: write`. */
  environment: (standIn: StandIn) => Record<string, string> = () => ({}),
): Promise<number> {
  const standIn = await startStandIn({ createMs: 300, updateMs: 300 });
  const inputs = { ...shared, 'api-base-url': standIn.url, ...prepare(standIn) };
  // The keys getqcloudtoken hands out are known once it has.
  const secrets = () => [
    standIn.accessToken,
    standIn.appSecret,
    standIn.mintedToken,
    standIn.oidc.requestToken,
    ...standIn.oidc.issued,
    ...standIn.tcb.issued.flatMap((keys) => [keys.secretId, keys.secretKey, keys.token]),
  ];
  const hide = (text: string) => secrets().reduce((t, secret) => t.replaceAll(secret, '***'), text);
  console.log(`\n=== ${title} ===`);
  console.log(`Stand-in WeChat API at ${standIn.url}; running dist/index.js with:`);
  console.log(
    Object.entries(inputs)
      .filter(([, value]) => value !== '')
      .map(([name, value]) => `  ${name}: ${hide(value)}`)
      .join('\n'),
  );

  const result = await runAction({ inputs, env: environment(standIn) });
  await standIn.close();
  console.log('\n--- log (stdout) ---');
  process.stdout.write(hide(result.stdout));
  console.log('--- requests the stand-in received ---');
  for (const request of standIn.requests) console.log(`  ${request.route}`);
  console.log('--- outputs ---');
  for (const [name, value] of Object.entries(result.outputs)) console.log(`  ${name}: ${value}`);
  console.log('--- job summary ---');
  console.log(result.summary);
  console.log(
    `exit code ${result.code}; functions now in ${env}: ${standIn
      .functions(env)
      .map((name) => `${name} (${standIn.status(env, name)})`)
      .join(', ')}`,
  );
  return result.code ?? 1;
}

const codes = [
  await demo("Through WeChat's API, with an access token", (standIn) => {
    standIn.script('createfunction', [{ errcode: -1, errmsg: 'system busy' }]);
    return { 'access-token': standIn.accessToken };
  }),
  await demo("Through Tencent Cloud's API, with the app id and secret", (standIn) => {
    standIn.script('CreateFunction', [
      { tencentError: { code: 'RequestLimitExceeded', message: 'too many requests' } },
    ]);
    return {
      api: 'tencentcloud',
      'app-id': standIn.appId,
      'app-secret': standIn.appSecret,
      'tencentcloud-endpoint': standIn.tcbUrl,
    };
  }),
  await demo(
    "Through Tencent Cloud's API, with no secret: GitHub's OIDC token for a CAM role",
    (standIn) => ({
      'tencentcloud-role-arn': STAND_IN_ROLE,
      'tencentcloud-oidc-provider-id': STAND_IN_TRUST.providerId,
      'tencentcloud-endpoint': standIn.tcbUrl,
      invoke: '',
    }),
    (standIn) => standIn.idTokenEnv,
  ),
];
process.exitCode = Math.max(...codes);
