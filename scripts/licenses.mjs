// Writes dist/licenses.txt: the license of every package bundled into dist/, found through the
// source maps. (ncc's own --license file keeps only the last chunk it writes.)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;
const root = new URL('..', import.meta.url).pathname;

const packageDirs = new Set();
for (const map of readdirSync(dist).filter((name) => name.endsWith('.js.map'))) {
  for (const source of JSON.parse(readFileSync(join(dist, map), 'utf8')).sources) {
    const match = /^(?:\.\.?\/)+(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(source);
    if (match) packageDirs.add(match[1]);
  }
}

const entries = [...packageDirs].sort().map((dir) => {
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  const file = readdirSync(join(root, dir)).find((name) => /^licen[cs]e/i.test(name));
  const text = file ? readFileSync(join(root, dir, file), 'utf8').trim() : '';
  return `${pkg.name}@${pkg.version}\n${pkg.license ?? 'UNKNOWN'}\n${text}`;
});
writeFileSync(join(dist, 'licenses.txt'), `${entries.join('\n\n')}\n`);
