// The stand-in's strict zip reader: what it takes from every tool, what it refuses.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZipArchive } from 'archiver';
import { deflateSync } from 'fflate';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { zipContainer } from '../../src/zip/zip-container.js';
import { readZip, ZipError } from '../../stand-in/zip-reader.js';
import { temporaryFolder, writeTree } from '../support/folders.js';
import {
  centralDirectory,
  codeLike,
  hasUnzip,
  unzipNames,
  zipping,
} from '../support/zip-fixtures.js';

const tmp = temporaryFolder();
const { zip: zipFolder } = zipping(() => tmp.path);
const hasZip = spawnSync('zip', ['-v']).status === 0;

const FILES = {
  'index.js': 'exports.main = async () => 1;\n',
  'lib/ünïcode.js': 'ü',
  'lib/big.js': codeLike(300_000, 5).toString(),
  'empty.txt': '',
};

const ours = async () => (await zipFolder(writeTree(join(tmp.path, 'fn'), FILES))).zip;

const refusedWith = (zip: Buffer) => {
  try {
    readZip(zip);
  } catch (error) {
    expect(error).toBeInstanceOf(ZipError);
    return (error as Error).message;
  }
  return expect.fail('the zip was read');
};

/** Where the end record starts; where the central directory starts. */
const endOf = (zip: Buffer) => zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
const directoryOf = (zip: Buffer) => zip.readUInt32LE(endOf(zip) + 16);

