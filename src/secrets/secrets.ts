// Every secret the action learns is registered here: the hook masks it in the runner's log, and
// redact() scrubs it from text the runner does not mask (outputs, the job summary) and from
// error messages that echo a request URL. A server may echo a secret in any form: raw,
// percent-encoded in either case (`%2B`, `%2b`), form-encoded (space as `+`), with control
// characters inside that the one-line cleanup would turn into spaces, JSON-escaped (`\"`, `\/`,
// `\u00e9`), percent-encoded twice (a URL quoted in a URL), in hex, or in base64 (or base64url),
// alone or inside a longer encoded text, at any offset. HTML entities are not decoded: the action
// shows no HTML answer (see SECURITY.md).
//
// A secret may be long (a temporary key's token runs to 4 KB) and a deploy registers a few for
// every function, so no pattern is built from a secret. A text is read as a stream of canonical
// bytes (UTF-8; letters in lower case, as a server may echo a hex key in either case; `+` as a
// space; control characters left out) up to four times: as written, so that a secret holding
// `%41` or `\"` is found as it is; with `%XX` and JSON's escapes decoded; with JSON's alone, for
// the JSON form of a secret holding `%41`; and with `%25XX` decoded twice. One automaton finds
// every secret in a stream at once, in time linear in the text, and the spans of the text the
// matches came from are replaced.

/** One canonical byte, and the span of the text it was read from. */
type Emit = (byte: number, start: number, end: number) => void;

