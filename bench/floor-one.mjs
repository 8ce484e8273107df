// The floor of the "one" case: one createfunction POST with node:http, nothing else. It reads the
// same INPUT_* variables the runner gives the action, so both send the same request.
// getBuiltinModule, as a bundle's require() does: on Node 24, `import 'node:http'` reads every
// export, and its WebSocket getter loads undici (~25 ms the bundled action does not pay).
const { request } = process.getBuiltinModule('node:http');

const input = (name) => process.env[`INPUT_${name.toUpperCase()}`] ?? '';
const token = encodeURIComponent(input('access-token'));
const url = `${input('api-base-url')}/tcb/createfunction?access_token=${token}`;
const body = JSON.stringify({ env: input('env'), function_name: input('function-name').trim() });

const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
const req = request(url, { method: 'POST', headers });
req.on('response', (res) => {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk) => {
    text += chunk;
  });
  res.on('end', () => {
    if (JSON.parse(text).errcode !== 0) process.exitCode = 1;
  });
});
req.on('error', () => {
  process.exitCode = 1;
});
req.end(body);
