// The floor of the `deploy` case: the WeChat calls and the work the action does to create new
// functions and deploy their code, with node:http over a keep-alive agent, and nothing else: the
// list, one createfunction POST per missing function (`parallel` in flight), the list until they
// are Active (code cannot be sent to a function being created), getcodesecret once, then for
// each function (`parallel` at a time) its folder zipped, the upload body built and hashed,
// getuploadsignature, the body POSTed to the signed host with the signed headers; then the list
// until every function shows the change (a new state or mod_time) and is Active again. It reads
// the same INPUT_* variables the runner gives the action, so both send the same requests.
// The zip is fflate's zipSync at level 6, as the action makes it; the folders hold files only
// (no subfolders, nothing to leave out), so the floor reads them without walking or filtering.
import { zipSync } from 'fflate';
import {
  agent,
  call,
  createMissing,
  each,
  env,
  input,
  isActive,
  listUntil,
  names,
  post,
} from './floor-wechat.mjs';

const { createHash } = process.getBuiltinModule('node:crypto');
const { readdirSync, readFileSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

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
    Namespace: env,
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

await createMissing();
const before = await listUntil(isActive);
await each(names, deploy);
// mod_time counts seconds: an upload in the second of the create shows only by its state.
const changed = new Set();
await listUntil((fn, name) => {
  const was = before.get(name);
  if (fn && (fn.status !== was.status || fn.mod_time !== was.mod_time)) changed.add(name);
  return changed.has(name) && isActive(fn);
});
agent.destroy();
