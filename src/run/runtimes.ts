// The Node.js runtimes CloudBase offers, and which are past their end of life or still in beta.
// CloudBase publishes no end-of-life table of its own, so Node.js's release schedule
// (nodejs.org) decides: a runtime named `NodejsMM.m` is as old as Node.js MM.

/**
 * The Node.js runtimes of CloudBase's CLI 2.12.10 (`@cloudbase/cli`, its runtime choices), with
 * those it marks as public beta (公测中).
 */
export const RUNTIMES: Readonly<Record<string, { beta?: true }>> = {
  'Nodejs8.9': {},
  'Nodejs10.15': {},
  'Nodejs12.16': {},
  'Nodejs14.18': {},
  'Nodejs16.13': {},
  'Nodejs18.15': {},
  'Nodejs20.19': {},
  'Nodejs22.21': { beta: true },
  'Nodejs24.11': { beta: true },
};

/**
 * A new function's runtime when the input is empty: the newest one CloudBase's CLI 2.12.10 offers
 * outside its beta, and @cloudbase/manager-node 5.x's default. Its Node.js line reached its end
 * of life on 2026-04-30, and the run warns so; the newer ones are still in beta.
 */
export const DEFAULT_RUNTIME = 'Nodejs20.19';

/** The last day each Node.js major release got fixes. */
const NODE_END_OF_LIFE: Readonly<Record<number, string>> = {
  6: '2019-04-30',
  8: '2019-12-31',
  10: '2021-04-30',
  12: '2022-04-30',
  14: '2023-04-30',
  16: '2023-09-11',
  18: '2025-04-30',
  20: '2026-04-30',
  22: '2027-04-30',
  24: '2028-04-30',
  26: '2029-04-30',
};

/** The Node.js major of a runtime such as `Nodejs16.13`; undefined for other runtimes. */
export function nodeMajor(runtime: string): number | undefined {
  const match = /^Nodejs(\d+)/i.exec(runtime);
  return match ? Number(match[1]) : undefined;
}

/** The lowest Node.js major an `engines.node` range admits: `>=18`, `^18.2.0`, `18.x`. */
export function lowestMajor(range: string): number | undefined {
  const match = /\d+/.exec(range);
  return match ? Number(match[0]) : undefined;
}

/**
 * The oldest runtime whose Node.js line still gets fixes on `today`, for a hint: undefined when
 * the list has none. RUNTIMES lists them oldest first.
 */
export function supportedRuntime(today: string): { runtime: string; beta: boolean } | undefined {
  for (const [runtime, { beta }] of Object.entries(RUNTIMES)) {
    const major = nodeMajor(runtime);
    const end = major === undefined ? undefined : NODE_END_OF_LIFE[major];
    if (end !== undefined && end >= today) return { runtime, beta: beta === true };
  }
  return undefined;
}

export type RuntimeProblem =
  | { kind: 'older'; text: string }
  | { kind: 'end-of-life'; text: string }
  | { kind: 'beta'; text: string };

/**
 * Why a function's runtime is a problem, if it is: older than its package.json's `engines.node`
 * asks for, past its end of life on `today`, or in beta.
 */
export function runtimeProblem(
  runtime: string,
  engines: string | undefined,
  today: string,
): RuntimeProblem | undefined {
  const major = nodeMajor(runtime);
  if (major === undefined) return undefined;
  const wanted = engines === undefined ? undefined : lowestMajor(engines);
  if (wanted !== undefined && major < wanted) {
    return {
      kind: 'older',
      text: `${runtime}, older than the Node.js ${wanted} its package.json asks for (engines.node ${JSON.stringify(engines)})`,
    };
  }
  const end = Object.hasOwn(NODE_END_OF_LIFE, major) ? NODE_END_OF_LIFE[major] : undefined;
  if (end !== undefined && end < today) {
    return { kind: 'end-of-life', text: `${runtime}, Node.js ${major}: ${end}` };
  }
  if (Object.hasOwn(RUNTIMES, runtime) && RUNTIMES[runtime].beta) {
    return { kind: 'beta', text: runtime };
  }
  return undefined;
}
