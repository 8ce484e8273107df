// What a run is asked and what it gives back, shared by the run's steps and the report. It takes
// nothing of the run but the types of a function's configuration, so that every step, the
// report and the inputs can take it.
import type { Api, Outcome, PreparedCode } from '../clouds/cloud.js';
import type { TriggerResult } from '../clouds/triggers.js';
import type { RetryPolicy } from '../net/retry.js';
import type { FolderConfig, SettingsAsk } from './function-config.js';

/** What to do when a function exists already: leave it, or fail the step. */
export type IfExists = 'skip' | 'fail';

/** Upload each function's code from `dir/<name>/`. */
export interface CodeAsk {
  dir: string;
  installDependencies: boolean;
  /** The repository: links in a function folder may point anywhere inside it. */
  root: string;
  /** Each function's `config.json`, read and checked; undefined where there is none. */
  folders: ReadonlyMap<string, FolderConfig | undefined>;
}

export type FunctionStatus = 'created' | 'exists' | 'would-create' | 'failed';
type CodeStatus = 'deployed' | 'failed' | null;
type InvokeStatus = 'ok' | 'failed' | null;

export interface FunctionResult {
  functionName: string;
  status: FunctionStatus;
  /** WeChat's errcode of the answer that decided; null when what decided was not one. */
  errcode: number | null;
  /** That answer's errmsg, or what decided instead. */
  errmsg: string;
  /** What to do about a failure. */
  hint?: string;
  /** createfunction requests sent. */
  attempts: number;
  /** The state as last listed (`Active`, `Creating`, …); null when it was not listed. */
  state: string | null;
  /** The runtime as listed; null when it was not listed. */
  runtime: string | null;
  /** The code: taken by the cloud, failed, or not asked for. */
  code: CodeStatus;
  /** Lowercase hex SHA-256 of the zip, and its size; null without code. */
  codeSha256: string | null;
  codeBytes: number | null;
  config: ConfigStatus;
  /** What the configuration changed, or would: names, never values. */
  changes: string[];
  /** What was done with each timer trigger of config.json, and those left alone; null: none asked. */
  triggers: TriggerResult[] | null;
  invoke: InvokeStatus;
  /** What the function answered when invoked, redacted. */
  response?: string;
  /** Why this status, when more is to be said than errcode and errmsg. */
  note?: string;
  durationMs: number;
}

export interface Plan {
  env: string;
  functionNames: readonly string[];
  ifExists: IfExists;
  /** Requests in flight at once. */
  parallel: number;
  dryRun: boolean;
  /** How long each wait for a function to settle may take; 0: do not wait. */
  waitTimeoutMs: number;
  /** The retry rule of uploads; its base delay is also the first pause between two lists. */
  retry: RetryPolicy;
  /** Deploy each function's code from `dir/<name>/`. */
  code?: CodeAsk;
  settings?: SettingsAsk;
  /** Invoke every function with this event (JSON text) once all are `Active`. */
  invoke?: string;
}

export interface Deployment {
  api: Api;
  results: FunctionResult[];
  /** How many of the step's functions the list showed before the run. */
  listed: number;
  /**
   * Why nothing was sent to any function: the credentials could not be had (`from` says
   * which), or the list was refused for good.
   */
  stopped?: { outcome: Outcome; from?: string };
  /** Why the run went on without a list: existence was inferred from the answers. */
  listFailure?: Outcome;
  /** What the user should know, though nothing failed: one line each. */
  warnings: string[];
}

export type ConfigStatus = 'updated' | 'unchanged' | 'would-update' | 'failed' | null;

export type Prepared =
  | (PreparedCode & {
      /** `engines.node` of the folder's package.json: the runtime it needs. */
      engines?: string;
      /** What the user should know of its zip (modes that could not be read). */
      warnings?: string[];
    })
  | { failure: string; hint?: string };
