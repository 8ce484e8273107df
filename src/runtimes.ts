// Which runtimes are past their end of life. CloudBase publishes no end-of-life table of its
// own, so Node.js's release schedule (nodejs.org) decides: a runtime named `NodejsMM.m` is as
// old as Node.js MM.

/** The last day each Node.js major release got fixes. */
export const NODE_END_OF_LIFE: Readonly<Record<number, string>> = {
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
 * Why a function's runtime is a problem, if it is: past its end of life on `today`, or older
 * than its package.json's `engines.node` asks for.
 */
export function runtimeProblem(
  runtime: string,
  engines: string | undefined,
  today: string,
): string | undefined {
  const major = nodeMajor(runtime);
  if (major === undefined) return undefined;
  const wanted = engines === undefined ? undefined : lowestMajor(engines);
  if (wanted !== undefined && major < wanted) {
    return `runs on ${runtime}, older than the Node.js ${wanted} its package.json asks for (engines.node ${JSON.stringify(engines)})`;
  }
  const end = Object.hasOwn(NODE_END_OF_LIFE, major) ? NODE_END_OF_LIFE[major] : undefined;
  if (end !== undefined && end < today) {
    return `runs on ${runtime}, past its end of life (Node.js ${major}: ${end})`;
  }
  return undefined;
}
