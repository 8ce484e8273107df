// Reads files and deflates them: the work of the zip that costs CPU. It runs on the main thread
// for a small folder and in the pool's workers otherwise, where it is started from its own source
// text (see zip-pool.ts). So `deflatePieces` must use nothing from outside its body but its
// parameters and the globals every thread has, and must not name inner functions (tsx
// wraps them in a `__name` call, a function that a worker does not have).
//
// A file of up to PIECE_BYTES is deflated whole, as fflate's zipSync does. A larger one is cut in
// pieces of PIECE_BYTES (the last one shorter), deflated each on its own, as pigz does, so that
// the threads share a large file too and no more than a piece is in memory at once: each piece
// starts from the 32 KiB before it as dictionary, so matches still reach back across the cut, and
// ends byte-aligned with an empty stored block (a sync flush), but the last, which ends the stream.
// The pieces, put end to end, are one deflate stream. The bytes depend on the content alone:
// fflate is plain JavaScript pinned to one version (Node's zlib may change its output with the
// release and the CPU), the level is 6, and where the pieces are cut is fixed.
import type * as fs from 'node:fs';
import type * as zlib from 'node:zlib';
import type * as fflate from 'fflate';

export const PIECE_BYTES = 1024 * 1024;

export interface DeflateTools {
  fflate: Pick<typeof fflate, 'Deflate' | 'deflateSync'>;
  fs: Pick<typeof fs, 'openSync' | 'readSync' | 'closeSync'>;
  crc32: typeof zlib.crc32;
}

/** Bytes `offset` to `offset + length` of the file at `path` (a real path) of `size` bytes. */
export interface Piece {
  path: string;
  size: number;
  offset: number;
  length: number;
}

export interface DeflateTask {
  pieces: Piece[];
  /** One BigInt64: the bytes the zip has reached so far, added to by every thread of the folder. */
  reached: SharedArrayBuffer;
  /** The zip may not grow past this: the task stops as soon as `reached` does. */
  limit: number;
}

/** A piece deflated: its CRC-32 alone, and how many bytes of the task's `data` are its. */
interface DeflatedPiece {
  crc: number;
  compressedSize: number;
}

export type DeflateResult =
  /** The pieces' deflate streams are in `data` one after the other: one buffer to hand over. */
  | { pieces: DeflatedPiece[]; data: Uint8Array }
  | { tooLarge: true }
  /** The piece at `failed` could not be read (an errno code), or its file changed (`CHANGED`). */
  | { failed: number; code: string };

export function deflatePieces(tools: DeflateTools, task: DeflateTask): DeflateResult {
  // Literals, not module constants: this body must stand alone (see above).
  const level = 6;
  const window = 32 * 1024;
  const reached = new BigInt64Array(task.reached);
  const pieces: DeflatedPiece[] = [];
  let out = new Uint8Array(64 * 1024);
  let used = 0;
  for (let index = 0; index < task.pieces.length; index++) {
    const { path, size, offset, length } = task.pieces[index];
    const start = Math.max(0, offset - window);
    // One read for the dictionary and the piece, and one byte more to see whether the file ends.
    const last = offset + length === size;
    const bytes = new Uint8Array(offset + length - start + (last ? 1 : 0));
    let got = 0;
    let fd: number | undefined;
    try {
      fd = tools.fs.openSync(path, 'r');
      while (got < bytes.length) {
        const n = tools.fs.readSync(fd, bytes, got, bytes.length - got, start + got);
        if (n === 0) break;
        got += n;
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code !== 'string') throw error;
      return { failed: index, code };
    } finally {
      if (fd !== undefined) tools.fs.closeSync(fd);
    }
    if (got !== offset + length - start) return { failed: index, code: 'CHANGED' };

    const data = bytes.subarray(offset - start, offset + length - start);
    const parts: Uint8Array[] = [];
    if (offset === 0 && last) {
      parts.push(tools.fflate.deflateSync(data, { level }));
    } else {
      const dictionary = bytes.subarray(0, offset - start);
      const stream = new tools.fflate.Deflate({ level, dictionary }, (chunk) => {
        parts.push(chunk);
      });
      stream.push(data, last);
      if (!last) {
        // End on a byte boundary with an empty stored block, as zlib's Z_SYNC_FLUSH does. Not
        // fflate's flush(true): it puts the block's lengths a byte early when 6 bits of the last
        // byte are taken. fflate keeps that byte back: its bits taken (r & 7) and value (r >> 3).
        const r = (stream as unknown as { s: { r: number } }).s.r;
        const tail = new Uint8Array(Math.ceil(((r & 7) + 3) / 8) + 4);
        tail[0] = r >> 3;
        tail.set([0x00, 0x00, 0xff, 0xff], tail.length - 4);
        parts.push(tail);
      }
    }
    const piece: DeflatedPiece = { crc: tools.crc32(data), compressedSize: 0 };
    for (const part of parts) {
      if (used + part.length > out.length) {
        const grown = new Uint8Array(Math.max(2 * out.length, used + part.length));
        grown.set(out.subarray(0, used));
        out = grown;
      }
      out.set(part, used);
      used += part.length;
      piece.compressedSize += part.length;
    }
    const before = Atomics.add(reached, 0, BigInt(piece.compressedSize));
    if (Number(before) + piece.compressedSize > task.limit) return { tooLarge: true };
    pieces.push(piece);
  }
  return { pieces, data: out.subarray(0, used) };
}

// CRC-32's polynomial, reflected, and x^(2^k) modulo it: for joining the CRCs of pieces.
const POLYNOMIAL = 0xedb88320;
const X_2N: number[] = [0x40000000];
for (let k = 1; k < 32; k++) X_2N.push(multiplyModP(X_2N[k - 1], X_2N[k - 1]));

/** The CRC-32 of `a` then `b`, from theirs and b's length (zlib's crc32_combine). */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  // x^(8 * lengthB) modulo p, from the powers of two of x.
  let power = 0x80000000;
  for (let n = lengthB, k = 3; n > 0; n = Math.floor(n / 2), k++) {
    if (n % 2 === 1) power = multiplyModP(X_2N[k % 32], power);
  }
  return (multiplyModP(power, crcA) ^ crcB) >>> 0;
}

/** a(x) b(x) modulo p(x), both reflected. */
function multiplyModP(a: number, b: number): number {
  let product = 0;
  for (let bit = 0x80000000; bit !== 0; bit >>>= 1) {
    if ((a & bit) !== 0) product ^= b;
    b = b & 1 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
  }
  return product >>> 0;
}
