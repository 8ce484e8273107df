// README's tables, action.yml and the code's defaults say the same thing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ERRCODES } from '../src/errcodes.js';
import { DEFAULTS } from '../src/inputs.js';
import { ROOT } from '../stand-in/runner.js';

interface ActionYaml {
  description: string;
  author?: string;
  inputs: Record<string, { required?: boolean; default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYaml;
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The rows of the table under `## heading`: first cell (unquoted) → the other cells. */
function table(heading: string): Map<string, string[]> {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  const rows = section.split('\n').filter((line) => /^\| `/.test(line));
  return new Map(
    rows.map((row) => {
      const cells = row
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      return [cells[0].replaceAll('`', ''), cells.slice(1)];
    }),
  );
}

describe('README', () => {
  it('documents every input of action.yml, with its default, and no other', () => {
    const inputs = table('Inputs');
    expect([...inputs.keys()].sort()).toEqual(Object.keys(action.inputs).sort());
    for (const [name, spec] of Object.entries(action.inputs)) {
      const [required, documentedDefault] = inputs.get(name) ?? [];
      expect(documentedDefault, name).toBe(spec.default === undefined ? '' : `\`${spec.default}\``);
      expect(required === 'yes', name).toBe(spec.required === true);
    }
  });

  it('documents every output of action.yml, and no other', () => {
    expect([...table('Outputs').keys()].sort()).toEqual(Object.keys(action.outputs).sort());
  });

  it('has the sections users look for', () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(
      expect.arrayContaining([
        'Prerequisites',
        'Usage',
        'Permissions',
        'Credentials',
        'Troubleshooting',
        'Versioning',
      ]),
    );
    // How to use it comes before the reference sections.
    expect(headings.indexOf('Usage')).toBeLessThan(headings.indexOf('Credentials'));
  });

  it('says what to do about every errcode the action knows', () => {
    // A cell may name several errcodes: `40164`, `61004`.
    const documented = new Set(
      [...table('Troubleshooting').keys()].flatMap((cell) => cell.split(/,\s*/)),
    );
    const known = Object.keys(ERRCODES).filter((code) => code !== '0');
    expect(known.filter((code) => !documented.has(code))).toEqual([]);
  });
});

describe('action.yml', () => {
  // The Marketplace refuses to list an action whose description is not "less than 125
  // characters", and names the author on the listing.
  it('can be published on the Marketplace', () => {
    expect(action.description.length).toBeLessThan(125);
    expect(action.description.trim()).not.toBe('');
    expect(action.author?.trim() ?? '').not.toBe('');
  });

  it('has the defaults the code applies to empty inputs', () => {
    const defaults = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([, spec]) => spec.default !== undefined)
        .map(([name, spec]) => [name, spec.default]),
    );
    expect(defaults).toEqual(DEFAULTS);
  });

  it('runs dist/index.js on node24 and describes every input and output', () => {
    const runs = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')).runs;
    expect(runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    for (const spec of [...Object.values(action.inputs), ...Object.values(action.outputs)]) {
      expect(spec.description.length).toBeGreaterThan(10);
    }
  });
});
