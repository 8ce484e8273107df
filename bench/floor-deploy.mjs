// The floor of the "deploy" case: the WeChat calls and the work the action does to create new
// functions and deploy their code, with node:http over a keep-alive agent, and nothing else: the
// list, one createfunction POST per missing function (`parallel` in flight), getcodesecret once,
// then for each function (`parallel` at a time) its folder zipped, the upload body built and
// hashed, getuploadsignature, the body POSTed to the signed host with the signed headers; then
// the list until every function is Active. It reads the same INPUT_* variables the runner gives
// the action, so both send the same requests.
// The zip is fflate's zipSync at level 6, as the action makes it; the folders hold files only
// (no subfolders, nothing to leave out), so the floor reads them without walking or filtering.
// getBuiltinModule, as a bundle's require() does: on Node 24, `import 'node:http'` reads every
// export, and its WebSocket getter loads undici (~25 ms the bundled action does not pay).
import { zipSync } from 'fflate';

const { Agent, request } = process.getBuiltinModule('node:http');
const { createHash } = process.getBuiltinModule('node:crypto');
const { readdirSync, readFileSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

const input = (name) => process.env[`INPUT_${name.toUpperCase()}`] ?? '';
const env = input('env');
const names = input('function-name')
  .split('\n')
  .map((name) => name.trim())
  .filter(Boolean);
const query = `?access_token=${encodeURIComponent(input('access-token'))}`;
const agent = new Agent({ keepAlive: true });

/** One POST; the answer's text. */
const post = (url, body, headers) =>
  new Promise((resolve, reject) => {
    headers['Content-Length'] = Buffer.byteLength(body);
    const req = request(url, { method: 'POST', headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });

/** One POST to the API; the answer's JSON, which must say errcode 0. */
const call = async (route, payload) => {
  const url = `${input('api-base-url')}/tcb/${route}${query}`;
  const text = await post(url, JSON.stringify(payload), { 'Content-Type': 'application/json' });
  const answer = JSON.parse(text);
  if (answer.errcode !== 0) throw new Error(`${route}: ${text}`);
  return answer;
};

/** Every function of the environment, name → status, page by page as the action reads them. */
const list = async () => {
  const functions = new Map();
  for (let offset = 0; ; ) {
    const page = await call('listfunctions', { env, limit: 20, offset });
    for (const fn of page.functions) functions.set(fn.name, fn.status);
    offset += page.functions.length;
    if (page.functions.length === 0 || offset >= page.total_count) return functions;
  }
};

/** Runs `fn` on every item, `parallel` at a time. */
const each = async (items, fn) => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Number(input('parallel')) }, worker));
};

let codeSecret;
const deploy = async (name) => {
  const folder = join(input('code-dir'), name);
  const files = {};
  for (const file of readdirSync(folder).sort()) {
    files[file] = [readFileSync(join(folder, file)), { level: 6 }];
  }
  const zip = zipSync(files);
  codeSecret ??= call('getcodesecret', {});
  const body = JSON.stringify({
    CodeSecret: (await codeSecret).codesecret,
    EnvId: env,
    FunctionName: name,
    Handler: 'index.main',
    InstallDependency: input('install-dependencies') === 'true' ? 'TRUE' : 'FALSE',
    ZipFile: Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength).toString('base64'),
  });
  const hashed = createHash('sha256').update(body).digest('hex');
  const { headers: signature } = await call('getuploadsignature', { hashed_payload: hashed });
  const headers = { 'Content-Type': 'application/json' };
  for (const line of signature.split('\r\n')) {
    const at = line.indexOf(':');
    headers[line.slice(0, at)] = line.slice(at + 1);
  }
  const text = await post(`http://${headers.Host}/`, body, headers);
  if (JSON.parse(text).Response.Error) throw new Error(`upload: ${text}`);
};

const listed = await list();
await each(
  names.filter((name) => !listed.has(name)),
  (name) => call('createfunction', { env, function_name: name }),
);
await each(names, deploy);
for (;;) {
  const functions = await list();
  if (names.every((name) => functions.get(name) === 'Active')) break;
  await new Promise((resolve) => setTimeout(resolve, Number(input('retry-delay-ms'))));
}
agent.destroy();
