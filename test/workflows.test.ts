// Every workflow in the repository, and action.yml, is checked against GitHub's own schema (the
// parser behind the Actions editor support), then against this action: the inputs each step
// passes and the outputs it reads must exist in action.yml. A typo in YAML fails here, not on
// a user's release day.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow,
} from '@actions/workflow-parser';
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type Step as DocsStep,
  findSteps,
  isOursOrLocal,
  ROOT,
  repository,
  type Workflow,
  yamlBlocks,
} from '../scripts/docs.js';

const ACTION_REF = `${repository()}@v1`;

/** How many kinds of credentials a step's inputs give: a token, an app's pair, or keys. */
function credentials(given: string[]): number {
  const pairs = [
    ['access-token'],
    ['app-id', 'app-secret'],
    ['tencentcloud-secret-id', 'tencentcloud-secret-key'],
    ['tencentcloud-role-arn', 'tencentcloud-oidc-provider-id'],
  ];
  return pairs.filter((pair) => pair.every((name) => given.includes(name))).length;
}

const read = (path: string) => ({ name: path, content: readFileSync(join(ROOT, path), 'utf8') });

function yamlFiles(dir: string): string[] {
  if (!existsSync(join(ROOT, dir))) return [];
  return readdirSync(join(ROOT, dir))
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => `${dir}/${name}`);
}

const examples = yamlFiles('examples');
const ownWorkflows = yamlFiles('.github/workflows');
const workflows = [...examples, ...ownWorkflows];

/** Schema errors of a workflow, then the errors of turning it into jobs and steps. */
async function workflowErrors(file: { name: string; content: string }): Promise<string[]> {
  const { context, value } = parseWorkflow(file, new NoOperationTraceWriter());
  const errors = context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || value === undefined) return errors.length > 0 ? errors : ['no value'];
  const template = await convertWorkflowTemplate(context, value);
  // The converter reports some errors both in the context and in the template.
  return [
    ...new Set([
      ...context.errors.getErrors().map((e) => e.message),
      ...(template.errors ?? []).map((e) => e.Message),
    ]),
  ];
}

function actionErrors(file: { name: string; content: string }): string[] {
  const { context } = parseAction(file, new NoOperationTraceWriter());
  return context.errors.getErrors().map((e) => e.message);
}

interface ActionYaml {
  inputs: Record<string, { required?: boolean }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
}

/** A step as scripts/docs.ts reads it, and what else these tests read of it. */
interface Step extends DocsStep {
  id?: string;
  if?: string;
  run?: string;
}

interface Job {
  'timeout-minutes'?: number;
  'runs-on'?: string;
  permissions?: unknown;
  needs?: string | string[];
  strategy?: { matrix?: Record<string, unknown> };
  steps?: Step[];
}

interface WorkflowYaml extends Workflow {
  on?: unknown;
  permissions?: unknown;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

const action = parse(read('action.yml').content) as ActionYaml;

describe('the parser', () => {
  it('rejects a workflow that is not YAML', async () => {
    const errors = await workflowErrors({
      name: 'broken.yml',
      content: 'on: push\njobs:\n  a:\n    runs-on: [ubuntu-latest\n',
    });
    expect(errors.length).toBeGreaterThan(0);
  });

  it('rejects a plain scalar with a colon in it', async () => {
    const errors = await workflowErrors({
      name: 'colon.yml',
      content:
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "a: b"\n',
    });
    expect(errors.join('\n')).toMatch(/compact mappings/);
  });

  it('rejects a workflow with an unknown key or a missing one', async () => {
    const unknownKey = await workflowErrors({
      name: 'unknown-key.yml',
      content:
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: "true"\n',
    });
    expect(unknownKey.join('\n')).toMatch(/stepz/);
    const noRunsOn = await workflowErrors({
      name: 'no-runs-on.yml',
      content: 'on: push\njobs:\n  a:\n    steps:\n      - run: "true"\n',
    });
    expect(noRunsOn.join('\n')).toMatch(/Required property is missing: runs-on/);
  });

  it('rejects a job that needs a job that does not exist', async () => {
    const errors = await workflowErrors({
      name: 'needs.yml',
      content: [
        'on: push',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: "true"',
        '  b:',
        '    needs: missing-job',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: "true"',
      ].join('\n'),
    });
    expect(errors.join('\n')).toMatch(/unknown job 'missing-job'/);
  });

  it('rejects an expression that calls no known function', async () => {
    const errors = await workflowErrors({
      name: 'expression.yml',
      content:
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ fromJSN(github.event) }}\n',
    });
    expect(errors.join('\n')).toMatch(/Unrecognized function: 'fromJSN'/);
  });

