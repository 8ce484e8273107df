// What every floor does, with node:http over a keep-alive agent and nothing else: read the same
// INPUT_* variables the runner gives the action, POST to the API, list the functions page by
// page as the action reads them, create the missing ones with `parallel` in flight, and list
// until every function is as wanted. The floor scripts build on these, so floor and action send
// the same requests.
// getBuiltinModule, as a bundle's require() does: on Node 24, `import 'node:http'` reads every
// export, and its WebSocket getter loads undici (~25 ms the bundled action does not pay).
const { Agent, request } = process.getBuiltinModule('node:http');

export const input = (name) => process.env[`INPUT_${name.toUpperCase()}`] ?? '';
export const env = input('env');
export const names = input('function-name')
  .split('\n')
  .map((name) => name.trim())
  .filter(Boolean);
const query = `?access_token=${encodeURIComponent(input('access-token'))}`;
export const agent = new Agent({ keepAlive: true });
const PAGE = 20;

/** One POST; the answer's text. */
export const post = (url, body, headers) =>
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
export const call = async (route, payload) => {
  const url = `${input('api-base-url')}/tcb/${route}${query}`;
  const text = await post(url, JSON.stringify(payload), { 'Content-Type': 'application/json' });
  const answer = JSON.parse(text);
  if (answer.errcode !== 0) throw new Error(`${route}: ${text}`);
  return answer;
};

/**
 * Every function of the environment, name → as listed, page by page as the action reads them:
 * until a page comes back short or adds no name.
 */
const list = async () => {
  const functions = new Map();
  for (let offset = 0; ; ) {
    const page = await call('listfunctions', { env, limit: PAGE, offset });
    const before = functions.size;
    for (const fn of page.functions) functions.set(fn.name, fn);
    offset += page.functions.length;
    if (page.functions.length < PAGE || functions.size === before) return functions;
  }
};

/** Runs `fn` on every item, `parallel` at a time. */
export const each = async (items, fn) => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Number(input('parallel')) }, worker));
};

/** Lists, and creates what the list does not show. */
export const createMissing = async () => {
  const listed = await list();
  await each(
    names.filter((name) => !listed.has(name)),
    (name) => call('createfunction', { env, function_name: name }),
  );
};

/**
 * Lists until `ready(fn, name)` holds for every function, `retry-delay-ms` between two lists;
 * answers the last list.
 */
export const listUntil = async (ready) => {
  for (;;) {
    const functions = await list();
    // Every function is looked at, not only up to the first not ready: `ready` may keep state.
    if (names.map((name) => ready(functions.get(name), name)).every(Boolean)) return functions;
    await new Promise((resolve) => setTimeout(resolve, Number(input('retry-delay-ms'))));
  }
};

export const isActive = (fn) => fn?.status === 'Active';
