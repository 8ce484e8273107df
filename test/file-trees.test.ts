// Function folders as people have them, through dist/index.js as the runner starts it, against
// the stand-in, which reads every zip as strictly as the cloud: links inside the repository,
// a shared ignore file, a pnpm tree, odd names. Links need a system that makes them freely.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { type RunResult, runAction } from '../stand-in/runner.js';
import { type StandIn, startStandIn } from '../stand-in/server.js';
import { readZip } from '../stand-in/zip-reader.js';
import { temporaryFolder, writeTree } from './folders.js';
import { results } from './leaks.js';
import { ENV, withToken } from './steps.js';

const links = process.platform !== 'win32';
let standIn: StandIn;
/** The repository: GITHUB_WORKSPACE of the runs. */
const repo = temporaryFolder();
const functions = () => join(repo.path, 'cloudfunctions');

beforeEach(async () => {
  standIn = await startStandIn();
  write('cloudfunctions/login/index.js', 'exports.main = async () => 1;\n');
});
afterEach(() => standIn.close());

function write(path: string, text: string | Buffer = 'x'): void {
  writeTree(repo.path, { [path]: text });
}

function link(path: string, target: string): void {
  mkdirSync(join(repo.path, path, '..'), { recursive: true });
  symlinkSync(target, join(repo.path, path));
}

async function deploy(inputs: Record<string, string> = {}): Promise<RunResult> {
  const result = await runAction({
    inputs: withToken(standIn, { 'code-dir': functions(), ...inputs }),
    env: { GITHUB_WORKSPACE: repo.path },
  });
  expect(result.stderr).toBe('');
  return result;
}

const names = () => readZip(standIn.code(ENV, 'login') ?? Buffer.alloc(0)).names;

it('stores a root file named __proto__ as itself', async () => {
  write('cloudfunctions/login/__proto__', 'p');
  write('cloudfunctions/login/constructor', 'c');
  const result = await deploy();
  expect(result.code).toBe(0);
  expect(names()).toEqual(['__proto__', 'constructor', 'index.js']);
});

describe.skipIf(!links)('links', () => {
  it('follows a .wechatignore that is a link to a shared ignore file', async () => {
    write('.shared/wechatignore', 'secret.env\n');
    write('cloudfunctions/login/secret.env', 'TOKEN=x');
    link('cloudfunctions/login/.wechatignore', '../../.shared/wechatignore');
    const result = await deploy();
    expect(result.code).toBe(0);
    expect(names()).toEqual(['index.js']);
  });

  it('follows links to folders inside the repository, a pnpm tree among them', async () => {
    write('cloudfunctions/login/src/util.js');
    link('cloudfunctions/login/lib', 'src');
    write('common/shared.js');
    link('cloudfunctions/login/common', '../../common');
    write('cloudfunctions/login/node_modules/.pnpm/dep@1.0.0/node_modules/dep/index.js');
    link('cloudfunctions/login/node_modules/dep', '.pnpm/dep@1.0.0/node_modules/dep');
    const result = await deploy({ 'install-dependencies': 'false' });
    expect(result.code).toBe(0);
    expect(names()).toEqual(
      expect.arrayContaining([
        'common/shared.js',
        'lib/util.js',
        'node_modules/dep/index.js',
        'src/util.js',
      ]),
    );
    expect(results(result)[0]).toMatchObject({ code: 'deployed' });
  });

  it('deploys a function folder that is itself a link inside the repository', async () => {
    write('shared/login/index.js', 'exports.main = async () => 2;\n');
    write('cloudfunctions/pay/index.js', 'exports.main = async () => 3;\n');
    link('cloudfunctions/other', '../shared/login');
    const result = await deploy({ 'function-name': 'other' });
    expect(result.code).toBe(0);
    expect(standIn.code(ENV, 'other')).toBeDefined();
  });

  it('fails the function, naming the link, when it leads outside the repository', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'outside-'));
    onTestFinished(() => rmSync(outside, { recursive: true, force: true }));
    writeFileSync(join(outside, 'data.js'), 'x');
    link('cloudfunctions/login/data.js', join(outside, 'data.js'));
    write('cloudfunctions/pay/index.js', 'exports.main = async () => 3;\n');
    const result = await deploy({ 'function-name': 'login\npay' });
    expect(result.code).toBe(1);
    const [login, pay] = results(result);
    expect(login).toMatchObject({ status: 'failed', code: 'failed' });
    expect(login.errmsg).toMatch(/the link data\.js leads to .*, outside the repository\.$/);
    // Failed alone, and never created without its code.
    expect(pay).toMatchObject({ status: 'created', code: 'deployed' });
    expect(standIn.functions(ENV)).toEqual(['pay']);
  });
});

it.skipIf(process.platform !== 'linux')(
  'names a file whose name is not UTF-8, its bytes escaped',
  async () => {
    const name = Buffer.concat([
      Buffer.from('bad-'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('.js'),
    ]);
    writeFileSync(Buffer.concat([Buffer.from(`${functions()}/login/`), name]), 'x');
    const result = await deploy();
    expect(result.code).toBe(1);
    expect(result.outputs.errmsg).toMatch(/bad-\\xff\\xfe\.js/);
    expect(result.outputs.errmsg).not.toMatch(/ENOENT/);
  },
);
