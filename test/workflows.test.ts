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

const ROOT = join(import.meta.dirname, '..');
const ACTION_REF = 'your-org/wechat-cloud-function-action@v1';

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

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

interface WorkflowYaml {
  permissions?: unknown;
  concurrency?: unknown;
  jobs: Record<string, { 'timeout-minutes'?: number; steps?: Step[] }>;
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
  it('include the examples and the CI workflow', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    expect(ownWorkflows).toContain('.github/workflows/ci.yml');
  });

  describe.each(workflows)('%s', (path) => {
    const file = read(path);
    // Parsed when a test asks: a file that is not YAML fails the schema test, with the reason.
    const workflow = () => parse(file.content) as WorkflowYaml;
    const jobs = () => Object.entries(workflow().jobs);
    const ourSteps = () =>
      jobs().flatMap(([, job]) => (job.steps ?? []).filter((step) => isOurs(step.uses)));

    it('follows the workflow schema', async () => {
      expect(await workflowErrors(file)).toEqual([]);
    });

    it('gives every job a time limit', () => {
      for (const [id, job] of jobs()) expect(job['timeout-minutes'], id).toBeGreaterThan(0);
    });

    it('sets the token permissions', () => {
      expect(workflow().permissions).toBeDefined();
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
        const hasToken = given.includes('access-token');
        const hasSecret = given.includes('app-id') && given.includes('app-secret');
        expect(hasToken !== hasSecret, `${step.id}: credentials`).toBe(true);
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

  it('ci.yml cancels superseded runs and reads nothing but contents', () => {
    const ci = parse(read('.github/workflows/ci.yml').content) as WorkflowYaml;
    expect(ci.permissions).toEqual({ contents: 'read' });
    expect(ci.concurrency).toMatchObject({ 'cancel-in-progress': true });
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

/** `./` in this repository, or any owner's copy of this action. */
function isOurs(uses: string | undefined): boolean {
  return uses === './' || (uses?.split('@')[0].endsWith('/wechat-cloud-function-action') ?? false);
}
