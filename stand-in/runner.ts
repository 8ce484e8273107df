// Starts the bundled action the way the GitHub runner does: `node dist/index.js` with one
// INPUT_* variable per input of action.yml (name upper-cased, hyphens kept, the default when
// the workflow gives none), and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files to read back.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(ROOT, 'dist', 'index.js');

export interface RunOptions {
  /** The step's `with:` block. */
  inputs: Record<string, string>;
  /** More environment (a proxy, say); PATH and HOME are passed through. */
  env?: Record<string, string>;
  /** Another entry point (a floor script in the benchmark). */
  script?: string;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

interface ActionYaml {
  inputs: Record<string, { default?: string }>;
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYaml;

/** The environment the runner gives the step, with its input defaults applied. */
export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    const value = inputs[name] ?? spec.default;
    if (value !== undefined) env[`INPUT_${name.toUpperCase()}`] = String(value);
  }
  for (const name of Object.keys(inputs)) {
    if (!(name in action.inputs)) env[`INPUT_${name.toUpperCase()}`] = inputs[name];
  }
  return env;
}

export interface StartedAction {
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout: () => string;
  done: Promise<RunResult>;
}

export function startAction({ inputs, env = {}, script = DIST }: RunOptions): StartedAction {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const child = spawn(process.execPath, [script], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      GITHUB_ACTIONS: 'true',
      RUNNER_TEMP: dir,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      ...inputEnv(inputs),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const result = {
        code,
        signal,
        stdout,
        stderr,
        outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
        summary: readFileSync(summaryFile, 'utf8'),
      };
      rmSync(dir, { recursive: true, force: true });
      resolve(result);
    });
  });
  return { child, stdout: () => stdout, done };
}

export function runAction(options: RunOptions): Promise<RunResult> {
  return startAction(options).done;
}

/** Reads a GITHUB_OUTPUT file: `name<<DELIMITER`, the value's lines, `DELIMITER`. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const found = lines.indexOf(heredoc[2], i + 1);
      // An unclosed heredoc runs to the end of the file, as nothing closes it.
      const end = found === -1 ? lines.length : found;
      outputs[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=');
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return outputs;
}
