// Every secret the action learns is registered here: the hook masks it in the runner's log,
// and redact() scrubs it from text the runner does not mask (outputs, the job summary) and from
// error messages that echo a request URL.
const TOKEN_PARAM = /(access_token=)[^&#\s"']*/gi;

export class Secrets {
  readonly #values = new Set<string>();

  constructor(private readonly onSecret: (value: string) => void = () => {}) {}

  add(value: string): void {
    if (value === '' || this.#values.has(value)) return;
    this.#values.add(value);
    this.onSecret(value);
  }

  redact(text: string): string {
    let out = text.replace(TOKEN_PARAM, '$1***');
    for (const value of this.#values) {
      for (const form of new Set([value, encodeURIComponent(value)])) {
        out = out.replaceAll(form, '***');
      }
    }
    return out;
  }
}
