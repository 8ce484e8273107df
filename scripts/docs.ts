// `npm run docs`: writes into the docs what the code already knows, between marker comments (`<!--
// generated: NAME -->` … `<!-- /generated -->`): the inputs and outputs of action.yml, the errors
// of src/clouds/wechat/errcodes.ts and src/clouds/tencentcloud/tencent-errors.ts, the states of
// src/run/judge.ts, the durations of scripts/worst-case.ts, and every call of
// src/clouds/contract.ts with its source (the official models' lines, read by stand-in/models.ts).
// It also writes the repository's `owner/name`, from package.json's `repository`, wherever a file
// names the action, so that a release changes it in one place. `npm run docs -- --check` writes
// nothing, and fails when a file is not what it would write.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { UploadAction } from '../src/clouds/cloud.js';
import { type TencentCall, WECHAT_CALLS, type WeChatCall } from '../src/clouds/contract.js';
import {
  STS_ERRORS,
  TCB_ERRORS,
  UPLOAD_HOST_ERRORS,
} from '../src/clouds/tencentcloud/tencent-errors.js';
import {
  CALL_ERRCODES,
  ERRCODES,
  type Errcode,
  type TokenOrigin,
} from '../src/clouds/wechat/errcodes.js';
import { STATES, type Verdict } from '../src/run/judge.js';
import { modelOf, tencentCalls } from '../stand-in/models.js';
import {
  duration,
  OTHER_STEPS_MINUTES,
  type StepShape,
  stepShape,
  terms,
  worstCaseMs,
} from './worst-case.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface ActionYaml {
  inputs: Record<string, { required?: boolean; default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
}

export interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

