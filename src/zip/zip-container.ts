// The zip container around deflated entries (PKWARE's APPNOTE.TXT 6.3.10): a local header and
// the data of each entry, the central directory, the end record. Every field is fixed or follows
// from the content, so the same entries give the same bytes:
// - no data descriptors, no comments, no extra fields;
// - time and date 1980-01-01 00:00, the earliest a DOS date can say, in every time zone;
// - "made by" Unix (3), with the file's mode in the high half of the external attributes, so that
//   unzip tools restore 0644 and 0755;
// - the UTF-8 flag (bit 11) on names that are not plain ASCII, as 4.4.4 and appendix D say.
// ZIP64: a folder's files total at most MAX_UNZIPPED_BYTES (500 MiB), so no entry's sizes or
// offset reach the 4 GiB their fields can say, and entries need no ZIP64 fields. The count of
// entries can pass its 65,535: then the ZIP64 end record and its locator come before the end
// record, which says 0xFFFF (4.4.1.4), as they do when the directory's size or offset pass 4 GiB.

interface ZipEntry {
  /** The posix path, as UTF-8. */
  name: Uint8Array;
  executable: boolean;
  crc: number;
  /** Bytes before deflating. */
  size: number;
  /** The raw deflate stream, in parts. */
  parts: readonly Uint8Array[];
  compressedSize: number;
}

const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END = 22;
const ZIP64_END = 56;
const ZIP64_LOCATOR = 20;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;
const DEFLATE = 8;
const UTF8_FLAG = 0x0800;
const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const UNIX = 3;
// 2.0: deflate; 4.5: ZIP64.
const VERSION = 20;
const VERSION_ZIP64 = 45;
const FILE_MODE = 0o100644;
const EXECUTABLE_MODE = 0o100755;

/** The bytes an entry of this name adds to a zip besides its data. */
export function headerBytes(nameLength: number): number {
  return LOCAL_HEADER + CENTRAL_HEADER + 2 * nameLength;
}

/** The bytes that follow the entries and the directory, for this many entries. */
export function endBytes(count: number): number {
  return END + (count >= MAX16 ? ZIP64_END + ZIP64_LOCATOR : 0);
}

export function zipContainer(entries: readonly ZipEntry[]): Buffer {
  const offsets: number[] = [];
  let offset = 0;
  let directorySize = 0;
  for (const entry of entries) {
    if (entry.size >= MAX32 || entry.compressedSize >= MAX32 || offset >= MAX32) {
      throw new Error('an entry needs ZIP64 fields, which the limits on size leave out');
    }
    offsets.push(offset);
    offset += LOCAL_HEADER + entry.name.length + entry.compressedSize;
    directorySize += CENTRAL_HEADER + entry.name.length;
  }
  const count = entries.length;
  const zip64 = count >= MAX16 || directorySize >= MAX32 || offset >= MAX32;
  const zip = Buffer.alloc(offset + directorySize + (zip64 ? ZIP64_END + ZIP64_LOCATOR : 0) + END);

  let at = 0;
  for (const entry of entries) {
    at = zip.writeUInt32LE(0x04034b50, at);
    at = zip.writeUInt16LE(VERSION, at);
    at = writeShared(zip, at, entry);
    at = zip.writeUInt16LE(0, at); // extra field length
    zip.set(entry.name, at);
    at += entry.name.length;
    for (const part of entry.parts) {
      zip.set(part, at);
      at += part.length;
    }
  }
  for (const [i, entry] of entries.entries()) {
    at = zip.writeUInt32LE(0x02014b50, at);
    at = zip.writeUInt16LE((UNIX << 8) | VERSION, at);
    at = zip.writeUInt16LE(VERSION, at);
    at = writeShared(zip, at, entry);
    at = zip.writeUInt16LE(0, at); // extra field length
    at = zip.writeUInt16LE(0, at); // comment length
    at = zip.writeUInt16LE(0, at); // disk
    at = zip.writeUInt16LE(0, at); // internal attributes
    at = zip.writeUInt32LE(((entry.executable ? EXECUTABLE_MODE : FILE_MODE) << 16) >>> 0, at);
    at = zip.writeUInt32LE(offsets[i], at);
    zip.set(entry.name, at);
    at += entry.name.length;
  }

  if (zip64) {
    const zip64End = at;
    at = zip.writeUInt32LE(0x06064b50, at);
    at = writeUInt64(zip, ZIP64_END - 12, at); // the size of the rest of the record
    at = zip.writeUInt16LE((UNIX << 8) | VERSION_ZIP64, at);
    at = zip.writeUInt16LE(VERSION_ZIP64, at);
    at = zip.writeUInt32LE(0, at); // this disk
    at = zip.writeUInt32LE(0, at); // the directory's disk
    at = writeUInt64(zip, count, at); // on this disk
    at = writeUInt64(zip, count, at);
    at = writeUInt64(zip, directorySize, at);
    at = writeUInt64(zip, offset, at);
    at = zip.writeUInt32LE(0x07064b50, at);
    at = zip.writeUInt32LE(0, at); // the ZIP64 end record's disk
    at = writeUInt64(zip, zip64End, at);
    at = zip.writeUInt32LE(1, at); // disks
  }
  at = zip.writeUInt32LE(0x06054b50, at);
  at = zip.writeUInt16LE(0, at); // this disk
  at = zip.writeUInt16LE(0, at); // the directory's disk
  at = zip.writeUInt16LE(Math.min(count, MAX16), at); // on this disk
  at = zip.writeUInt16LE(Math.min(count, MAX16), at);
  at = zip.writeUInt32LE(Math.min(directorySize, MAX32), at);
  at = zip.writeUInt32LE(Math.min(offset, MAX32), at);
  zip.writeUInt16LE(0, at); // comment length
  return zip;
}

/** From the flags to the name's length: what local and central headers have in common. */
function writeShared(zip: Buffer, at: number, entry: ZipEntry): number {
  const ascii = entry.name.every((byte) => byte < 0x80);
  at = zip.writeUInt16LE(ascii ? 0 : UTF8_FLAG, at);
  at = zip.writeUInt16LE(DEFLATE, at);
  at = zip.writeUInt16LE(0, at); // 00:00:00
  at = zip.writeUInt16LE(DOS_DATE_1980_01_01, at);
  at = zip.writeUInt32LE(entry.crc >>> 0, at);
  at = zip.writeUInt32LE(entry.compressedSize, at);
  at = zip.writeUInt32LE(entry.size, at);
  return zip.writeUInt16LE(entry.name.length, at);
}

const writeUInt64 = (zip: Buffer, value: number, at: number) =>
  zip.writeBigUInt64LE(BigInt(value), at);
