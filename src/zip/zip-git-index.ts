// Git's index file, read as git documents it (Documentation/gitformat-index.txt), for the modes it
// records: versions 2, 3 and 4 (paths prefix-compressed), SHA-1 or SHA-256 object names, the
// trailing checksum or the zeros of `index.skipHash`. Extensions are skipped. A split index (its
// entries are elsewhere) or a sparse one (folders stand for their files) is not read: the caller
// asks git instead.
import { createHash } from 'node:crypto';

interface IndexModes {
  /** Paths, posix, relative to the work tree, recorded as executable (mode 100755). */
  executables: string[];
  /** Paths of the submodules (mode 160000): their files are in their own index. */
  submodules: string[];
}

const EXECUTABLE = 0o100755;
const SUBMODULE = 0o160000;
const SPARSE_FOLDER = 0o040000;
// ctime, mtime, dev, ino, mode, uid, gid, size: 4 bytes each but the times, 8.
const STAT_BYTES = 40;
const MODE_AT = 24;

/** What the index records, or why it cannot be read here. */
export function readIndex(data: Buffer): IndexModes | { unreadable: string } {
  if (data.length < 12 || data.toString('latin1', 0, 4) !== 'DIRC') {
    return { unreadable: 'is not an index file' };
  }
  const version = data.readUInt32BE(4);
  if (version < 2 || version > 4) return { unreadable: `is of version ${version}` };
  for (const hashBytes of hashBytesOf(data)) {
    const read = entries(data, version, hashBytes);
    if (read) return read;
  }
  return { unreadable: 'is damaged' };
}

/** The object name's length the checksum proves, or both to try when it is zeros. */
function hashBytesOf(data: Buffer): number[] {
  const sums = (bytes: number, algorithm: string) =>
    data.length >= 12 + bytes &&
    createHash(algorithm)
      .update(data.subarray(0, data.length - bytes))
      .digest()
      .equals(data.subarray(data.length - bytes));
  if (sums(20, 'sha1')) return [20];
  if (sums(32, 'sha256')) return [32];
  const zeros = data.length >= 32 && data.subarray(data.length - 20).every((byte) => byte === 0);
  return zeros ? [20, 32] : [];
}

/** The entries, or undefined when they do not fit the file as `hashBytes` reads it. */
function entries(
  data: Buffer,
  version: number,
  hashBytes: number,
): IndexModes | { unreadable: string } | undefined {
  const end = data.length - hashBytes;
  const count = data.readUInt32BE(8);
  const modes: IndexModes = { executables: [], submodules: [] };
  let at = 12;
  let previous: Buffer = Buffer.alloc(0);
  for (let i = 0; i < count; i++) {
    const flagsAt = at + STAT_BYTES + hashBytes;
    if (flagsAt + 2 > end) return undefined;
    const mode = data.readUInt32BE(at + MODE_AT);
    const flags = data.readUInt16BE(flagsAt);
    // Version 3 and later: a second flags word when the extended bit is set.
    const nameAt = flagsAt + 2 + (version >= 3 && flags & 0x4000 ? 2 : 0);
    let path: Buffer;
    if (version === 4) {
      // The bytes to drop from the end of the previous path, then the rest of this one.
      const strip = varint(data, nameAt, end);
      if (!strip || strip.value > previous.length) return undefined;
      const nul = data.indexOf(0, strip.next);
      if (nul < 0 || nul >= end) return undefined;
      path = Buffer.concat([
        previous.subarray(0, previous.length - strip.value),
        data.subarray(strip.next, nul),
      ]);
      at = nul + 1;
    } else {
      const nul = data.indexOf(0, nameAt);
      const length = flags & 0xfff;
      if (nul < 0 || nul >= end || (length < 0xfff && nul - nameAt !== length)) return undefined;
      path = data.subarray(nameAt, nul);
      // Padded with 1 to 8 NULs to a multiple of 8 bytes.
      at += (nul - at + 8) & ~7;
      if (at > end) return undefined;
    }
    previous = path;
    if (mode === SPARSE_FOLDER) return { unreadable: 'is a sparse index' };
    if (mode === EXECUTABLE) modes.executables.push(path.toString('utf8'));
    else if (mode === SUBMODULE) modes.submodules.push(path.toString('utf8'));
  }
  // Extensions: a signature, a size, the data. `link` holds where a split index keeps its entries.
  while (at + 8 <= end) {
    if (data.toString('latin1', at, at + 4) === 'link') {
      return { unreadable: 'is a split index' };
    }
    at += 8 + data.readUInt32BE(at + 4);
  }
  return at === end ? modes : undefined;
}

/** Git's offset varint (varint.c): 7 bits a byte, each continuation adding one. */
function varint(
  data: Buffer,
  at: number,
  end: number,
): { value: number; next: number } | undefined {
  let value = 0;
  // Five bytes hold more than any path's length.
  for (let i = at; i < end && i < at + 5; i++) {
    const byte = data[i];
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) return { value, next: i + 1 };
    value += 1;
  }
  return undefined;
}