export interface Workflow {
  jobs?: Record<string, { 'timeout-minutes'?: number; steps?: Step[] }>;
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const action = () => parse(read('action.yml')) as ActionYaml;

/** `owner/name` of the repository users get the action from: package.json's `repository`. */
export function repository(): string {
  const { repository: given } = JSON.parse(read('package.json')) as { repository?: unknown };
  const match = typeof given === 'string' ? /^github:([\w.-]+\/[\w.-]+)$/.exec(given) : null;
  if (!match) throw new Error('package.json: `repository` must be "github:OWNER/NAME"');
  return match[1];
}

/** Whether a step uses this action, by any owner's name for it. */
export function isOurs(step: Step): boolean {
  const name = repository().split('/')[1];
  return step.uses?.split('@')[0].split('/')[1] === name;
}

/** Whether a step uses this action by its name, or as `./`, the copy checked out in CI. */
export function isOursOrLocal(step: Step): boolean {
  return step.uses === './' || isOurs(step);
}

/** The text of each ```yaml block of a Markdown text. */
export function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

/** The steps in a workflow, a job, or a list of steps as a snippet shows them, however deep. */
export function findSteps(value: unknown): Step[] {
  if (Array.isArray(value)) return value.flatMap(findSteps);
  if (value === null || typeof value !== 'object') return [];
  if ('uses' in value || 'run' in value) return [value as Step];
  return Object.values(value).flatMap(findSteps);
}

/** The files that name the action or hold generated tables, relative to the root. */
function files(): string[] {
  const within = (dir: string, ending: string) =>
    existsSync(join(ROOT, dir))
      ? readdirSync(join(ROOT, dir))
          .filter((name) => name.endsWith(ending))
          .sort()
          .map((name) => `${dir}/${name}`)
      : [];
  return [
    'README.md',
    'SECURITY.md',
    'CONTRIBUTING.md',
    ...within('docs', '.md'),
    ...within('examples', '.yml'),
    ...within('.github/ISSUE_TEMPLATE', '.yml'),
  ];
}

/** A table cell: one line, its pipes escaped (GitHub's tables split on them, code spans too). */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replaceAll('|', '\\|');
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

function inputsTable(): string {
  return table(
    ['input', 'required', 'default', 'description'],
    Object.entries(action().inputs).map(([name, spec]) => [
      `\`${name}\``,
      spec.required ? 'yes' : 'no',
      spec.default === undefined ? '' : `\`${spec.default}\``,
      cell(spec.description),
    ]),
  );
}

function outputsTable(): string {
  return table(
    ['output', 'description'],
    Object.entries(action().outputs).map(([name, spec]) => [`\`${name}\``, cell(spec.description)]),
  );
}

const ORIGINS: Readonly<Record<TokenOrigin, string>> = {
  'access-token': 'With `access-token`',
  'app-secret': 'With `app-id` and `app-secret`',
};

function hint(info: Errcode): string {
  if (info.hint === undefined) return '';
  if (typeof info.hint === 'string') return cell(info.hint);
  return Object.entries(info.hint)
    .map(([origin, text]) => `**${ORIGINS[origin as TokenOrigin]}**: ${cell(text)}`)
    .join(' ');
}

/** Met on the first list: as deploy.ts decides, a transient error or one that may spare creating lets the run go on. */
function onList(info: Errcode): string {
  return info.retry || info.listFallback ? 'goes on without the list' : 'stops';
}

function errcodeRow(code: string, info: Errcode, list = onList(info)): string[] {
  const retried = info.retry ? (info.outcomeUnknown ? 'yes; the list settles it' : 'yes') : 'no';
  return [code, cell(info.meaning), retried, list, hint(info)];
}

/** `-1`, `-1000`, … then `40001`, …: the way a reader looks one up. */
function byLookup(a: number, b: number): number {
  return Number(a > 0) - Number(b > 0) || Math.abs(a) - Math.abs(b);
}

function errcodesTable(): string {
  const rows: string[][] = [];
  const codes = Object.keys(ERRCODES).map(Number).filter(Boolean).sort(byLookup);
  for (const code of codes) {
    const { causes, ...info } = ERRCODES[code];
    rows.push(errcodeRow(`\`${code}\``, info));
    for (const { errmsg, ...cause } of causes ?? []) {
      const said = errmsg.source
        .split('|')
        .map((text) => `\`${text}\``)
        .join(' or ');
      rows.push(errcodeRow(`\`${code}\`, errmsg with ${said}`, { ...info, ...cause }));
    }
  }
  for (const [call, answers] of Object.entries(CALL_ERRCODES)) {
    for (const [code, info] of Object.entries(answers)) {
      const merged = { ...ERRCODES[Number(code)], ...info };
      rows.push(errcodeRow(`\`${code}\` from \`${call}\``, merged, 'stops: nothing is tried'));
    }
  }
  return table(['errcode', 'meaning', 'retried', 'on the first list, the run', 'what to do'], rows);
}

const UPLOAD_ACTIONS: Readonly<Record<UploadAction, string>> = {
  'sign-again': 'signed again and sent once more, at once',
  retry: 'sent again after a backoff, unless the list shows that the code took',
  wait: 'sent again once the list shows the function `Active`; any other state fails it',
  fail: "fails the function's code",
};

/** `^AuthFailure\.` → `AuthFailure.*`; `^(A|B)` → `A*`, `B*`; `^A\.B$` → `A.B`. */
function codeNames(pattern: RegExp): string {
  const exact = pattern.source.endsWith('$');
  const source = pattern.source.replace(/^\^/, '').replace(/\$$/, '');
  return source
    .replace(/^\((.*)\)$/, '$1')
    .split('|')
    .map((name) => `\`${name.replaceAll('\\.', '.')}${exact ? '' : '*'}\``)
    .join(', ');
}

function uploadErrorsTable(): string {
  const rows = UPLOAD_HOST_ERRORS.map((error) => [
    codeNames(error.code),
    UPLOAD_ACTIONS[error.next],
    cell(error.hint ?? ''),
  ]);
  rows.push(['any other code', UPLOAD_ACTIONS.fail, '']);
  return table(['code (the first that matches)', 'the code is', 'what to do'], rows);
}

/** What each error of CloudBase's API leads to, on any call of the Tencent Cloud route. */
const TCB_NEXT: Readonly<Record<UploadAction, string>> = {
  retry: 'retried with backoff',
  'sign-again': 'signed again and sent once more, at once (an upload); else fails',
  wait: 'an upload is sent again once the function is `Active`; else fails',
  fail: 'fails',
};

function tencentCloudErrorsTable(): string {
  const rows = TCB_ERRORS.map((error) => [
    codeNames(error.code),
    `${TCB_NEXT[error.next]}${error.refusesAll ? '; on the list, stops the run' : ''}`,
    cell(error.hint ?? ''),
  ]);
  rows.push(['any other code', TCB_NEXT.fail, '']);
  return table(['code (the first that matches)', 'what the run does', 'what to do'], rows);
}

/** STS's answers to AssumeRoleWithWebIdentity: without keys, nothing else is sent. */
function stsErrorsTable(): string {
  const refused = 'no keys: the run stops (keys had before are used until they expire)';
  const rows = STS_ERRORS.map((error) => [
    codeNames(error.code),
    error.next === 'retry' ? TCB_NEXT.retry : refused,
    cell(error.hint ?? ''),
  ]);
  rows.push(['any other code', refused, '']);
  return table(['code (the first that matches)', 'what the run does', 'what to do'], rows);
}

const VERDICTS: Readonly<Record<Verdict['kind'], string>> = {
  ready: '`exists`; with `code-dir`, it gets the code',
  settling:
    'waited for, up to `wait-timeout-seconds`, then judged by the state it reaches; still settling then: `failed`',
  broken: '`failed`, with its status reason; nothing is sent to it',
  repairable:
    'without `code-dir`: `failed`, with its status reason; with `code-dir`: the upload repairs it, and the state after it decides',
};

function statesTable(): string {
  const rows = Object.entries(STATES).map(([state, verdict]) => [
    `\`${state}\``,
    VERDICTS[verdict.kind],
    'hint' in verdict ? cell(verdict.hint) : '',
  ]);
  rows.push([
    'any other',
    '`failed`, naming the state',
    'Check the function in the cloud development console.',
  ]);
  return table(['state', 'what the run does', 'what to do'], rows);
}

function durationTermsTable(): string {
  const defaults = stepShape({ 'function-name': 'f' });
  const t = terms(defaults);
  return table(
    ['term', 'with the defaults'],
    [
      ['*B*, the backoff waits of one call', duration(t.backoff)],
      ['*C*, one call', duration(t.call)],
      ['*L*, the list, one page', duration(t.list)],
      ['a wait: `wait-timeout-seconds`, then its last list', duration(t.wait)],
      ['one send of the code, its signature first', duration(t.send)],
    ],
  );
}

/** What a step does, in a few words. */
function describeStep(given: Record<string, unknown>, shape: StepShape): string {
  const parts = [shape.functions === 1 ? '1 function' : `${shape.functions} functions`];
  if (shape.code) parts.push('code');
  if (shape.settings) parts.push('timeout and variables');
  if (shape.invoke) parts.push('invoked');
  if (given['app-id'] !== undefined) parts.push('token minted');
  if (given.api === 'tencentcloud') parts.push('`api: tencentcloud`');
  return parts.join(', ');
}

/** Each job that uses the action: its steps' worst case and its `timeout-minutes`. */
export function jobDurations(workflow: Workflow) {
  return Object.entries(workflow.jobs ?? {}).flatMap(([id, job]) => {
    const steps = (job.steps ?? []).filter(isOurs);
    if (steps.length === 0) return [];
    const shapes = steps.map((step) => ({
      given: step.with ?? {},
      shape: stepShape(step.with ?? {}),
    }));
    const stepsMs = shapes.reduce((sum, { shape }) => sum + worstCaseMs(shape), 0);
    return [
      {
        id,
        what: shapes.map(({ given, shape }) => describeStep(given, shape)).join('; '),
        stepsMs,
        neededMinutes: Math.ceil(stepsMs / 60_000) + OTHER_STEPS_MINUTES,
        timeoutMinutes: job['timeout-minutes'],
      },
    ];
  });
}

function durationsTable(): string {
  const rows = files()
    .filter((path) => path.startsWith('examples/'))
    .flatMap((path) =>
      jobDurations(parse(read(path)) as Workflow).map((job) => [
        `[${path.slice('examples/'.length)}](../${path})`,
        `\`${job.id}\``,
        job.what,
        duration(job.stepsMs),
        String(job.timeoutMinutes),
      ]),
    );
  return table(['example', 'job', 'the step', 'its worst case', '`timeout-minutes`'], rows);
}

const code = (names: readonly string[]) => names.map((name) => `\`${name}\``).join(', ') || '—';

/** Where a call's fields come from: the model's request and answer, by file and line. */
function callSource(call: TencentCall): string {
  if ('client' in call.source) return `\`${call.source.client}\``;
  const model = modelOf(call.service, call.version, call.action);
  if (!model) throw new Error(`${call.source.model} has no ${call.action}`);
  const file = call.source.model.split('/').pop();
  const lacking = Object.entries(call.unmodelled ?? {}).map(
    ([name, why]) => `; not in the model: \`${name}\`, ${why}`,
  );
  return `\`${file}:${model.request.line}\` \`${model.request.name}\`, answer \`:${model.response.line}\`${lacking.join('')}`;
}

/** Every Tencent Cloud call of either route, from src/clouds/contract.ts, with its model's lines. */
function tencentCallsTable(): string {
  const rows = tencentCalls().map(([name, call]) =>
    [
      `\`${name}\``,
      `${call.service} ${call.version} \`${call.action}\``,
      callSource(call),
      code(call.sends),
      code(call.reads),
    ].map(cell),
  );
  return table(['call', 'service, version, action', 'source', 'sends', 'reads'], rows);
}

/** Every WeChat call, from src/clouds/contract.ts, with the page it rests on. */
function wechatCallsTable(): string {
  const rows = Object.entries<WeChatCall>(WECHAT_CALLS).map(([name, call]) =>
    [
      name,
      `\`${call.path}\``,
      'doc' in call.source ? `<${call.source.doc}>` : `\`${call.source.client}\``,
    ].map(cell),
  );
  return table(['call', 'path', 'source'], rows);
}

/** The generated parts, by marker name. */
const PARTS: Readonly<Record<string, () => string>> = {
  inputs: inputsTable,
  outputs: outputsTable,
  errcodes: errcodesTable,
  'upload-errors': uploadErrorsTable,
  'tencentcloud-errors': tencentCloudErrorsTable,
  'sts-errors': stsErrorsTable,
  states: statesTable,
  'duration-terms': durationTermsTable,
  durations: durationsTable,
  'tencentcloud-calls': tencentCallsTable,
  'wechat-calls': wechatCallsTable,
};

const MARKED = /(<!-- generated: ([\w-]+) -->\n)[\s\S]*?(<!-- \/generated -->)/g;

/** The text a file should have: its generated parts and the repository's name brought up to date. */
export function generate(path: string, text: string): string {
  const [owner, name] = repository().split('/');
  const escaped = name.replace(/[.-]/g, '\\$&');
  let parts = 0;
  const generated = text.replace(MARKED, (_, open: string, part: string, close: string) => {
    const render = PARTS[part];
    if (!render) throw new Error(`${path}: no generated part is called ${part}`);
    parts++;
    return `${open}${render()}\n${close}`;
  });
  if (parts !== (text.match(/<!-- generated: [\w-]+ -->\n/g)?.length ?? 0)) {
    throw new Error(
      `${path}: a \`<!-- generated: NAME -->\` marker has no \`<!-- /generated -->\``,
    );
  }
  return generated.replace(new RegExp(String.raw`\b[\w.-]+/${escaped}\b`, 'g'), `${owner}/${name}`);
}

/** Every file the generator writes, with the text it should have. */
export function expected(): Map<string, string> {
  return new Map(files().map((path) => [path, generate(path, read(path))]));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  const stale = [...expected()].filter(([path, text]) => read(path) !== text);
  for (const [path, text] of stale) {
    if (check) console.error(`${path} is not what \`npm run docs\` writes`);
    else writeFileSync(join(ROOT, path), text);
  }
  if (check && stale.length > 0) process.exitCode = 1;
  else console.log(stale.length === 0 ? 'docs: up to date' : `docs: wrote ${stale.length} file(s)`);
}
