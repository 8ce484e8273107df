// `npm start`: runs the bundled action against the stand-in server on loopback: it lists, creates
// the example function of examples/cloudfunctions/ (after one transient `-1 system busy`, so the
// retry shows), deploys its code, and waits until it is Active; then prints what the runner
// would see.
import { join } from 'node:path';
import { ROOT, runAction } from '../stand-in/runner.js';
import { startStandIn } from '../stand-in/server.js';

const standIn = await startStandIn({ createMs: 300, updateMs: 300 });
standIn.script('createfunction', [{ errcode: -1, errmsg: 'system busy' }]);
const env = 'test-777bb9';
const inputs = {
  env,
  'function-name': 'hello',
  'code-dir': join(ROOT, 'examples', 'cloudfunctions'),
  'access-token': standIn.accessToken,
  'api-base-url': standIn.url,
  'retry-delay-ms': '200',
};
console.log(`Stand-in WeChat API at ${standIn.url}; running dist/index.js with:`);
console.log(
  Object.entries(inputs)
    .map(([name, value]) => `  ${name}: ${name === 'access-token' ? '***' : value}`)
    .join('\n'),
);

const result = await runAction({ inputs });
await standIn.close();
console.log('\n--- log (stdout) ---');
process.stdout.write(result.stdout.replaceAll(standIn.accessToken, '***'));
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
process.exitCode = result.code ?? 1;
