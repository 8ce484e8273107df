// The docs say what the code says: their generated parts are what `npm run docs` writes, their
// links lead somewhere, their workflows fit their time limits, and action.yml can be published.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  expected,
  findSteps,
  generate,
  isOurs,
  jobDurations,
  ROOT,
  repository,
  type Workflow,
  yamlBlocks,
} from '../scripts/docs.js';
import { DEFAULTS } from '../src/inputs/inputs.js';

interface ActionYaml {
  description: string;
  author?: string;
  inputs: Record<string, { required?: boolean; default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
  runs: unknown;
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const action = parse(read('action.yml')) as ActionYaml;
const readme = read('README.md');
const within = (dir: string, ending: string) =>
  readdirSync(join(ROOT, dir))
    .filter((name) => name.endsWith(ending))
    .map((name) => `${dir}/${name}`);
const docs = within('docs', '.md');
const examples = within('examples', '.yml');

/** The ```yaml blocks of a Markdown text, parsed. */
const parsedBlocks = (text: string): unknown[] => yamlBlocks(text).map((block) => parse(block));

describe('the generated parts', () => {
  it('are what `npm run docs` writes, in every file it writes', () => {
    const files = expected();
    expect([...files.keys()]).toEqual(
      expect.arrayContaining(['README.md', 'SECURITY.md', ...docs, ...examples]),
    );
    for (const [path, text] of files) expect(read(path), `${path}: run npm run docs`).toBe(text);
  });

  it('are there: every input and output in the README, every errcode, state and error in docs/', () => {
    for (const name of Object.keys(action.inputs)) expect(readme).toContain(`| \`${name}\` |`);
    for (const name of Object.keys(action.outputs)) expect(readme).toContain(`| \`${name}\` |`);
    for (const code of ['-501000', '40014', '48001', '85088']) {
      expect(read('docs/errors.md')).toContain(`| \`${code}\` |`);
    }
    expect(read('docs/errors.md')).toContain('| `AuthFailure.SignatureExpire` |');
    expect(read('docs/errors.md')).toContain('| `AuthFailure.SecretIdNotFound` |');
    expect(read('docs/behaviour.md')).toContain('| `CreateFailed` |');
    expect(read('docs/durations.md')).toContain('| [third-party-platform.yml]');
  });

  it('bring a stale table and a stale repository name up to date', () => {
    const stale = readme
      .replace(/^\| `parallel` \|.*\n/m, '')
      .replace(`uses: ${repository()}@v1`, 'uses: someone/wechat-cloud-function-action@v1');
    expect(stale).not.toBe(readme);
    expect(generate('README.md', stale)).toBe(readme);
  });

  it('fail on a marker that names no part, or has no end', () => {
    const text = '<!-- generated: no-such-part -->\n<!-- /generated -->\n';
    expect(() => generate('README.md', text)).toThrow(/no-such-part/);
    expect(() => generate('README.md', '<!-- generated: inputs -->\n| a |\n')).toThrow(/no `/);
  });
});

describe('the README', () => {
  const lines = readme.split('\n');

  it('is short enough to read once', () => {
    expect(lines.length).toBeLessThanOrEqual(260);
  });

  it('holds a complete step of the action, and the token it takes, in its first 40 lines', () => {
    const at = lines.findIndex((line) => line.trim() === `- uses: ${repository()}@v1`);
    expect(at).toBeGreaterThanOrEqual(0);
    const indent = lines[at].indexOf('-');
    let end = at + 1;
    while (lines[end].startsWith(' '.repeat(indent + 1))) end++;
    expect(end, 'the last line of the step').toBeLessThanOrEqual(40);
    const [step] = findSteps(parse(lines.slice(at, end).join('\n')));
    expect(Object.keys(step.with ?? {})).toEqual(
      expect.arrayContaining(['env', 'function-name', 'access-token']),
    );
    expect(lines.slice(0, 40).join('\n')).toContain('authorizer_access_token');
  });

  it('says that the action is not released, and that nobody ran it live, on its first screen', () => {
    const first = lines.slice(0, 50).join('\n');
    expect(first).toContain('**Not released yet.**');
    expect(first).toMatch(/Nobody has run this action end to end/);
  });

  it('links an example for each kind of credentials', () => {
    const given = examples
      .flatMap((path) => findSteps(parse(read(path))))
      .filter(isOurs)
      .map((step) => step.with ?? {});
    expect(given.some((w) => 'access-token' in w)).toBe(true);
    expect(given.some((w) => 'app-secret' in w && w.api === 'tencentcloud')).toBe(true);
    expect(given.some((w) => 'tencentcloud-secret-id' in w)).toBe(true);
    const table = readme.split('## Which credentials?')[1]?.split('\n## ')[0] ?? '';
    for (const name of ['third-party-platform', 'app-secret', 'tencentcloud-keys']) {
      expect(table).toContain(`(examples/${name}.yml)`);
    }
  });
});

describe('trying it offline', () => {
  const section = readme.split('## Try it offline')[1]?.split('\n## ')[0] ?? '';
  const commands = (text: string) =>
    [...text.matchAll(/^(?:node24 )?(npm [a-z]+)/gm)].map((m) => m[1]);

  it('is two commands in the README: npm ci && npm start, then npm test', () => {
    expect(section).toMatch(/^npm ci && npm start\b/m);
    expect(section).toMatch(/^npm test\b/m);
  });

  it('is what .ci/run runs first: npm ci, npm start, on Node 24, and the tests after', () => {
    const run = read('.ci/run');
    const ran = commands(run);
    expect(ran.slice(0, 2)).toEqual(['npm ci', 'npm start']);
    expect(ran).toContain('npm test');
    for (const line of run.split('\n').filter((l) => /^[^#\s]*npm /.test(l))) {
      expect(line).toMatch(/^node24 npm /);
    }
  });
});

describe('.env.example', () => {
  // A second line of an input, further down, silently wins over the one a person uncommented.
  it('names each input on one line only, set or commented out', () => {
    const names = [...read('.env.example').matchAll(/^#? ?(INPUT_[A-Z-]+)=/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });
});

describe('the docs', () => {
  /** GitHub's anchor of a heading. */
  const anchor = (heading: string) =>
    heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replaceAll(' ', '-');
  const anchors = (path: string) =>
    new Set([...read(path).matchAll(/^#+ (.+)$/gm)].map((m) => anchor(m[1])));

  it.each(['README.md', 'SECURITY.md', 'CONTRIBUTING.md', 'CHANGELOG.md', ...docs])(
    '%s: every relative link leads to a file, and a heading',
    (path) => {
      const prose = read(path).replace(/^```[\s\S]*?^```$/gm, '');
      const links = [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => m[1])
        .filter((link) => !/^[a-z]+:/.test(link));
      for (const link of links) {
        const [file, fragment] = link.split('#');
        const target = file === '' ? path : relative(ROOT, join(ROOT, dirname(path), file));
        expect(existsSync(join(ROOT, target)), link).toBe(true);
        if (fragment) expect(anchors(target), link).toContain(fragment);
      }
    },
  );

  it('name only declared inputs in their snippets', () => {
    const named = docs.flatMap((path) =>
      parsedBlocks(read(path))
        .flatMap((block) =>
          Array.isArray(block)
            ? findSteps(block)
                .filter(isOurs)
                .flatMap((step) => Object.keys(step.with ?? {}))
            : Object.keys(block ?? {}),
        )
        .map((name) => [path, name]),
    );
    expect(named.length).toBeGreaterThan(0);
    for (const [path, name] of named) {
      expect(Object.keys(action.inputs), `${path}: ${name}`).toContain(name);
    }
  });
});

describe('timeout-minutes', () => {
  const workflows: [string, Workflow][] = [
    ...examples.map((path) => [path, parse(read(path)) as Workflow] as [string, Workflow]),
    ...parsedBlocks(readme)
      .filter((block) => typeof block === 'object' && block !== null && 'jobs' in block)
      .map((block, i) => [`README workflow ${i + 1}`, block as Workflow] as [string, Workflow]),
  ];

  it.each(workflows)('%s: fits the worst case of the job', (_, workflow) => {
    const jobs = jobDurations(workflow);
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs)
      expect(job.timeoutMinutes, job.id).toBeGreaterThanOrEqual(job.neededMinutes);
  });
});

describe('the repository', () => {
  it('is named in package.json once, with the package name', () => {
    const pkg = JSON.parse(read('package.json')) as { name: string };
    expect(repository().split('/')[1]).toBe(pkg.name);
  });
});

describe('CONTRIBUTING.md', () => {
  // The layout goes folder by folder: a folder's row (`src/run/`) says its idea, and the rows
  // below it name its files (`deploy.ts`). A folder with no rows of files stands for them all.
  function layout(): string[] {
    const contributing = read('CONTRIBUTING.md');
    const table = contributing.slice(
      contributing.indexOf('## Layout'),
      contributing.indexOf('## Checks'),
    );
    const rows: string[] = [];
    let folder = '';
    for (const [, bold, path] of table.matchAll(/^\| (\*\*)?`([^`]+)`/gm)) {
      if (bold) folder = path;
      else if (path.includes('/')) folder = '';
      rows.push(bold || path.includes('/') ? path : `${folder}${path}`);
    }
    return rows;
  }

  function files(top: string): string[] {
    return readdirSync(join(ROOT, top), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).replaceAll('\\', '/'));
  }

  it('names every file of src/ and stand-in/, under its folder', () => {
    const rows = layout();
    const named = (file: string) => {
      const folder = `${dirname(file)}/`;
      const whole = rows.includes(folder) && !rows.some((row) => dirname(row) === dirname(file));
      return rows.includes(file) || whole;
    };
    const all = [...files('src'), ...files('stand-in')];
    expect(all.length).toBeGreaterThan(40);
    expect(all.filter((file) => !named(file))).toEqual([]);
  });

  it('names no file that is not there', () => {
    const gone = layout().filter((path) => !existsSync(join(ROOT, path)));
    expect(gone).toEqual([]);
  });
});

describe('action.yml', () => {
  // The Marketplace refuses to list an action whose description is not "less than 125
  // characters", and names the author on the listing.
  it('can be published on the Marketplace', () => {
    expect(action.description.length).toBeLessThan(125);
    expect(action.description.trim()).not.toBe('');
    expect(action.author?.trim() ?? '').not.toBe('');
  });

  it('has the defaults the code applies to empty inputs', () => {
    const defaults = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([, spec]) => spec.default !== undefined)
        .map(([name, spec]) => [name, spec.default]),
    );
    expect(defaults).toEqual(DEFAULTS);
  });

  it('runs dist/index.js on node24 and describes every input and output', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    for (const spec of [...Object.values(action.inputs), ...Object.values(action.outputs)]) {
      expect(spec.description.length).toBeGreaterThan(10);
    }
  });
});
