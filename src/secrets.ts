// Every secret the action learns is registered here: the hook masks it in the runner's log, and
// redact() scrubs it from text the runner does not mask (outputs, the job summary) and from
// error messages that echo a request URL. A server may echo a secret in any form: raw,
// percent-encoded in either case (`%2B`, `%2b`), form-encoded (space as `+`), or with control
// characters inside that the one-line cleanup would turn into spaces. One pattern per secret
// matches them all.
const TOKEN_PARAM = /(access_token=)[^&#\s"']*/gi;
/** Control characters that may split an echoed secret. */
const CONTROL = '[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*';

export class Secrets {
  readonly #patterns = new Map<string, RegExp>();

  constructor(private readonly onSecret: (value: string) => void = () => {}) {}

  add(value: string): void {
    if (value === '' || this.#patterns.has(value)) return;
    this.#patterns.set(value, pattern(value));
    this.onSecret(value);
  }

  redact(text: string): string {
    let out = text.replace(TOKEN_PARAM, '$1***');
    for (const regex of this.#patterns.values()) out = out.replace(regex, '***');
    return out;
  }
}

/** Each character as itself or as its percent-encoded UTF-8 bytes; a space also as `+`. */
function pattern(secret: string): RegExp {
  const chars = [...secret].map((char) => {
    const encoded = [...Buffer.from(char, 'utf8')]
      .map((byte) => `%${byte.toString(16).padStart(2, '0')}`)
      .join('');
    const forms = [char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'), encoded];
    if (char === ' ') forms.push('\\+');
    return `(?:${forms.join('|')})`;
  });
  return new RegExp(chars.join(CONTROL), 'gi');
}
