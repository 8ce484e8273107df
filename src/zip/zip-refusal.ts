// Why a folder cannot become a function's code, said once and in one form: the zip code throws a
// Refusal with the reason, and zipFunction puts the folder in front and the period at the end.

export class Refusal extends Error {
  /**
   * @param reason What is wrong, naming the file or link by its path in the folder; no period.
   * @param colon Whether the reason follows the folder after a colon (`Function folder X: …`) or
   *   directly (`Function folder X does not exist`).
   * @param tooLarge Whether what is wrong is the size: leaving files out would help.
   */
  constructor(
    readonly reason: string,
    readonly colon = true,
    readonly tooLarge = false,
  ) {
    super(reason);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as text, each byte that is not part of valid UTF-8 shown as `\xNN`. */
export function shown(bytes: Uint8Array): string {
  let text = '';
  let from = 0;
  for (let at = 0; at < bytes.length; ) {
    const length = sequenceLength(bytes, at);
    if (length > 0) {
      at += length;
      continue;
    }
    text += utf8.decode(bytes.subarray(from, at));
    text += `\\x${bytes[at].toString(16).padStart(2, '0')}`;
    at += 1;
    from = at;
  }
  return text + utf8.decode(bytes.subarray(from));
}

/** The length of the valid UTF-8 sequence at `at`, or 0 (Unicode 15, table 3-7). */
function sequenceLength(bytes: Uint8Array, at: number): number {
  const lead = bytes[at];
  if (lead < 0x80) return 1;
  // The range the second byte must be in, after each lead byte; the others are 80-BF.
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) low = 0xa0;
    if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) low = 0x90;
    if (lead === 0xf4) high = 0x8f;
  } else return 0;
  if (at + length > bytes.length) return 0;
  if (bytes[at + 1] < low || bytes[at + 1] > high) return 0;
  for (let i = 2; i < length; i++) {
    if (bytes[at + i] < 0x80 || bytes[at + i] > 0xbf) return 0;
  }
  return length;
}
