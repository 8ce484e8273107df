// Whether a function's result fails the step: one rule for the run, its outputs and its report.
// A module of its own, so that a step that fails before any run (on its inputs) can report
// without loading the run's code.

import type { FunctionResult, IfExists } from './result.js';

/** Did any part of this function fail: itself, its code, its configuration or its invocation? */
export function partFailed(result: FunctionResult): boolean {
  return (
    result.status === 'failed' ||
    result.code === 'failed' ||
    result.config === 'failed' ||
    result.invoke === 'failed'
  );
}

/** Does this function fail the step? An existing one does too with `if-exists: fail`. */
export function fails(result: FunctionResult, ifExists: IfExists): boolean {
  return partFailed(result) || (result.status === 'exists' && ifExists === 'fail');
}
