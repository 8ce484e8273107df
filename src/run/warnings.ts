// What a user should know of a run that nothing failed: a runtime past its end of life or older
// than the function asks, and what a function's folder asks that the run could not deploy.
import type { Cloud } from '../clouds/cloud.js';
import { MAX_UPLOAD_BYTES } from '../clouds/code-limits.js';
import { size } from '../text/text.js';
import type { FunctionResult, Plan, Prepared } from './result.js';
import { type RuntimeProblem, runtimeProblem, supportedRuntime } from './runtimes.js';

/**
 * The largest zip Tencent's own client sends inline (@cloudbase/manager-node's `packer.js`,
 * `API_MAX_SIZE`); above it, that client uploads the code to object storage instead, which this
 * action does not.
 */
const INLINE_CODE_BYTES = 1.5 * 1024 * 1024;

/** One warning naming every function whose zip is larger than Tencent's own client sends inline. */
export function largeCode(prepared: ReadonlyMap<string, Prepared>): string[] {
  const large = [...prepared]
    .filter(([, code]) => 'zip' in code && code.zip.length > INLINE_CODE_BYTES)
    .map(([name, code]) => `${name} (${size((code as { zip: Buffer }).zip.length)})`);
  if (large.length === 0) return [];
  return [
    `Code over ${size(INLINE_CODE_BYTES)} zipped: ${large.join(', ')}. Tencent's own client sends code this large through object storage; this action sends it inline, up to the ${size(MAX_UPLOAD_BYTES)} of one request (base64 included). If an upload is refused or times out, leave out what the cloud does not need (node_modules/ with \`install-dependencies: true\`, files through \`.wechatignore\`).`,
  ];
}

/** What each kind of runtime problem is said as, before the functions it concerns. */
const RUNTIME_WORDS: Readonly<Record<RuntimeProblem['kind'], string>> = {
  older: 'Runtimes older than the function asks for',
  'end-of-life': 'Runtimes past their end of life',
  beta: "Runtimes in public beta (CloudBase's CLI marks them 公测中)",
};

/** What to do about a runtime, naming one whose Node.js line is still supported today. */
function runtimeFix(today: string): string {
  const supported = supportedRuntime(today);
  const example = supported
    ? ` (\`${supported.runtime}\` is the oldest whose Node.js line is still supported${supported.beta ? ", in CloudBase's public beta" : ''})`
    : '';
  return `A runtime cannot be changed after creation: create the function anew with the input \`runtime\`${example}: delete it in the cloud development console, then run with \`api: tencentcloud\`, or deploy under a new name.`;
}

/**
 * One warning per kind of runtime problem, each once per run, naming every function it
 * concerns: past its end of life, in beta, or older than the function asks.
 */
export function runtimeWarnings(
  results: readonly FunctionResult[],
  prepared: ReadonlyMap<string, Prepared>,
  today: string,
): string[] {
  const byKind = new Map<RuntimeProblem['kind'], string[]>();
  for (const r of results) {
    const code = prepared.get(r.functionName);
    const engines = code && 'engines' in code ? code.engines : undefined;
    const problem = r.runtime ? runtimeProblem(r.runtime, engines, today) : undefined;
    if (!problem) continue;
    byKind.set(problem.kind, [
      ...(byKind.get(problem.kind) ?? []),
      `${r.functionName} (${problem.text})`,
    ]);
  }
  return [...byKind].map(
    ([kind, functions]) => `${RUNTIME_WORDS[kind]}: ${functions.join(', ')}. ${runtimeFix(today)}`,
  );
}

/** One warning per function whose config.json asks for what this run could not deploy. */
export function leftBehind(plan: Pick<Plan, 'functionNames' | 'code'>, cloud: Cloud): string[] {
  const folders = plan.code?.folders;
  return plan.functionNames.flatMap((name) => {
    const folder = folders?.get(name);
    const warnings: string[] = [];
    if ((folder?.triggers.length ?? 0) > 0 && !cloud.triggers) {
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
