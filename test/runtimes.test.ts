import { describe, expect, it } from 'vitest';
import { lowestMajor, nodeMajor, runtimeProblem } from '../src/runtimes.js';

describe('runtimes', () => {
  it('reads the Node.js major of a runtime, and the lowest one engines.node admits', () => {
    expect(nodeMajor('Nodejs16.13')).toBe(16);
    expect(nodeMajor('Python3.9')).toBeUndefined();
    expect(lowestMajor('>=18')).toBe(18);
    expect(lowestMajor('^20.1.0')).toBe(20);
    expect(lowestMajor('*')).toBeUndefined();
  });

  it.each([
    ['Nodejs8.9', undefined, '2026-11-30', /past its end of life \(Node\.js 8: 2019-12-31\)/],
    ['Nodejs20.19', undefined, '2026-11-30', /past its end of life \(Node\.js 20: 2026-04-30\)/],
    ['Nodejs20.19', undefined, '2026-04-30', undefined],
    ['Nodejs24.11', undefined, '2026-11-30', undefined],
    ['Nodejs24.11', '>=26', '2026-11-30', /older than the Node\.js 26 its package\.json asks for/],
    ['Python3.9', '>=26', '2026-11-30', undefined],
  ])('%s with engines %s on %s', (runtime, engines, today, problem) => {
    const said = runtimeProblem(runtime, engines, today);
    if (problem) expect(said).toMatch(problem);
    else expect(said).toBeUndefined();
  });
});
