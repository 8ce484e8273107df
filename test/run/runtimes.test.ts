import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RUNTIME,
  lowestMajor,
  nodeMajor,
  RUNTIMES,
  runtimeProblem,
  supportedRuntime,
} from '../../src/run/runtimes.js';

describe('runtimes', () => {
  it('reads the Node.js major of a runtime, and the lowest one engines.node admits', () => {
    expect(nodeMajor('Nodejs16.13')).toBe(16);
    expect(nodeMajor('Python3.9')).toBeUndefined();
    expect(lowestMajor('>=18')).toBe(18);
    expect(lowestMajor('^20.1.0')).toBe(20);
    expect(lowestMajor('*')).toBeUndefined();
  });

  it.each([
    ['Nodejs8.9', undefined, '2026-11-30', 'end-of-life', /Nodejs8\.9, Node\.js 8: 2019-12-31/],
    ['Nodejs20.19', undefined, '2026-11-30', 'end-of-life', /Node\.js 20: 2026-04-30/],
    ['Nodejs20.19', undefined, '2026-04-30', undefined, undefined],
    ['Nodejs22.21', undefined, '2026-11-30', 'beta', /^Nodejs22\.21$/],
    ['Nodejs24.11', undefined, '2026-11-30', 'beta', /^Nodejs24\.11$/],
    ['Nodejs24.11', '>=26', '2026-11-30', 'older', /older than the Node\.js 26 its package\.json/],
    ['Python3.9', '>=26', '2026-11-30', undefined, undefined],
  ])('%s with engines %s on %s', (runtime, engines, today, kind, text) => {
    const said = runtimeProblem(runtime, engines, today);
    expect(said?.kind).toBe(kind);
    if (text) expect(said?.text).toMatch(text);
  });

  it('defaults to the newest runtime outside the beta, one the list has', () => {
    expect(DEFAULT_RUNTIME).toBe('Nodejs20.19');
    expect(RUNTIMES[DEFAULT_RUNTIME].beta).toBeUndefined();
    const newer = Object.keys(RUNTIMES).filter((r) => (nodeMajor(r) ?? 0) > 20);
    expect(newer.length).toBeGreaterThan(0);
    expect(newer.every((r) => RUNTIMES[r].beta)).toBe(true);
  });

  it('names the oldest runtime still supported, for the hint of an old one', () => {
    expect(supportedRuntime('2026-12-05')).toEqual({ runtime: 'Nodejs22.21', beta: true });
    expect(supportedRuntime('2026-04-30')).toEqual({ runtime: 'Nodejs20.19', beta: false });
    expect(supportedRuntime('2030-01-01')).toBeUndefined();
  });
});
