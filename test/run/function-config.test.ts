import { describe, expect, it } from 'vitest';
import {
  canonicalOpenapi,
  environmentBytes,
  mergeSettings,
  readFolderConfig,
} from '../../src/run/function-config.js';
import { temporaryFolder, writeTree } from '../support/folders.js';

const tmp = temporaryFolder();
/** This test's folder, with a config.json of `text` if given. */
const folderWith = (text?: string) =>
  text === undefined ? tmp.path : writeTree(tmp.path, { 'config.json': text });

describe('readFolderConfig', () => {
  it('is undefined without a config.json', () => {
    expect(readFolderConfig(folderWith())).toBeUndefined();
  });

  it('reads the permissions as a set, and the triggers', () => {
    const config = readFolderConfig(
      folderWith(
        JSON.stringify({
          permissions: { openapi: ['wxacode.get', 'subscribeMessage.send', 'wxacode.get'] },
          triggers: [{ name: 't', type: 'timer', config: '0 0 * * * * *' }],
        }),
      ),
    );
    expect(config).toEqual({
      openapi: ['subscribeMessage.send', 'wxacode.get'],
      triggers: [{ name: 't', cron: '0 0 * * * * *' }],
    });
  });

  it('takes `permissions: {}` as no cloud calls at all', () => {
    expect(readFolderConfig(folderWith('{"permissions": {}}'))).toEqual({
      openapi: [],
      triggers: [],
    });
  });

  it.each([
    ['{', /is not JSON/],
    ['null', /a JSON object/],
    ['{"permissions": []}', /must be \{"openapi"/],
    ['{"permissions": {"openapi": [1]}}', /a list of API names/],
    ['{"permissions": {"openapi": [""]}}', /a list of API names/],
    ['{"permissions": {"openapi": [], "x": 1}}', /also has \["x"\]/],
    ['{"triggers": "daily"}', /`triggers` must be a list/],
  ])('refuses %s', (text, says) => {
    expect(() => readFolderConfig(folderWith(text))).toThrow(says);
  });
});

describe('openapi lists', () => {
  it('are sorted, each name once', () => {
    expect(canonicalOpenapi(['b', 'a', 'b'])).toEqual(['a', 'b']);
  });
});

describe('mergeSettings', () => {
  const current = {
    timeout: 5,
    environment: new Map([
      ['KEEP', '1'],
      ['CHANGE', 'old'],
    ]),
  };

  /** The merge's result, which must be writable. */
  const merged = (...args: Parameters<typeof mergeSettings>) => {
    const result = mergeSettings(...args);
    if ('unknown' in result) throw new Error(result.unknown);
    return result;
  };

  it('merge: sets the named variables, keeps the others, leaves the timeout alone', () => {
    const { settings, change } = merged(current, {
      mode: 'merge',
      environment: new Map([
        ['CHANGE', 'new'],
        ['ADD', 'x'],
      ]),
    });
    expect(Object.fromEntries(settings.environment ?? [])).toEqual({
      KEEP: '1',
      CHANGE: 'new',
      ADD: 'x',
    });
    expect(settings.timeout).toBeUndefined();
    expect(change).toEqual({ added: ['ADD'], changed: ['CHANGE'], removed: [] });
  });

  it('replace: exactly the named variables; the others are removed, by name', () => {
    const { settings, change } = merged(current, {
      mode: 'replace',
      timeout: 10,
      environment: new Map([['CHANGE', 'old']]),
    });
    expect(Object.fromEntries(settings.environment ?? [])).toEqual({ CHANGE: 'old' });
    expect(change).toEqual({
      added: [],
      changed: [],
      removed: ['KEEP'],
      timeout: { from: 5, to: 10 },
    });
  });

  it('says nothing changes when nothing does', () => {
    expect(
      merged(current, { mode: 'merge', environment: new Map([['KEEP', '1']]) }).change,
    ).toBeUndefined();
  });

  it('merges no variables into variables it could not read, and says why', () => {
    const unread = { timeout: 5, unread: 'SCF refused' };
    const ask = { mode: 'merge', environment: new Map([['ADD', 'x']]) } as const;
    expect(mergeSettings(unread, ask)).toEqual({ unknown: 'SCF refused' });
    // A timeout alone touches no variable: it is written, and no environment with it.
    expect(merged(unread, { mode: 'merge', timeout: 9 }).settings).toEqual({ timeout: 9 });
    // Replace needs nothing read: it writes exactly the step's variables, and says so.
    const replaced = merged(unread, { ...ask, mode: 'replace' });
    expect(Object.fromEntries(replaced.settings.environment ?? [])).toEqual({ ADD: 'x' });
    expect(replaced.change).toEqual({ added: ['ADD'], changed: [], removed: [], unread: true });
  });

  it('takes a timeout or memory the cloud did not answer as unknown, never as a default', () => {
    const { settings, change } = merged({}, { mode: 'merge', timeout: 3, memoryMb: 512 });
    expect(settings).toEqual({ timeout: 3, memoryMb: 512 });
    expect(change?.timeout).toEqual({ from: undefined, to: 3 });
    expect(change?.memoryMb).toEqual({ from: undefined, to: 512 });
  });

  it('counts names and values in bytes', () => {
    expect(environmentBytes(new Map([['AB', 'é']]))).toBe(4);
  });
});
