// Which environment, and which functions in it.

import { type Get, InputError, quote, required } from './read.js';

/** More names than this would make outputs and the job summary too long to be useful. */
export const MAX_FUNCTIONS = 1000;

const ENV = /^[a-z][a-z0-9-]{0,63}$/;
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/;

export function parseEnv(get: Get): string {
  const env = required(get, 'env');
  if (!ENV.test(env)) {
    throw new InputError(
      'env',
      `must be a cloud environment id such as \`test-777bb9\`: a lowercase letter, then lowercase letters, digits and \`-\`, at most 64 characters; got ${quote(env)}`,
    );
  }
  return env;
}

/** One name, or one per line; blank lines are dropped and a repeated name counts once. */
export function parseFunctionNames(text: string): string[] {
  const names = [...new Set(text.split(/\r?\n/).map((line) => line.trim()))].filter(Boolean);
  for (const name of names) {
    if (!FUNCTION_NAME.test(name)) {
      throw new InputError(
        'function-name',
        `has an invalid name ${quote(name)}: a name is 2 to 60 letters, digits, \`-\` and \`_\`, starts with a letter and does not end with \`-\` or \`_\``,
      );
    }
  }
  if (names.length > MAX_FUNCTIONS) {
    throw new InputError(
      'function-name',
      `names ${names.length} functions; at most ${MAX_FUNCTIONS} fit in one step: split them over several steps`,
    );
  }
  return names;
}
