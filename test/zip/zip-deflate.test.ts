// Deflating files in pieces: the pieces make one deflate stream, the same however they are
// grouped, and every way a read can fail is told apart.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { Deflate, deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  crc32Combine,
  type DeflateResult,
  type DeflateTools,
  deflatePieces,
  PIECE_BYTES,
  type Piece,
} from '../../src/zip/zip-deflate.js';
import { temporaryFolder } from '../support/folders.js';
import { codeLike, noise } from '../support/zip-fixtures.js';

const tmp = temporaryFolder();
const tools: DeflateTools = {
  fflate: { Deflate, deflateSync },
  fs: { closeSync, openSync, readSync },
  crc32,
};
const deflate = (pieces: Piece[], limit = Number.POSITIVE_INFINITY): DeflateResult =>
  deflatePieces(tools, { pieces, reached: new SharedArrayBuffer(8), limit });
/** The pieces of a file, cut as the pool cuts them. */
const piecesOf = (path: string, size: number): Piece[] =>
  Array.from({ length: Math.max(1, Math.ceil(size / PIECE_BYTES)) }, (_, i) => ({
    path,
    size,
    offset: i * PIECE_BYTES,
    length: Math.min(PIECE_BYTES, size - i * PIECE_BYTES),
  }));
const deflated = (result: DeflateResult) => {
  if (!('pieces' in result)) return expect.fail(JSON.stringify(result));
  return result;
};

describe('crc32Combine', () => {
  it('gives the CRC-32 of two parts from theirs, as zlib computes the whole', () => {
    const data = randomBytes(3 * 1024 * 1024 + 7);
    for (const cut of [0, 1, 4095, PIECE_BYTES, data.length - 1, data.length]) {
      const [a, b] = [data.subarray(0, cut), data.subarray(cut)];
      expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(data));
    }
  });
});

describe('deflatePieces', () => {
  // Contents that compress well, not at all, or both, in many lengths: each piece's deflate
  // ends on some bit of its last byte, and each of the eight must give a valid stream (these 48
  // cuts reach all eight, as fflate 0.8.3 deflates them).
  const contents = Array.from({ length: 24 }, (_, i) => {
    const length = 2 * PIECE_BYTES + 1 + i * 40_961;
    if (i % 3 === 0) return noise(length, i + 1);
    if (i % 3 === 1)
      return Buffer.concat([codeLike(PIECE_BYTES, i), noise(length - PIECE_BYTES, i)]);
    return codeLike(length, i + 1);
  });

  it('cuts a large file in pieces that make one deflate stream, with its CRC-32', () => {
    for (const [i, content] of contents.entries()) {
      const path = join(tmp.path, `${i}.bin`);
      writeFileSync(path, content);
      const { pieces, data } = deflated(deflate(piecesOf(path, content.length)));
      expect(inflateRawSync(data).equals(content)).toBe(true);
      const crc = pieces.reduce(
        (joined, piece, p) =>
          p === 0
            ? piece.crc
            : crc32Combine(joined, piece.crc, piecesOf(path, content.length)[p].length),
        0,
      );
      expect(crc).toBe(crc32(content));
    }
  });

  it('gives each piece the same bytes, whatever task it is in', () => {
    const path = join(tmp.path, 'file.bin');
    writeFileSync(path, contents[1]);
    const pieces = piecesOf(path, contents[1].length);
    const together = deflated(deflate(pieces));
    const apart = pieces.map((piece) => deflated(deflate([piece])));
    expect(Buffer.concat(apart.map((result) => result.data)).equals(together.data)).toBe(true);
  });

  it('deflates a small file whole, as fflate does', () => {
    const path = join(tmp.path, 'small.js');
    const content = codeLike(5000, 9);
    writeFileSync(path, content);
    const { data } = deflated(deflate(piecesOf(path, content.length)));
    expect(Buffer.from(data).equals(Buffer.from(deflateSync(content, { level: 6 })))).toBe(true);
  });

  it('says which piece could not be read, and which file changed since it was walked', () => {
    const path = join(tmp.path, 'file.txt');
    writeFileSync(path, 'twelve bytes');
    const good = piecesOf(path, 12);
    expect(deflate([...good, ...piecesOf(join(tmp.path, 'gone'), 3)])).toEqual({
      failed: 1,
      code: 'ENOENT',
    });
    expect(deflate([...good, ...piecesOf(path, 11)])).toEqual({ failed: 1, code: 'CHANGED' });
    expect(deflate([...good, ...piecesOf(path, 13)])).toEqual({ failed: 1, code: 'CHANGED' });
  });

  it('stops as soon as the zip would pass its limit', () => {
    const path = join(tmp.path, 'random.bin');
    writeFileSync(path, randomBytes(3 * PIECE_BYTES));
    const pieces = piecesOf(path, 3 * PIECE_BYTES);
    const reached = new SharedArrayBuffer(8);
    const result = deflatePieces(tools, { pieces, reached, limit: PIECE_BYTES + 1000 });
    expect(result).toEqual({ tooLarge: true });
    // It counted two pieces, the second too many, and never read the third.
    const counted = Number(new BigInt64Array(reached)[0]);
    expect(counted).toBeGreaterThan(2 * PIECE_BYTES);
    expect(counted).toBeLessThan(3 * PIECE_BYTES);
  });
});
