// ncc minifies the bundle's entry alone: the chunks it splits off (the run, @actions/github, the
// zip) come out as webpack writes them, comments and all, and each module wrapped in parentheses,
// which V8 compiles at once rather than when called. Each gets the entry's treatment here:
// terser with ncc's own options, its source map carried through when there is one.
// `node scripts/minify-chunks.mjs [folder]`, dist/ by default.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { minify } from 'terser';

const dir = resolve(process.argv[2] ?? new URL('../dist/', import.meta.url).pathname);

for (const name of readdirSync(dir).filter((file) => /^\d+\.index\.js$/.test(file))) {
  const file = join(dir, name);
  const map = existsSync(`${file}.map`) ? readFileSync(`${file}.map`, 'utf8') : undefined;
  const result = await minify(readFileSync(file, 'utf8'), {
    module: true,
    compress: false,
    mangle: { keep_classnames: true, keep_fnames: true },
    sourceMap: map && { content: map, url: `${name}.map`, includeSources: true },
  });
  writeFileSync(file, result.code);
  if (map) writeFileSync(`${file}.map`, result.map);
}
