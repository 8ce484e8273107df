// The floor of the "many" case: one createfunction POST per line of `function-name` with
// node:http, `parallel` in flight at once over a keep-alive agent, nothing else. It reads the same
// INPUT_* variables the runner gives the action, so both send the same requests.
// getBuiltinModule, as a bundle's require() does: on Node 24, `import 'node:http'` reads every
// export, and its WebSocket getter loads undici (~25 ms the bundled action does not pay).
const { Agent, request } = process.getBuiltinModule('node:http');

const input = (name) => process.env[`INPUT_${name.toUpperCase()}`] ?? '';
const token = encodeURIComponent(input('access-token'));
const url = `${input('api-base-url')}/tcb/createfunction?access_token=${token}`;
const names = input('function-name')
  .split('\n')
  .map((name) => name.trim())
  .filter(Boolean);
const agent = new Agent({ keepAlive: true });

const create = (name) =>
  new Promise((resolve, reject) => {
    const body = JSON.stringify({ env: input('env'), function_name: name });
    const headers = {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
    };
    const req = request(url, { method: 'POST', headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve(JSON.parse(text).errcode));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });

let next = 0;
const worker = async () => {
  while (next < names.length) {
    if ((await create(names[next++])) !== 0) process.exitCode = 1;
  }
};
await Promise.all(Array.from({ length: Number(input('parallel')) }, worker));
agent.destroy();
