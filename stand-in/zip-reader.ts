// A strict reader of zips, for the stand-in: the cloud unzips what it is sent, and a zip that one
// reader takes and another reads otherwise (an entry count that wrapped at 65,536, a local header
// that says something else than the directory) must fail here, not pass. It takes what APPNOTE.TXT
// 6.3.10 allows of single-disk zips: stored and deflated entries, data descriptors, ZIP64; it
// refuses encryption, other methods, spanning, and any two places that disagree. Every entry is
// inflated and its size and CRC-32 checked when the zip is opened.
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipContents {
  /** The entries' names, in the central directory's order (folders end with `/`). */
  names: string[];
  /** One entry's content. */
  read(name: string): Buffer;
}

/** Why a zip is refused. */
export class ZipError extends Error {
  override name = 'ZipError';
}

interface Entry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Where its data starts and where the entry (data descriptor included) ends. */
  dataAt: number;
  endsAt: number;
  localAt: number;
}

const END = 0x06054b50;
const ZIP64_END = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;
const STORED = 0;
const DEFLATED = 8;
// Encrypted (0), strong encryption (6), masked local header (13).
const FORBIDDEN_FLAGS = (1 << 0) | (1 << 6) | (1 << 13);
const DATA_DESCRIPTOR_FLAG = 1 << 3;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function readZip(zip: Buffer): ZipContents {
  const entries = centralDirectory(zip);
  const byName = new Map<string, Entry>();
  for (const entry of entries) {
    if (byName.has(entry.name)) throw new ZipError(`two entries are named ${entry.name}`);
    byName.set(entry.name, entry);
  }
  // Entries one after the other, none inside another, all before the directory.
  const ordered = [...entries].sort((a, b) => a.localAt - b.localAt);
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i].localAt < ordered[i - 1].endsAt) {
      throw new ZipError(`${ordered[i].name} overlaps ${ordered[i - 1].name}`);
    }
  }
  for (const entry of entries) inflate(zip, entry);
  return {
    names: entries.map((entry) => entry.name),
    read(name) {
      const entry = byName.get(name);
      if (!entry) throw new ZipError(`no entry is named ${name}`);
      return inflate(zip, entry);
    },
  };
}

function centralDirectory(zip: Buffer): Entry[] {
  const end = findEnd(zip);
  if (zip.readUInt16LE(end + 4) !== 0 || zip.readUInt16LE(end + 6) !== 0) {
    throw new ZipError('the zip spans several disks');
  }
  const onDisk = zip.readUInt16LE(end + 8);
  let count = zip.readUInt16LE(end + 10);
  if (onDisk !== count) {
    throw new ZipError(`the end record counts ${onDisk} entries on this disk but ${count} in all`);
  }
  let size = zip.readUInt32LE(end + 12);
  let offset = zip.readUInt32LE(end + 16);
  let directoryEnd = end;

  const locator = end - 20;
  if (locator >= 0 && zip.readUInt32LE(locator) === ZIP64_LOCATOR) {
    const record = Number(zip.readBigUInt64LE(locator + 8));
    if (zip.readUInt32LE(locator + 4) !== 0 || zip.readUInt32LE(locator + 16) !== 1) {
      throw new ZipError('the ZIP64 locator names another disk');
    }
    if (record < 0 || record + 56 > locator || zip.readUInt32LE(record) !== ZIP64_END) {
      throw new ZipError('the ZIP64 locator does not lead to a ZIP64 end record');
    }
    if (record + 12 + Number(zip.readBigUInt64LE(record + 4)) !== locator) {
      throw new ZipError('the ZIP64 end record does not end where its locator begins');
    }
    if (zip.readUInt32LE(record + 16) !== 0 || zip.readUInt32LE(record + 20) !== 0) {
      throw new ZipError('the ZIP64 end record names another disk');
    }
    const onDisk64 = Number(zip.readBigUInt64LE(record + 24));
    const count64 = Number(zip.readBigUInt64LE(record + 32));
    if (onDisk64 !== count64) {
      throw new ZipError(
        `the ZIP64 end record counts ${onDisk64} entries on this disk but ${count64} in all`,
      );
    }
    const size64 = Number(zip.readBigUInt64LE(record + 40));
    const offset64 = Number(zip.readBigUInt64LE(record + 48));
    // Each field of the end record is the same value, or all ones to say "see ZIP64".
    for (const [what, value, value64, ones] of [
      ['entry count', count, count64, MAX16],
      ['directory size', size, size64, MAX32],
      ['directory offset', offset, offset64, MAX32],
    ] as const) {
      if (value !== value64 && value !== ones) {
        throw new ZipError(`the end record's ${what} ${value} differs from ZIP64's ${value64}`);
      }
    }
    [count, size, offset, directoryEnd] = [count64, size64, offset64, record];
  }
  if (offset + size !== directoryEnd) {
    throw new ZipError(
      `the central directory (${size} bytes at ${offset}) does not end where the end records begin (${directoryEnd})`,
    );
  }

  const entries: Entry[] = [];
  let at = offset;
  while (at < directoryEnd) {
    if (entries.length === count) {
      throw new ZipError(`the central directory holds more than the ${count} entries counted`);
    }
    const entry = centralEntry(zip, at, directoryEnd);
    entries.push(entry.entry);
    at = entry.next;
  }
  if (entries.length !== count) {
    throw new ZipError(`the central directory holds ${entries.length} entries, not ${count}`);
  }
  for (const entry of entries) {
    if (entry.endsAt > offset) throw new ZipError(`${entry.name} runs into the central directory`);
  }
  return entries;
}

