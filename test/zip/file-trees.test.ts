// Function folders as people have them, through dist/index.js as the runner starts it, against
// the stand-in, which reads every zip as strictly as the cloud: links inside the repository,
// a shared ignore file, a pnpm tree, odd names, a checkout git refuses. Links need a system that
// makes them freely.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { zipFunction } from '../../src/zip/code-zip.js';
import { type RunResult, runAction } from '../../stand-in/runner.js';
import { type StandIn, startStandIn } from '../../stand-in/server.js';
import { readZip } from '../../stand-in/zip-reader.js';
import { temporaryFolder, writeTree } from '../support/folders.js';
import { results } from '../support/leaks.js';
import { ENV, withToken } from '../support/steps.js';
import {
  canChown,
  centralDirectory,
  gitIndex,
  listedModes,
  refusedBy,
} from '../support/zip-fixtures.js';

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

async function deploy(
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<RunResult> {
  const result = await runAction({
    inputs: withToken(standIn, { 'code-dir': functions(), ...inputs }),
    env: { GITHUB_WORKSPACE: repo.path, ...env },
  });
  expect(result.stderr).toBe('');
  return result;
}

const uploaded = (name = 'login') => standIn.code(ENV, name) ?? Buffer.alloc(0);
const names = (name = 'login') => readZip(uploaded(name)).names;
/** The warnings of a run about the modes of its files. */
const modeWarnings = (result: RunResult) =>
  result.stdout.split('\n').filter((line) => /^::warning.*modes/.test(line));

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

  it('never upload .git: a link into it fails its function, one in a linked folder is left out', async () => {
    // Where actions/checkout keeps its token, by default.
    const token = 'AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA==';
    write('.git/HEAD', 'ref: refs/heads/main\n');
    write('.git/config', `[http "https://github.com/"]\n\textraheader = ${token}\n`);
    link('cloudfunctions/login/repository', '../../.git');
    write('cloudfunctions/ship/index.js', 'exports.main = async () => 2;\n');
    link('cloudfunctions/ship/lib/deep/settings.ini', '../../../../.git/config');
    // A folder holding a repository of its own, linked; a submodule's `.git` file; a `.GIT`.
    write('vendor/tool/util.js', 'u');
    write('vendor/tool/.git/config', token);
    write('cloudfunctions/pay/index.js', 'exports.main = async () => 3;\n');
    link('cloudfunctions/pay/tool', '../../vendor/tool');
    write('cloudfunctions/pay/sub/a.js', 'a');
    write('cloudfunctions/pay/sub/.git', 'gitdir: ../../../.git/modules/sub\n');
    write('cloudfunctions/pay/.GIT/config', token);
    const result = await deploy({ 'function-name': 'login\nship\npay' });
    expect(result.code).toBe(1);
    const [login, ship, pay] = results(result);
    const gitFolder = /, inside a \.git folder, which is never uploaded\.$/;
    expect(login).toMatchObject({ status: 'failed', code: 'failed' });
    expect(login.errmsg).toMatch(/: the link repository leads to \/.*\/\.git, inside/);
    expect(login.errmsg).toMatch(gitFolder);
    expect(ship.errmsg).toMatch(
      /: the link lib\/deep\/settings\.ini leads to \/.*\/\.git\/config,/,
    );
    expect(ship.errmsg).toMatch(gitFolder);
    expect(pay).toMatchObject({ status: 'created', code: 'deployed' });
    expect(names('pay')).toEqual(['index.js', 'sub/a.js', 'tool/util.js']);
    expect(standIn.functions(ENV)).toEqual(['pay']);
    expect(JSON.stringify(standIn.requests)).not.toContain('extraheader');
  });
});

describe.skipIf(!canChown)('a checkout that belongs to another user, which git refuses', () => {
  const elsewhere = temporaryFolder();
  beforeEach(() => {
    write('cloudfunctions/login/bin/run.sh', '#!/bin/sh\n');
    write('cloudfunctions/login/lib/data.txt', 'd');
    gitIndex(repo.path, ['cloudfunctions/login/bin/run.sh']);
  });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.path });
  const modes = (name = 'login') =>
    Object.fromEntries(centralDirectory(uploaded(name)).map((e) => [e.name, e.mode.toString(8)]));

  it('is zipped with the modes and the hash a trusted git gives, from an index of version 4', async () => {
    git('update-index', '--index-version', '4');
    const trusted = listedModes(repo.path);
    const expected = await zipFunction(join(functions(), 'login'), {
      installDependencies: true,
      root: repo.path,
    });
    const result = await deploy({}, refusedBy(repo.path, elsewhere.path));
    expect(result.code).toBe(0);
    expect(modeWarnings(result)).toEqual([]);
    expect(modes()).toEqual({
      'bin/run.sh': trusted['cloudfunctions/login/bin/run.sh'],
      'index.js': trusted['cloudfunctions/login/index.js'],
      'lib/data.txt': trusted['cloudfunctions/login/lib/data.txt'],
    });
    expect(modes()['bin/run.sh']).toBe('100755');
    expect(uploaded().equals(expected.zip)).toBe(true);
    expect(results(result)[0].code_sha256).toBe(expected.sha256);
  });

  it('with an index only git reads (split), warns once for all its functions, naming the fix', async () => {
    write('cloudfunctions/pay/index.js', 'exports.main = async () => 3;\n');
    git('add', '--all');
    git('update-index', '--split-index');
    const result = await deploy(
      { 'function-name': 'login\npay' },
      refusedBy(repo.path, elsewhere.path),
    );
    expect(result.code).toBe(0);
    expect(modes()['bin/run.sh']).toBe('100644');
    const [warning, ...more] = modeWarnings(result);
    expect(more).toEqual([]);
    expect(warning).toContain(
      `The modes of the files in ${repo.path} are unknown: its index is a split index`,
    );
    expect(warning).toContain(
      `run \`git config --global --add safe.directory ${repo.path}\` first.`,
    );
  });
});

it('fails a function whose .wechatignore has a line too costly to match, naming it, before sending anything for it', async () => {
  write('cloudfunctions/login/.wechatignore', `# output\n*.log\n${'a/**/'.repeat(12)}q\n`);
  write(`cloudfunctions/login/${'a/'.repeat(36)}x.js`);
  const result = await deploy();
  expect(result.code).toBe(1);
  const [login] = results(result);
  expect(login).toMatchObject({ status: 'failed', code: 'failed' });
  expect(login.errmsg).toBe(
    `code: Function folder ${join(functions(), 'login')}: line 3 of its .wechatignore has 12 \`**\` segments, more than 3: the time to match it grows as the folders' depth to that power.`,
  );
  // The run lists, as it does for any folder that fails; nothing of this function is sent.
  expect(standIn.requests.map((r) => r.route)).toEqual(['listfunctions']);
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