describe('readZip', () => {
  it('reads what zipFunction makes: names in order, contents', async () => {
    const read = readZip(await ours());
    expect(read.names).toEqual(['empty.txt', 'index.js', 'lib/big.js', 'lib/ünïcode.js']);
    for (const [name, content] of Object.entries(FILES)) {
      expect(read.read(name).toString()).toBe(content);
    }
    expect(() => read.read('nope.js')).toThrow(new ZipError('no entry is named nope.js'));
  });

  it('reads what archiver makes, with data descriptors and folders', async () => {
    const dir = writeTree(join(tmp.path, 'src'), FILES);
    const archive = new ZipArchive({ zlib: { level: 6 } });
    const chunks: Buffer[] = [];
    archive.on('data', (chunk) => chunks.push(chunk));
    const ended = new Promise((done) => archive.on('end', done));
    archive.directory(dir, false);
    archive.append(Buffer.from('from a buffer'), { name: 'buffer.txt' });
    await archive.finalize();
    await ended;
    const zip = Buffer.concat(chunks);
    // Streamed entries carry their sizes after the data: bit 3.
    expect(centralDirectory(zip).some((entry) => entry.flags & 0x0008)).toBe(true);
    const read = readZip(zip);
    expect(read.names).toEqual(expect.arrayContaining(['index.js', 'lib/big.js', 'buffer.txt']));
    expect(read.read('lib/big.js').toString()).toBe(FILES['lib/big.js']);
    expect(read.read('buffer.txt').toString()).toBe('from a buffer');
  });

  it('reads what JSZip makes', async () => {
    const jszip = new JSZip();
    for (const [name, content] of Object.entries(FILES)) jszip.file(name, content);
    jszip.folder('empty-folder');
    const zip = await jszip.generateAsync({
      type: 'nodebuffer',
      compression: 'DEFLATE',
      compressionOptions: { level: 9 },
    });
    const read = readZip(zip);
    expect(read.names).toContain('empty-folder/');
    expect(read.read('lib/ünïcode.js').toString()).toBe('ü');
  });

  it.skipIf(!hasZip)('reads what Info-ZIP makes: a file, a stream, ZIP64 fields', () => {
    const dir = writeTree(join(tmp.path, 'src'), FILES);
    const made = (args: string[], out: string) => {
      const run = spawnSync('zip', args, { cwd: dir });
      expect(run.status).toBe(0);
      return run.stdout.length > 0 ? run.stdout : readFileSync(out);
    };
    const file = made(['-q', '-r', join(tmp.path, 'a.zip'), '.'], join(tmp.path, 'a.zip'));
    expect(readZip(file).read('lib/big.js').toString()).toBe(FILES['lib/big.js']);
    // To a pipe: sizes in data descriptors, after ZIP64 local fields.
    const streamed = made(['-q', '-', 'index.js', 'lib/big.js'], '');
    expect(centralDirectory(streamed).every((entry) => entry.flags & 0x0008)).toBe(true);
    expect(readZip(streamed).read('lib/big.js').toString()).toBe(FILES['lib/big.js']);
    const forced = made(
      ['-q', '-fz', join(tmp.path, 'z.zip'), 'index.js'],
      join(tmp.path, 'z.zip'),
    );
    expect(readZip(forced).read('index.js').toString()).toBe(FILES['index.js']);
  });

  describe('refuses a zip', () => {
    it('that is not one, or is cut, or has bytes after its end', async () => {
      const zip = await ours();
      expect(refusedWith(Buffer.from('not a zip at all, not even close'))).toBe(
        'no end of central directory record ends the zip',
      );
      expect(refusedWith(zip.subarray(0, zip.length - 5))).toBe(
        'no end of central directory record ends the zip',
      );
      expect(refusedWith(Buffer.concat([zip, Buffer.from('trailing')]))).toBe(
        'no end of central directory record ends the zip',
      );
      expect(refusedWith(zip.subarray(1000))).toMatch(/does not end where the end records begin/);
    });

    it('whose entry counts disagree, with each other or with the directory', async () => {
      const zip = await ours();
      const end = endOf(zip);
      const one = Buffer.from(zip);
      one.writeUInt16LE(5, end + 8);
      expect(refusedWith(one)).toBe('the end record counts 5 entries on this disk but 4 in all');
      const both = Buffer.from(zip);
      both.writeUInt16LE(3, end + 8);
      both.writeUInt16LE(3, end + 10);
      expect(refusedWith(both)).toBe('the central directory holds more than the 3 entries counted');
      both.writeUInt16LE(5, end + 8);
      both.writeUInt16LE(5, end + 10);
      expect(refusedWith(both)).toBe('the central directory holds 4 entries, not 5');
    });

    it('whose local header disagrees with the directory', async () => {
      const zip = await ours();
      const named = Buffer.from(zip);
      named[30] = 'E'.charCodeAt(0); // the first local header's name: empty.txt
      expect(refusedWith(named)).toBe('empty.txt: its local header names another entry');
      const sized = Buffer.from(zip);
      sized.writeUInt32LE(sized.readUInt32LE(22) + 1, 22);
      expect(refusedWith(sized)).toBe(
        "empty.txt: its local header's CRC or sizes differ from the directory's",
      );
    });

    it('whose data fails its CRC, or inflates to another size', async () => {
      const zip = await ours();
      const at = directoryOf(zip);
      const crc = Buffer.from(zip);
      // index.js, the second entry: its CRC in the local and the central header alike.
      const local = crc.readUInt32LE(at + 46 + 9 + 42);
      const central = at + 46 + 9;
      for (const field of [local + 14, central + 16])
        crc.writeUInt32LE(crc.readUInt32LE(field) ^ 1, field);
      expect(refusedWith(crc)).toBe('index.js fails its CRC-32 check');
      const size = Buffer.from(zip);
      for (const field of [local + 22, central + 24])
        size.writeUInt32LE(size.readUInt32LE(field) - 1, field);
      expect(refusedWith(size)).toMatch(/^index\.js does not inflate to its 29 bytes/);
    });

    it('that uses another method, or encryption', async () => {
      const zip = await ours();
      const at = directoryOf(zip);
      const method = Buffer.from(zip);
      method.writeUInt16LE(12, 8);
      method.writeUInt16LE(12, at + 10);
      expect(refusedWith(method)).toBe(
        'empty.txt uses compression method 12, not stored (0) or deflate (8)',
      );
      const encrypted = Buffer.from(zip);
      encrypted.writeUInt16LE(1, 6);
      encrypted.writeUInt16LE(1, at + 8);
      expect(refusedWith(encrypted)).toBe('empty.txt is encrypted');
    });

    it('with two entries of one name, or a name that climbs out', async () => {
      const jszip = new JSZip();
      jszip.file('a.js', 'a');
      jszip.file('b.js', 'b');
      const zip = await jszip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
      const twice = Buffer.from(zip.toString('latin1').replaceAll('b.js', 'a.js'), 'latin1');
      expect(refusedWith(twice)).toBe('two entries are named a.js');
      const climbs = Buffer.from(zip.toString('latin1').replaceAll('b.js', '../b'), 'latin1');
      expect(refusedWith(climbs)).toBe('the name "../b" is not a relative path');
    });
  });

  describe('more than 65,535 entries', () => {
    const COUNT = 70_001;
    /** COUNT empty entries, as the container writes them: ZIP64 end records. */
    const many = () => {
      const empty = deflateSync(new Uint8Array(0), { level: 6 });
      return zipContainer(
        Array.from({ length: COUNT }, (_, i) => ({
          name: Buffer.from(`d${i % 70}/${i}.js`),
          executable: false,
          crc: 0,
          size: 0,
          parts: [empty],
          compressedSize: empty.length,
        })),
      );
    };

    it('are read from the ZIP64 end record, as unzip reads them', () => {
      const zip = many();
      const read = readZip(zip);
      expect(read.names).toHaveLength(COUNT);
      expect(read.names[COUNT - 1]).toBe(`d${(COUNT - 1) % 70}/${COUNT - 1}.js`);
      // The end record says "see ZIP64".
      expect(zip.readUInt16LE(endOf(zip) + 10)).toBe(0xffff);
      if (hasUnzip) expect(unzipNames(zip, tmp.path)).toHaveLength(COUNT);
    });

    it('are refused when the count wraps, as it did in what zipSync wrote', () => {
      // The same zip without its ZIP64 records, the count in 16 bits: 70,001 - 65,536.
      const zip = many();
      const end = endOf(zip);
      const record = zip.readUInt32LE(end - 20 + 8);
      const wrapped = Buffer.concat([zip.subarray(0, record), zip.subarray(end)]);
      wrapped.writeUInt16LE(COUNT - 65_536, record + 8);
      wrapped.writeUInt16LE(COUNT - 65_536, record + 10);
      expect(refusedWith(wrapped)).toBe(
        `the central directory holds more than the ${COUNT - 65_536} entries counted`,
      );
    });

    it('are refused when the ZIP64 records disagree with the end record or the directory', () => {
      const zip = many();
      const end = endOf(zip);
      const record = zip.readUInt32LE(end - 20 + 8);
      const count = Buffer.from(zip);
      count.writeUInt16LE(COUNT - 65_536, end + 8);
      count.writeUInt16LE(COUNT - 65_536, end + 10);
      expect(refusedWith(count)).toBe(
        `the end record's entry count ${COUNT - 65_536} differs from ZIP64's ${COUNT}`,
      );
      const fewer = Buffer.from(zip);
      fewer.writeBigUInt64LE(BigInt(COUNT - 1), record + 24);
      fewer.writeBigUInt64LE(BigInt(COUNT - 1), record + 32);
      expect(refusedWith(fewer)).toBe(
        `the central directory holds more than the ${COUNT - 1} entries counted`,
      );
      const onDisk = Buffer.from(zip);
      onDisk.writeBigUInt64LE(BigInt(COUNT - 1), record + 24);
      expect(refusedWith(onDisk)).toBe(
        `the ZIP64 end record counts ${COUNT - 1} entries on this disk but ${COUNT} in all`,
      );
      const lost = Buffer.from(zip);
      lost.writeBigUInt64LE(BigInt(record - 1), end - 20 + 8);
      expect(refusedWith(lost)).toBe('the ZIP64 locator does not lead to a ZIP64 end record');
      const moved = Buffer.from(zip);
      moved.writeBigUInt64LE(moved.readBigUInt64LE(record + 48) + 1n, record + 48);
      expect(refusedWith(moved)).toMatch(/^the end record's directory offset \d+ differs/);
    });
  });
});
