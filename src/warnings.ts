// What a user should know of a run that nothing failed: a runtime past its end of life or older
// than the function asks, and what a function's folder asks that the run could not deploy.
import type { Cloud } from './cloud.js';
import type { FunctionResult, Plan } from './deploy.js';
import type { Prepared } from './prepare.js';
import { runtimeProblem } from './runtimes.js';

/** One warning per function whose runtime is past its end of life or older than it asks. */
export function runtimeWarnings(
  results: readonly FunctionResult[],
  prepared: ReadonlyMap<string, Prepared>,
  today: string,
): string[] {
  return results.flatMap((r) => {
    const code = prepared.get(r.functionName);
    const engines = code && 'engines' in code ? code.engines : undefined;
    const problem = r.runtime ? runtimeProblem(r.runtime, engines, today) : undefined;
    return problem
      ? [
          `${r.functionName} ${problem}. A runtime cannot be changed after creation: create the function anew (delete it in the cloud development console, then run with \`api: tencentcloud\` and \`runtime\`), or deploy under a new name.`,
        ]
      : [];
  });
}

/** One warning per function whose config.json asks for what this run could not deploy. */
export function leftBehind(plan: Pick<Plan, 'functionNames' | 'code'>, cloud: Cloud): string[] {
  const folders = plan.code?.folders;
  return plan.functionNames.flatMap((name) => {
    const folder = folders?.get(name);
    const warnings: string[] = [];
    if (folder?.triggers) {
      warnings.push(
        `${name}: the timer triggers of its config.json were not deployed: WeChat documents no format for them in this API. Set them in WeChat DevTools or the console.`,
      );
    }
    // An empty list asks for nothing a new function does not have already.
    if ((folder?.openapi?.length ?? 0) > 0 && !cloud.setsPermissions) {
      warnings.push(
        `${name}: the cloud-call permissions of its config.json were not deployed: Tencent Cloud's API has no call for them. Deploy with \`api: wechat\`, or set them in WeChat DevTools.`,
      );
    }
    return warnings;
  });
}