  it('rejects an action.yml with an unknown runtime', () => {
    const broken = read('action.yml').content.replace('using: node24', 'using: node99');
    expect(actionErrors({ name: 'action.yml', content: broken }).length).toBeGreaterThan(0);
  });
});

describe('action.yml', () => {
  it('follows the action schema', () => {
    expect(actionErrors(read('action.yml'))).toEqual([]);
  });

  it('runs the committed bundle on Node 24', () => {
    const file = read('action.yml');
    const { context, value } = parseAction(file, new NoOperationTraceWriter());
    if (value === undefined) throw new Error('action.yml did not parse');
    const template = convertActionTemplate(context, value);
    expect(template.runs).toMatchObject({ using: 'node24', main: 'dist/index.js' });
    expect(existsSync(join(ROOT, 'dist', 'index.js'))).toBe(true);
  });
});

describe('workflows', () => {
  it('include the examples and the CI, release and CodeQL workflows', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
    expect(ownWorkflows).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        '.github/workflows/release.yml',
        '.github/workflows/codeql.yml',
      ]),
    );
  });

  describe.each(workflows)('%s', (path) => {
    const file = read(path);
    // Parsed when a test asks: a file that is not YAML fails the schema test, with the reason.
    const workflow = () => parse(file.content) as WorkflowYaml;
    const jobs = () => Object.entries(workflow().jobs);
    const ourSteps = () => jobs().flatMap(([, job]) => (job.steps ?? []).filter(isOursOrLocal));

    it('follows the workflow schema', async () => {
      expect(await workflowErrors(file)).toEqual([]);
    });

    it('gives every job a time limit', () => {
      for (const [id, job] of jobs()) expect(job['timeout-minutes'], id).toBeGreaterThan(0);
    });

    it('sets the token permissions', () => {
      expect(workflow().permissions).toBeDefined();
    });

    // An expression in a script is pasted into it before the shell runs it: a value with quotes
    // or `$(...)` in it becomes code. Values reach scripts through env: instead.
    it('puts no expression inside a run: script', () => {
      for (const [id, job] of jobs()) {
        for (const step of job.steps ?? []) {
          if (typeof step.run === 'string') expect(step.run, id).not.toContain('${{');
        }
      }
    });

    it('uses this action by its published name, or as ./ in CI', () => {
      for (const step of ourSteps()) {
        expect(step.uses).toBe(path.startsWith('examples/') ? ACTION_REF : './');
      }
    });

    it('passes only inputs that action.yml declares, and the required ones', () => {
      for (const step of ourSteps()) {
        const given = Object.keys(step.with ?? {});
        for (const name of given) expect(Object.keys(action.inputs), name).toContain(name);
        for (const [name, spec] of Object.entries(action.inputs)) {
          if (spec.required) expect(given, `${step.id}: ${name}`).toContain(name);
        }
        expect(credentials(given), `${step.id}: credentials`).toBe(1);
      }
    });

    it('reads only outputs that action.yml declares', () => {
      const ids = new Set(ourSteps().map((step) => step.id));
      for (const [, id, output] of file.content.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        if (ids.has(id)) expect(Object.keys(action.outputs), `${id}.${output}`).toContain(output);
      }
    });
  });
});

