// Every line the runner reads from the step goes through here: the log, the debug lines, the
// annotations and the step's failure. The runner obeys a command written as `::cmd::` at the
// start of a line (after white space; it splits lines at \r and \n) and the older form `##[cmd]`
// anywhere in a line, and this text quotes servers: so neither form survives in it.
import * as core from '@actions/core';

/** `text` with neither command form: `##[` becomes `## [`, a line's leading `::` becomes `: :`. */
export function inert(text: string): string {
  return text.replace(/##\[/g, '## [').replace(/(^|[\r\n])([\s\u0085]*)::/g, '$1$2: :');
}

export const info = (line: string): void => core.info(inert(line));
export const debug = (line: string): void => core.debug(inert(line));
export const warning = (message: string): void => core.warning(inert(message));
export const error = (message: string, properties?: core.AnnotationProperties): void =>
  core.error(inert(message), properties);
export const setFailed = (message: string): void => core.setFailed(inert(message));
