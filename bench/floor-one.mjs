// The floor of the "one" case: the WeChat calls the action makes for one new function, with
// node:http over a keep-alive agent, and nothing else: the list (one page in an empty
// environment), the createfunction POST, the list again to see the function Active. It reads the
// same INPUT_* variables the runner gives the action, so both send the same requests.
// getBuiltinModule, as a bundle's require() does: on Node 24, `import 'node:http'` reads every
// export, and its WebSocket getter loads undici (~25 ms the bundled action does not pay).
const { Agent, request } = process.getBuiltinModule('node:http');

const input = (name) => process.env[`INPUT_${name.toUpperCase()}`] ?? '';
const env = input('env');
const name = input('function-name').trim();
const query = `?access_token=${encodeURIComponent(input('access-token'))}`;
const agent = new Agent({ keepAlive: true });

/** One POST to the API; the answer's JSON, which must say errcode 0. */
const call = (route, payload) =>
  new Promise((resolve, reject) => {
    const body = JSON.stringify(payload);
    const headers = {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
    };
    const url = `${input('api-base-url')}/tcb/${route}${query}`;
    const req = request(url, { method: 'POST', headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => {
        const answer = JSON.parse(text);
        if (answer.errcode === 0) resolve(answer);
        else reject(new Error(`${route}: ${text}`));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });

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

if (!(await list()).has(name)) await call('createfunction', { env, function_name: name });
while ((await list()).get(name) !== 'Active') {
  await new Promise((resolve) => setTimeout(resolve, Number(input('retry-delay-ms'))));
}
agent.destroy();