describe('.github/workflows', () => {
  it.each(ownWorkflows)('%s pins third-party actions to a commit, with the version', (path) => {
    const lines = read(path).content.split('\n');
    for (const line of lines.filter((l) => /^\s*(-\s+)?uses:/.test(l))) {
      const ref = line.replace(/^\s*(-\s+)?uses:\s*/, '');
      if (ref === './') continue;
      expect(ref, line).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  it('ci.yml cancels superseded runs of pull requests only, and reads nothing but contents', () => {
    const ci = parse(read('.github/workflows/ci.yml').content) as WorkflowYaml;
    expect(ci.permissions).toEqual({ contents: 'read' });
    expect(ci.concurrency).toMatchObject({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression
      'cancel-in-progress': "${{ github.event_name == 'pull_request' }}",
    });
  });

  it('ci.yml tests on Linux, Windows and macOS', () => {
    const ci = parse(read('.github/workflows/ci.yml').content) as WorkflowYaml;
    expect(ci.jobs.check.strategy?.matrix?.os).toEqual([
      'ubuntu-latest',
      'windows-latest',
      'macos-latest',
    ]);
    expect(ci.jobs.check.steps?.map((step) => step.run)).toContain('npm test');
  });

  it('ci.yml uploads the rebuilt dist/ when it differs from the committed one', () => {
    const ci = parse(read('.github/workflows/ci.yml').content) as WorkflowYaml;
    const steps = ci.jobs.dist.steps ?? [];
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.if).toBe("failure() && steps.compare.outcome == 'failure'");
    expect(upload?.with).toMatchObject({ path: 'dist/' });
    expect(steps.map((step) => step.id)).toContain('compare');
  });

  it('release.yml checks dist/ and moves the major tag, the only job that writes', () => {
    const release = parse(read('.github/workflows/release.yml').content) as WorkflowYaml;
    expect(release.on).toEqual({ release: { types: ['published'] } });
    expect(release.permissions).toEqual({});
    expect(release.jobs.dist.permissions).toEqual({ contents: 'read' });
    expect(release.jobs['major-tag'].permissions).toEqual({ contents: 'write' });
    expect(release.jobs['major-tag'].needs).toBe('dist');
    // The writing job runs nothing from npm.
    const scripts = (release.jobs['major-tag'].steps ?? []).map((step) => step.run ?? '');
    expect(scripts.join('\n')).not.toMatch(/\bnpm\b/);
    expect((release.jobs.dist.steps ?? []).map((step) => step.run)).toEqual(
      expect.arrayContaining(['npm ci', 'npm run build']),
    );
  });

  it('.node-version is the Node version that action.yml runs on', () => {
    const version = readFileSync(join(ROOT, '.node-version'), 'utf8').trim();
    expect(`node${version}`).toBe(action.runs.using);
  });
});

describe('README.md', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = yamlBlocks(readme);

  /** Every `run:` script in a YAML value, however deep. */
  function scripts(value: unknown): string[] {
    if (Array.isArray(value)) return value.flatMap(scripts);
    if (value === null || typeof value !== 'object') return [];
    return Object.entries(value).flatMap(([key, inner]) =>
      key === 'run' && typeof inner === 'string' ? [inner] : scripts(inner),
    );
  }

  it('has workflow snippets that are YAML', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const block of blocks) expect(() => parse(block), block).not.toThrow();
  });

  it('puts no expression inside a run: script', () => {
    const all = blocks.flatMap((block) => scripts(parse(block)));
    expect(all.length).toBeGreaterThan(0);
    for (const script of all) expect(script).not.toContain('${{');
  });

  it('uses this action with one kind of credentials, as declared', () => {
    const steps = blocks
      .map((block) => parse(block) as unknown)
      .flatMap((doc) => findSteps(doc))
      // `./` too: the README must name the action as users name it.
      .filter(isOursOrLocal);
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      expect(step.uses).toBe(ACTION_REF);
      const given = Object.keys(step.with ?? {});
      for (const name of given) expect(Object.keys(action.inputs), name).toContain(name);
      expect(credentials(given), JSON.stringify(step.with)).toBe(1);
    }
  });

  // The action uses no GITHUB_TOKEN permissions: a workflow that shows it grants nothing for it,
  // and nothing that writes. Other steps may need to read (a checkout of a private repository).
  // `id-token: write` writes nothing but lets a step ask for the job's OIDC token: allowed only
  // where a step of ours assumes a role with it.
  it('grants no write permission in the workflows it shows, nor in the examples', () => {
    const shown = blocks
      .map((block) => parse(block) as WorkflowYaml | null)
      .filter((doc) => doc !== null && typeof doc === 'object' && 'jobs' in doc);
    expect(shown.length).toBeGreaterThan(0);
    const all = [
      ...shown.map((doc, i) => [`README workflow ${i + 1}`, doc] as const),
      ...examples.map((path) => [path, parse(read(path).content) as WorkflowYaml] as const),
    ];
    for (const [name, doc] of all) {
      expect(doc?.permissions, name).toBeDefined();
      const jobs = Object.values(doc?.jobs ?? {});
      const assumes = jobs.some((job) =>
        (job.steps ?? []).some(
          (step) => isOursOrLocal(step) && step.with?.['tencentcloud-role-arn'],
        ),
      );
      const granted = [doc?.permissions, ...jobs.map((j) => j.permissions)];
      const text = JSON.stringify(granted);
      expect(assumes ? text.replaceAll('"id-token":"write"', '') : text, name).not.toMatch(/write/);
    }
  });
});