const TOKEN_PARAM = /access_token=[^&#\s"']+/gi;
const TOKEN_PARAM_NAME = 'access_token='.length;
/** The first byte of a UTF-8 sequence, by how many bytes follow it. */
const UTF8_LEAD = [0, 0xc0, 0xe0, 0xf0];
const JSON_ESCAPES = new Map(
  Object.entries({ '"': 0x22, '\\': 0x5c, '/': 0x2f, b: 8, f: 12, n: 10, r: 13, t: 9 }),
);

export class Secrets {
  readonly #known = new Set<string>();
  // Secrets added since the large automaton was built sit in a small one, rebuilt as they come;
  // once they weigh as much, the two become one. So the large one (a token of 100 KB, say) is
  // rebuilt only when it doubles, and a text is read by two automata at most.
  readonly #settled = new Dictionary();
  readonly #recent = new Dictionary();
  /** Where each of the last canonical bytes read began in the text: as many as the longest form. */
  #starts = new Int32Array(1);

  constructor(private readonly onSecret: (value: string) => void = () => {}) {}

  add(value: string): void {
    if (value === '' || this.#known.has(value)) return;
    this.#known.add(value);
    for (const form of forms(value)) this.#recent.add(form);
    if (this.#recent.size >= this.#settled.size) this.#settled.take(this.#recent);
    this.onSecret(value);
  }

  redact(text: string): string {
    const cover = new Cover(text.length);
    for (const match of text.matchAll(TOKEN_PARAM)) {
      cover.add(match.index + TOKEN_PARAM_NAME, match.index + match[0].length);
    }
    const automata = [this.#settled.automaton(), this.#recent.automaton()].filter(
      (automaton) => automaton !== undefined,
    );
    if (automata.length > 0) {
      const longest = Math.max(...automata.map((automaton) => automaton.longest));
      if (this.#starts.length < longest) this.#starts = new Int32Array(longest);
      this.#find(written, text, automata, cover);
      if (text.includes('%')) this.#find(decoded, text, automata, cover);
      if (text.includes('\\')) this.#find(unescaped, text, automata, cover);
      if (text.includes('%25')) this.#find(decodedTwice, text, automata, cover);
    }
    return cover.apply(text, '***');
  }

  /** Covers the span of every secret found in the stream `read` makes of `text`. */
  #find(read: Read, text: string, automata: Automaton[], cover: Cover): void {
    const starts = this.#starts;
    const states = automata.map(() => 0);
    let count = 0;
    read(text, (byte, start, end) => {
      starts[count % starts.length] = start;
      count++;
      for (let i = 0; i < automata.length; i++) {
        states[i] = automata[i].step(states[i], byte);
        const length = automata[i].matched(states[i]);
        if (length > 0) cover.add(starts[(count - length) % starts.length], end);
      }
    });
  }
}

/** A form inside a longer encoded text shorter than this is too likely to be found by chance. */
const MIN_INNER_FORM = 12;

/**
 * The canonical forms of a secret to look for: itself, its hex, its base64 without padding, and
 * the part of its base64 (and base64url) that does not depend on what comes before or after it,
 * for each of the three offsets it can start at inside a longer text.
 */
function forms(secret: string): Uint8Array[] {
  const bytes = Buffer.from(secret, 'utf8');
  const found = new Set([
    secret,
    bytes.toString('hex'),
    bytes.toString('base64').replace(/=+$/, ''),
  ]);
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // The characters that hold bits of the bytes before it, or of the bytes after it.
    const before = [0, 2, 3][offset];
    const after =
      ((offset + bytes.length) % 3 === 0 ? 0 : 1) + (encoded.match(/=+$/)?.[0].length ?? 0);
    const inner = encoded.slice(before, encoded.length - after);
    if (inner.length < MIN_INNER_FORM) continue;
    found.add(inner);
    found.add(inner.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return [...found].map((form) => {
    const bytes: number[] = [];
    written(form, (byte) => bytes.push(byte));
    return Uint8Array.from(bytes);
  });
}

/** Reads a text as a stream of canonical bytes. */
type Read = (text: string, emit: Emit) => void;

const unescaped = decoder(0);
const decoded = decoder(1);
const decodedTwice = decoder(2);

/** The text as written: each code point as its UTF-8 bytes. */
function written(text: string, emit: Emit): void {
  for (let at = 0; at < text.length; ) at = readPoint(text, at, emit);
}

/**
 * The text with JSON's escapes (`\"`, `\\`, `\/`, `\n`…, `\uXXXX`) decoded, and `%XX` as many
 * times as `percent` says (`%252B` is `+` twice decoded). Without it, the JSON form of a secret
 * that holds `%` and two hex digits is found.
 */
function decoder(percent: 0 | 1 | 2): Read {
  return (text, emit) => {
    for (let at = 0; at < text.length; ) {
      const char = text[at];
      const twice = percent === 2 && text.startsWith('%25', at) ? hex(text, at + 3, 2) : -1;
      const byte = percent > 0 && char === '%' ? hex(text, at + 1, 2) : -1;
      if (twice >= 0) {
        emitByte(twice, at, at + 5, emit);
        at += 5;
      } else if (byte >= 0) {
        emitByte(byte, at, at + 3, emit);
        at += 3;
      } else if (char === '\\' && text[at + 1] === 'u' && hex(text, at + 2, 4) >= 0) {
        at = readUnicodeEscape(text, at, emit);
      } else if (char === '\\' && JSON_ESCAPES.has(text[at + 1])) {
        emitByte(JSON_ESCAPES.get(text[at + 1]) ?? 0, at, at + 2, emit);
        at += 2;
      } else {
        at = readPoint(text, at, emit);
      }
    }
  };
}

/** Reads the code point at `at`; returns where the next one begins. */
function readPoint(text: string, at: number, emit: Emit): number {
  const point = text.codePointAt(at) ?? 0;
  const end = at + (point > 0xffff ? 2 : 1);
  emitPoint(point, at, end, emit);
  return end;
}

/** Reads `\uXXXX` at `at`, with the `\uXXXX` of a surrogate pair's second half. */
function readUnicodeEscape(text: string, at: number, emit: Emit): number {
  const unit = hex(text, at + 2, 4);
  const low = text.startsWith('\\u', at + 6) ? hex(text, at + 8, 4) : -1;
  if (unit >= 0xd800 && unit <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
    emitPoint(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00), at, at + 12, emit);
    return at + 12;
  }
  emitPoint(unit, at, at + 6, emit);
  return at + 6;
}

/** The value of `digits` hex digits at `at`, or -1. */
function hex(text: string, at: number, digits: number): number {
  let value = 0;
  for (let i = at; i < at + digits; i++) {
    const digit = Number.parseInt(text[i] ?? '', 16);
    if (Number.isNaN(digit)) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** A code point as UTF-8 bytes; control characters and line separators are left out. */
function emitPoint(point: number, start: number, end: number, emit: Emit): void {
  if (point < 0x80) {
    emitByte(point, start, end, emit);
    return;
  }
  if (point <= 0x9f || point === 0x2028 || point === 0x2029) return;
  // A lone surrogate is U+FFFD in UTF-8, as Buffer writes it.
  const code = point >= 0xd800 && point <= 0xdfff ? 0xfffd : point;
  const continuations = code < 0x800 ? 1 : code < 0x10000 ? 2 : 3;
  emit(UTF8_LEAD[continuations] | (code >> (6 * continuations)), start, end);
  for (let shift = 6 * (continuations - 1); shift >= 0; shift -= 6) {
    emit(0x80 | ((code >> shift) & 0x3f), start, end);
  }
}

/**
 * One byte, canonical: a control character is left out, `+` is a space (form encoding), and a
 * letter is lower case, as a server may echo a hex signature or key in either case.
 */
function emitByte(byte: number, start: number, end: number, emit: Emit): void {
  if (byte < 0x20 || byte === 0x7f) return;
  if (byte >= 0x41 && byte <= 0x5a) emit(byte + 0x20, start, end);
  else emit(byte === 0x2b ? 0x20 : byte, start, end);
}

/** Canonical forms, and the automaton that finds them, built when first needed. */
class Dictionary {
  #forms: Uint8Array[] = [];
  #automaton: Automaton | undefined;
  size = 0;

  add(form: Uint8Array): void {
    if (form.length === 0) return;
    this.#forms.push(form);
    this.size += form.length;
    this.#automaton = undefined;
  }

  /** Moves every form of `other` here. */
  take(other: Dictionary): void {
    for (const form of other.#forms) this.add(form);
    other.#forms = [];
    other.size = 0;
    other.#automaton = undefined;
  }

  automaton(): Automaton | undefined {
    if (this.size === 0) return undefined;
    this.#automaton ??= new Automaton(this.#forms);
    return this.#automaton;
  }
}

/**
 * Aho–Corasick over bytes: a trie of the forms, each node linked to the node of its longest
 * proper suffix, so that reading a text costs a constant amortised time per byte however many
 * forms there are and however long they are. Node 0 is the root.
 */
class Automaton {
  /** The longest form's length. */
  readonly longest: number;
  readonly #rootChild = new Int32Array(256);
  readonly #byte: Uint8Array;
  readonly #firstChild: Int32Array;
  readonly #nextSibling: Int32Array;
  readonly #suffix: Int32Array;
  /** The length of the longest form that ends at each node, 0 for none. */
  readonly #matched: Int32Array;

  constructor(forms: readonly Uint8Array[]) {
    const capacity = 1 + forms.reduce((sum, form) => sum + form.length, 0);
    this.#byte = new Uint8Array(capacity);
    this.#firstChild = new Int32Array(capacity);
    this.#nextSibling = new Int32Array(capacity);
    this.#suffix = new Int32Array(capacity);
    this.#matched = new Int32Array(capacity);
    let nodes = 1;
    for (const form of forms) {
      let node = 0;
      for (const byte of form) {
        let next = this.#child(node, byte);
        if (next === 0) {
          next = nodes++;
          this.#byte[next] = byte;
          if (node === 0) this.#rootChild[byte] = next;
          else {
            this.#nextSibling[next] = this.#firstChild[node];
            this.#firstChild[node] = next;
          }
        }
        node = next;
      }
      this.#matched[node] = form.length;
    }
    this.longest = forms.reduce((longest, form) => Math.max(longest, form.length), 0);
    this.#linkSuffixes(nodes);
  }

  /** The state after reading `byte` in `state`. */
  step(state: number, byte: number): number {
    for (let node = state; ; node = this.#suffix[node]) {
      const next = this.#child(node, byte);
      if (next !== 0 || node === 0) return next;
    }
  }

  /** The length of the longest form that ends in `state`, 0 for none. */
  matched(state: number): number {
    return this.#matched[state];
  }

  #child(node: number, byte: number): number {
    if (node === 0) return this.#rootChild[byte];
    for (let child = this.#firstChild[node]; child !== 0; child = this.#nextSibling[child]) {
      if (this.#byte[child] === byte) return child;
    }
    return 0;
  }

  /** Breadth first, so that a node's suffix is complete before the node. */
  #linkSuffixes(nodes: number): void {
    const queue = new Int32Array(nodes);
    let tail = 0;
    for (const child of this.#rootChild) if (child !== 0) queue[tail++] = child;
    for (let head = 0; head < tail; head++) {
      const node = queue[head];
      for (let child = this.#firstChild[node]; child !== 0; child = this.#nextSibling[child]) {
        const suffix = this.step(this.#suffix[node], this.#byte[child]);
        this.#suffix[child] = suffix;
        this.#matched[child] = Math.max(this.#matched[child], this.#matched[suffix]);
        queue[tail++] = child;
      }
    }
  }
}

/** The spans of a text to replace; overlapping and adjacent spans become one. */
class Cover {
  #depth: Int32Array | undefined;

  constructor(private readonly length: number) {}

  add(start: number, end: number): void {
    this.#depth ??= new Int32Array(this.length + 1);
    this.#depth[start]++;
    this.#depth[end]--;
  }

  apply(text: string, replacement: string): string {
    const depth = this.#depth;
    if (depth === undefined) return text;
    let out = '';
    let kept = 0;
    let covered = 0;
    for (let at = 0; at <= this.length; at++) {
      const before = covered;
      covered += depth[at];
      if (before === 0 && covered > 0) out += text.slice(kept, at);
      else if (before > 0 && covered === 0) {
        out += replacement;
        kept = at;
      }
    }
    return out + text.slice(kept);
  }
}

/**
 * Variable values shorter than this are not masked: `1` or `on` carry no secret, and masking
 * them would turn every `1` of the log into `***`.
 */
export const MIN_MASKED_VALUE = 4;

/**
 * The values of variables read back from the cloud that are secrets: the rule for the values
 * the step gives holds (`DEBUG=1` is not masked, or every `1` of the log would be `***`).
 */
export function maskedValues(values: readonly unknown[]): string[] {
  return values.filter(
    (value): value is string => typeof value === 'string' && value.length >= MIN_MASKED_VALUE,
  );
}