/** The end record: the last one whose comment reaches exactly to the end of the zip. */
function findEnd(zip: Buffer): number {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - MAX16); at--) {
    if (zip.readUInt32LE(at) === END && at + 22 + zip.readUInt16LE(at + 20) === zip.length) {
      return at;
    }
  }
  throw new ZipError('no end of central directory record ends the zip');
}

function centralEntry(
  zip: Buffer,
  at: number,
  directoryEnd: number,
): { entry: Entry; next: number } {
  if (at + 46 > directoryEnd || zip.readUInt32LE(at) !== CENTRAL) {
    throw new ZipError(`no central directory header at ${at}`);
  }
  const needed = zip.readUInt16LE(at + 6) & 0xff;
  const flags = zip.readUInt16LE(at + 8);
  const method = zip.readUInt16LE(at + 10);
  const nameLength = zip.readUInt16LE(at + 28);
  const extraLength = zip.readUInt16LE(at + 30);
  const next = at + 46 + nameLength + extraLength + zip.readUInt16LE(at + 32);
  if (next > directoryEnd) throw new ZipError(`the central directory header at ${at} overruns it`);
  const nameBytes = zip.subarray(at + 46, at + 46 + nameLength);
  const name = decodeName(nameBytes);
  if (needed > 45) throw new ZipError(`${name} needs a reader of version ${needed / 10}`);
  if (flags & FORBIDDEN_FLAGS) throw new ZipError(`${name} is encrypted`);
  if (method !== STORED && method !== DEFLATED) {
    throw new ZipError(`${name} uses compression method ${method}, not stored (0) or deflate (8)`);
  }
  const fields = {
    size: zip.readUInt32LE(at + 24),
    compressedSize: zip.readUInt32LE(at + 20),
    localAt: zip.readUInt32LE(at + 42),
    disk: zip.readUInt16LE(at + 34),
  };
  const extra = zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
  const wide = zip64Values(extra, name, [
    fields.size === MAX32,
    fields.compressedSize === MAX32,
    fields.localAt === MAX32,
    fields.disk === MAX16,
  ]);
  const [size, compressedSize, localAt, disk] = [
    fields.size,
    fields.compressedSize,
    fields.localAt,
    fields.disk,
  ].map((value, i) => wide[i] ?? value);
  if (disk !== 0) throw new ZipError(`${name} starts on another disk`);
  const crc = zip.readUInt32LE(at + 16);

  // The local header must say what the central one says.
  if (localAt + 30 > zip.length || zip.readUInt32LE(localAt) !== LOCAL) {
    throw new ZipError(`${name} has no local header at ${localAt}`);
  }
  const localNameLength = zip.readUInt16LE(localAt + 26);
  const localExtraLength = zip.readUInt16LE(localAt + 28);
  const dataAt = localAt + 30 + localNameLength + localExtraLength;
  if (!zip.subarray(localAt + 30, localAt + 30 + localNameLength).equals(nameBytes)) {
    throw new ZipError(`${name}: its local header names another entry`);
  }
  if (zip.readUInt16LE(localAt + 6) !== flags || zip.readUInt16LE(localAt + 8) !== method) {
    throw new ZipError(`${name}: its local header's flags or method differ from the directory's`);
  }
  let endsAt = dataAt + compressedSize;
  const localExtra = zip.subarray(localAt + 30 + localNameLength, dataAt);
  const local = {
    crc: zip.readUInt32LE(localAt + 14),
    compressedSize: zip.readUInt32LE(localAt + 18),
    size: zip.readUInt32LE(localAt + 22),
  };
  // A local ZIP64 field holds both sizes (4.5.3).
  const local64 = zip64Values(localExtra, name, [
    local.size === MAX32 || local.compressedSize === MAX32,
    local.size === MAX32 || local.compressedSize === MAX32,
  ]);
  const localSizes = {
    size: local64[0] ?? local.size,
    compressedSize: local64[1] ?? local.compressedSize,
  };
  if (flags & DATA_DESCRIPTOR_FLAG) {
    // The values follow the data, after an optional signature; 8-byte sizes with ZIP64.
    let d = endsAt;
    if (d + 4 <= zip.length && zip.readUInt32LE(d) === DESCRIPTOR) d += 4;
    const zip64 = extraIds(localExtra).includes(1);
    const width = zip64 ? 8 : 4;
    if (d + 4 + 2 * width > zip.length) throw new ZipError(`${name}: its data descriptor is cut`);
    const read = (p: number) => (zip64 ? Number(zip.readBigUInt64LE(p)) : zip.readUInt32LE(p));
    local.crc = zip.readUInt32LE(d);
    localSizes.compressedSize = read(d + 4);
    localSizes.size = read(d + 4 + width);
    endsAt = d + 4 + 2 * width;
  }
  if (
    local.crc !== crc ||
    localSizes.size !== size ||
    localSizes.compressedSize !== compressedSize
  ) {
    throw new ZipError(`${name}: its local header's CRC or sizes differ from the directory's`);
  }
  if (endsAt > zip.length) throw new ZipError(`${name}: its data runs past the end of the zip`);
  return { entry: { name, method, crc, compressedSize, size, dataAt, endsAt, localAt }, next };
}

