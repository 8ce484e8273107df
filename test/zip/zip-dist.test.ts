// The bundle deflates on its workers too: dist/index.js, run as the runner runs it from another
// folder, zips a folder large enough for the pool, and the stand-in gets the very bytes that the
// sources make. (Run `npm run build` first.)
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zipFunction } from '../../src/zip/code-zip.js';
import { runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { readZip } from '../../stand-in/zip-reader.js';
import { temporaryFolder, writeTree } from '../support/folders.js';
import { results } from '../support/leaks.js';
import { ENV, withToken } from '../support/steps.js';
import { codeLike, noise } from '../support/zip-fixtures.js';

const tmp = temporaryFolder();
let standIn: StandIn;
beforeEach(async () => {
  standIn = await startStandIn();
});
afterEach(() => standIn.close());

describe('dist/index.js', () => {
  it('zips a large function on its workers, to the bytes the sources make, quietly', async () => {
    const code = join(tmp.path, 'cloudfunctions');
    const folder = writeTree(join(code, 'big'), {
      'index.js': 'exports.main = async () => "big";\n',
      'package.json': '{"dependencies":{}}\n',
      'lib/bundle.js': codeLike(3_500_000, 5),
      'lib/data.bin': noise(300_000, 6),
      ...Object.fromEntries(
        Array.from({ length: 60 }, (_, i) => [`lib/part${i}.js`, codeLike(2000 + i, i)]),
      ),
    });
    const result = await runAction({
      inputs: withToken(standIn, { 'function-name': 'big', 'code-dir': code }),
      // As the runner sets it: the checkout, which holds the functions.
      env: { GITHUB_WORKSPACE: tmp.path },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const uploaded = standIn.code(ENV, 'big') as Buffer;
    const expected = await zipFunction(folder, { installDependencies: true, root: tmp.path });
    expect(uploaded.equals(expected.zip)).toBe(true);
    const [deployed] = results(result);
    expect(deployed).toMatchObject({
      code: 'deployed',
      code_sha256: createHash('sha256').update(uploaded).digest('hex'),
    });
    expect(readZip(uploaded).read('lib/bundle.js').equals(codeLike(3_500_000, 5))).toBe(true);
  });
});