describe("the workflows a user copies: the README's and the examples", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const copied = [
    ...yamlBlocks(readme)
      .map((block) => parse(block) as WorkflowYaml | null)
      .filter((doc) => doc !== null && typeof doc === 'object' && 'jobs' in doc)
      .map((doc, i) => [`README workflow ${i + 1}`, doc as WorkflowYaml] as const),
    ...examples.map((path) => [path, parse(read(path).content) as WorkflowYaml] as const),
  ];
  const jobsOf = (doc: WorkflowYaml) => Object.entries(doc.jobs ?? {});
  type EnvStep = Step & { env?: Record<string, unknown> };

  it("are there: the README's first workflow and every example", () => {
    expect(copied[0][0]).toBe('README workflow 1');
    expect(copied.length).toBe(1 + examples.length);
  });

  // `permissions: {}` takes `contents: read` away too: a checkout of a private repository fails.
  it.each(copied)('%s: lets a checkout read the repository', (_name, doc) => {
    for (const [id, job] of jobsOf(doc)) {
      if (!(job.steps ?? []).some((step) => step.uses?.startsWith('actions/checkout@'))) continue;
      const granted = (job.permissions ?? doc.permissions) as Record<string, string> | undefined;
      expect(granted?.contents, id).toBe('read');
    }
  });

  // Most accounts take WeChat's calls only from the API IP allow list (40164), and GitHub's own
  // runners change address: a step with a WeChat credential goes through a proxy, or the job
  // says it runs on a self-hosted runner.
  it.each(copied)('%s: reaches WeChat from an address on the allow list', (_name, doc) => {
    for (const [id, job] of jobsOf(doc)) {
      const env = (job as { env?: Record<string, unknown> }).env ?? {};
      for (const step of (job.steps ?? []) as EnvStep[]) {
        if (!isOursOrLocal(step)) continue;
        const given = Object.keys(step.with ?? {});
        if (!given.includes('access-token') && !given.includes('app-secret')) continue;
        const proxied = 'https_proxy' in { ...env, ...(step.env ?? {}) };
        const selfHosted = JSON.stringify(job['runs-on'] ?? '').includes('self-hosted');
        expect(proxied || selfHosted, `${id}: https_proxy or a self-hosted runner`).toBe(true);
      }
    }
  });

  it.each(copied)('%s: a token step fails, saying so, on an empty token', (_name, doc) => {
    for (const [id, job] of jobsOf(doc)) {
      for (const step of job.steps ?? []) {
        if (!step.run?.includes('token=$token')) continue;
        expect(step.run, id).toMatch(/\[ -z "\$token" \]|\[ -n "\$token" \] \|\|/);
        expect(step.run, id).toMatch(/echo "::error::[^"]+"/);
        expect(step.run, id).toMatch(/exit 1/);
        // The mask comes before the output, and only for a token that is there.
        expect(step.run.indexOf('::add-mask::'), id).toBeGreaterThan(step.run.indexOf('exit 1'));
      }
    }
  });
});

describe('.github/ISSUE_TEMPLATE', () => {
  interface IssueForm {
    name: string;
    description: string;
    body: { type: string; id?: string }[];
  }
  const form = (name: string) => parse(read(`.github/ISSUE_TEMPLATE/${name}`).content) as IssueForm;

  it('bug_report.yml asks for the version, the runner, errcode, errmsg and the log', () => {
    const bug = form('bug_report.yml');
    expect(bug.name).toBeTruthy();
    expect(bug.description).toBeTruthy();
    expect(bug.body.map((field) => field.id)).toEqual(
      expect.arrayContaining(['version', 'runner', 'errcode', 'errmsg', 'log']),
    );
  });

  it('feature_request.yml and config.yml parse', () => {
    expect(form('feature_request.yml').body.length).toBeGreaterThan(0);
    const config = parse(read('.github/ISSUE_TEMPLATE/config.yml').content) as {
      blank_issues_enabled: boolean;
      contact_links: { url: string }[];
    };
    expect(config.contact_links.map((link) => link.url).join(' ')).toMatch(/security\/advisories/);
  });
});

describe('.github/dependabot.yml', () => {
  it('updates npm packages and actions weekly, grouped', () => {
    const config = parse(read('.github/dependabot.yml').content) as {
      version: number;
      updates: { 'package-ecosystem': string; schedule: { interval: string }; groups?: object }[];
    };
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => u['package-ecosystem']).sort()).toEqual([
      'github-actions',
      'npm',
    ]);
    for (const update of config.updates) {
      expect(update.schedule.interval).toBe('weekly');
      expect(Object.keys(update.groups ?? {}).length).toBeGreaterThan(0);
    }
  });
});