function decodeName(bytes: Buffer): string {
  let name: string;
  try {
    name = utf8.decode(bytes);
  } catch {
    throw new ZipError(`the name ${bytes.toString('hex')} (hex) is not UTF-8`);
  }
  const parts = name.split('/');
  if (name === '' || name.startsWith('/') || name.includes('\\') || parts.includes('..')) {
    throw new ZipError(`the name ${JSON.stringify(name)} is not a relative path`);
  }
  return name;
}

/** The extra field's records, by id; they must fill it exactly. */
function extraIds(extra: Buffer): number[] {
  const ids: number[] = [];
  for (let at = 0; at < extra.length; ) {
    if (at + 4 > extra.length || at + 4 + extra.readUInt16LE(at + 2) > extra.length) {
      throw new ZipError('an extra field is cut');
    }
    ids.push(extra.readUInt16LE(at));
    at += 4 + extra.readUInt16LE(at + 2);
  }
  return ids;
}

/**
 * The values of the ZIP64 extra field (id 1) for the fields that are all ones (`wanted`), in
 * APPNOTE's order: size, compressed size, offset (8 bytes each), disk (4).
 */
function zip64Values(extra: Buffer, name: string, wanted: boolean[]): (number | undefined)[] {
  extraIds(extra);
  let at = 0;
  while (at < extra.length && extra.readUInt16LE(at) !== 1) at += 4 + extra.readUInt16LE(at + 2);
  const values: (number | undefined)[] = [];
  if (!wanted.includes(true)) return values;
  if (at >= extra.length) throw new ZipError(`${name}: a field says ZIP64 but has no ZIP64 field`);
  const end = at + 4 + extra.readUInt16LE(at + 2);
  let p = at + 4;
  for (const [i, want] of wanted.entries()) {
    if (!want) continue;
    const width = i === 3 ? 4 : 8;
    if (p + width > end) throw new ZipError(`${name}: its ZIP64 field is too short`);
    values[i] = width === 8 ? Number(extra.readBigUInt64LE(p)) : extra.readUInt32LE(p);
    p += width;
  }
  return values;
}

function inflate(zip: Buffer, entry: Entry): Buffer {
  const raw = zip.subarray(entry.dataAt, entry.dataAt + entry.compressedSize);
  let data: Buffer;
  if (entry.method === STORED) data = raw;
  else {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
    } catch (error) {
      throw new ZipError(`${entry.name} does not inflate to its ${entry.size} bytes: ${error}`);
    }
  }
  if (data.length !== entry.size) {
    throw new ZipError(`${entry.name} is ${data.length} bytes, not the ${entry.size} it says`);
  }
  if (crc32(data) !== entry.crc) throw new ZipError(`${entry.name} fails its CRC-32 check`);
  return data;
}
