export const id = 741;
export const ids = [741];
export const modules = {

/***/ 9741:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CodeFolderError: () => (/* binding */ CodeFolderError),
  zipFunction: () => (/* binding */ zipFunction)
});

// UNUSED EXPORTS: MAX_UNZIPPED_BYTES, zipWith

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/zip/zip-container.ts
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
function headerBytes(nameLength) {
    return LOCAL_HEADER + CENTRAL_HEADER + 2 * nameLength;
}
/** The bytes that follow the entries and the directory, for this many entries. */
function endBytes(count) {
    return END + (count >= MAX16 ? ZIP64_END + ZIP64_LOCATOR : 0);
}
function zipContainer(entries) {
    const offsets = [];
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
function writeShared(zip, at, entry) {
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
const writeUInt64 = (zip, value, at) => zip.writeBigUInt64LE(BigInt(value), at);

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/zip/zip-git-index.ts
// Git's index file, read as git documents it (Documentation/gitformat-index.txt), for the modes it
// records: versions 2, 3 and 4 (paths prefix-compressed), SHA-1 or SHA-256 object names, the
// trailing checksum or the zeros of `index.skipHash`. Extensions are skipped. A split index (its
// entries are elsewhere) or a sparse one (folders stand for their files) is not read: the caller
// asks git instead.

const EXECUTABLE = 0o100755;
const SUBMODULE = 0o160000;
const SPARSE_FOLDER = 0o040000;
// ctime, mtime, dev, ino, mode, uid, gid, size: 4 bytes each but the times, 8.
const STAT_BYTES = 40;
const MODE_AT = 24;
/** What the index records, or why it cannot be read here. */
function readIndex(data) {
    if (data.length < 12 || data.toString('latin1', 0, 4) !== 'DIRC') {
        return { unreadable: 'is not an index file' };
    }
    const version = data.readUInt32BE(4);
    if (version < 2 || version > 4)
        return { unreadable: `is of version ${version}` };
    for (const hashBytes of hashBytesOf(data)) {
        const read = entries(data, version, hashBytes);
        if (read)
            return read;
    }
    return { unreadable: 'is damaged' };
}
/** The object name's length the checksum proves, or both to try when it is zeros. */
function hashBytesOf(data) {
    const sums = (bytes, algorithm) => data.length >= 12 + bytes &&
        (0,external_node_crypto_.createHash)(algorithm)
            .update(data.subarray(0, data.length - bytes))
            .digest()
            .equals(data.subarray(data.length - bytes));
    if (sums(20, 'sha1'))
        return [20];
    if (sums(32, 'sha256'))
        return [32];
    const zeros = data.length >= 32 && data.subarray(data.length - 20).every((byte) => byte === 0);
    return zeros ? [20, 32] : [];
}
/** The entries, or undefined when they do not fit the file as `hashBytes` reads it. */
function entries(data, version, hashBytes) {
    const end = data.length - hashBytes;
    const count = data.readUInt32BE(8);
    const modes = { executables: [], submodules: [] };
    let at = 12;
    let previous = Buffer.alloc(0);
    for (let i = 0; i < count; i++) {
        const flagsAt = at + STAT_BYTES + hashBytes;
        if (flagsAt + 2 > end)
            return undefined;
        const mode = data.readUInt32BE(at + MODE_AT);
        const flags = data.readUInt16BE(flagsAt);
        // Version 3 and later: a second flags word when the extended bit is set.
        const nameAt = flagsAt + 2 + (version >= 3 && flags & 0x4000 ? 2 : 0);
        let path;
        if (version === 4) {
            // The bytes to drop from the end of the previous path, then the rest of this one.
            const strip = varint(data, nameAt, end);
            if (!strip || strip.value > previous.length)
                return undefined;
            const nul = data.indexOf(0, strip.next);
            if (nul < 0 || nul >= end)
                return undefined;
            path = Buffer.concat([
                previous.subarray(0, previous.length - strip.value),
                data.subarray(strip.next, nul),
            ]);
            at = nul + 1;
        }
        else {
            const nul = data.indexOf(0, nameAt);
            const length = flags & 0xfff;
            if (nul < 0 || nul >= end || (length < 0xfff && nul - nameAt !== length))
                return undefined;
            path = data.subarray(nameAt, nul);
            // Padded with 1 to 8 NULs to a multiple of 8 bytes.
            at += (nul - at + 8) & ~7;
            if (at > end)
                return undefined;
        }
        previous = path;
        if (mode === SPARSE_FOLDER)
            return { unreadable: 'is a sparse index' };
        if (mode === EXECUTABLE)
            modes.executables.push(path.toString('utf8'));
        else if (mode === SUBMODULE)
            modes.submodules.push(path.toString('utf8'));
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
function varint(data, at, end) {
    let value = 0;
    // Five bytes hold more than any path's length.
    for (let i = at; i < end && i < at + 5; i++) {
        const byte = data[i];
        value = value * 128 + (byte & 0x7f);
        if (!(byte & 0x80))
            return { value, next: i + 1 };
        value += 1;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/zip/zip-git-modes.ts
// Which files are executable, as git records them: mode 100755 in the index of the work tree
// that holds the file. Never the file system's mode bits: Windows has none, and umask and
// checkouts differ, while the index is the same wherever the commit is checked out.
// A file in no work tree, or not in the index, is not executable.
//
// The work tree is found as git finds it (the nearest `.git` above, a folder, or a file naming
// one: a linked work tree, a submodule), and its index read here (zip-git-index.ts), trusting
// nothing of the repository: git refuses a repository that another user owns (`safe.directory`,
// as in a container job), and what it refuses would be zipped with other modes and another hash.
// Git itself is asked only for an index read here cannot (split, sparse); when it fails too,
// a warning says so and names the fix.




/** Lists of an index, by work tree, kept while the index file is unchanged. */
const listed = new Map();
/**
 * The modes of the files of one function folder. The index is read once for the folder, at once,
 * while the files are deflated; and once more only for a file that a link takes out of every
 * work tree found so far.
 */
class GitModes {
    #regions;
    /** @param folder The function folder's real path. */
    constructor(folder) {
        this.#regions = [regionOf(folder)];
    }
    /**
     * For each file (a real, absolute path): is it executable? And why the modes of some could not
     * be known, once for each work tree.
     */
    async executables(files) {
        const regions = await Promise.all(this.#regions);
        const executable = [];
        const warnings = new Set();
        for (const file of files) {
            let region = regions.find((r) => posixWithin(r.folder, file) !== undefined);
            if (!region) {
                region = await regionOf((0,external_node_path_.dirname)(file));
                regions.push(region);
            }
            executable.push(await isExecutable(region.tree, file, warnings));
        }
        return { executable, warnings: [...warnings] };
    }
}
async function isExecutable(tree, file, warnings) {
    while (tree) {
        const path = posixWithin(tree.top, file);
        if (path === undefined)
            return false;
        if (tree.warning)
            warnings.add(tree.warning);
        const submodule = tree.submodules.find((sub) => path.startsWith(`${sub}/`));
        if (submodule === undefined)
            return tree.executables.has(path);
        const inner = (await regionOf((0,external_node_path_.resolve)(tree.top, submodule))).tree;
        // A submodule not checked out answers for the work tree around it: no index of its own.
        tree = inner?.top === tree.top ? undefined : inner;
    }
    return false;
}
async function regionOf(folder) {
    const found = await workTreeOf(folder);
    if (found === undefined)
        return { folder, tree: undefined };
    const { top, index } = found;
    const stats = await (0,promises_.stat)(index).catch(() => undefined);
    const stamp = stats ? `${index} ${stats.ino} ${stats.size} ${stats.mtimeMs}` : index;
    let known = listed.get(top);
    if (known?.stamp !== stamp) {
        known = { stamp, tree: listIndex(top, index) };
        listed.set(top, known);
    }
    return { folder: top, tree: await known.tree };
}
/** The work tree that holds `folder` (a real path) and its index, as git would find them. */
async function workTreeOf(folder) {
    for (let dir = folder;; dir = (0,external_node_path_.dirname)(dir)) {
        const dotGit = (0,external_node_path_.join)(dir, '.git');
        const stats = await (0,promises_.stat)(dotGit).catch(() => undefined);
        let gitDir;
        if (stats?.isDirectory())
            gitDir = dotGit;
        else if (stats?.isFile()) {
            const named = /^gitdir: (.+)$/.exec((await (0,promises_.readFile)(dotGit, 'utf8').catch(() => '')).trim());
            if (named)
                gitDir = (0,external_node_path_.resolve)(dir, named[1]);
        }
        // As for git, a `.git` without a HEAD is no repository: the search goes on above it.
        if (gitDir && (await (0,promises_.stat)((0,external_node_path_.join)(gitDir, 'HEAD')).catch(() => undefined))) {
            return { top: dir, index: (0,external_node_path_.join)(gitDir, 'index') };
        }
        if ((0,external_node_path_.dirname)(dir) === dir)
            return undefined;
    }
}
async function listIndex(top, index) {
    let why;
    try {
        const read = readIndex(await (0,promises_.readFile)(index));
        if (!('unreadable' in read)) {
            return { top, executables: new Set(read.executables), submodules: read.submodules };
        }
        why = `its index ${read.unreadable}`;
    }
    catch (error) {
        const code = error.code;
        // Nothing was ever added.
        if (code === 'ENOENT')
            return { top, executables: new Set(), submodules: [] };
        why = `its index cannot be read (${code ?? error})`;
    }
    const tree = { top, executables: new Set(), submodules: [] };
    const list = await git(top, ['ls-files', '--stage', '-z']);
    if ('failed' in list) {
        tree.warning =
            `The modes of the files in ${top} are unknown: ${why}, and git cannot read it either ` +
                `(${list.failed}). Its files are zipped as 0644: executables lose +x, and code_sha256 ` +
                'differs from a run that knows the modes. If the repository belongs to another user, as ' +
                `in a container job, run \`git config --global --add safe.directory ${top}\` first.`;
        return tree;
    }
    // Each record: "<mode> <object> <stage>\t<path>\0".
    for (const record of list.stdout.toString('utf8').split('\0')) {
        const tab = record.indexOf('\t');
        if (tab < 0)
            continue;
        const mode = record.slice(0, 6);
        const path = record.slice(tab + 1);
        if (mode === '100755')
            tree.executables.add(path);
        else if (mode === '160000')
            tree.submodules.push(path);
    }
    return tree;
}
/** `file` relative to `top`, with forward slashes; undefined when outside it. */
function posixWithin(top, file) {
    const path = (0,external_node_path_.relative)(top, file);
    if (path === '..' || path.startsWith(`..${external_node_path_.sep}`) || (0,external_node_path_.isAbsolute)(path))
        return undefined;
    return path.split(external_node_path_.sep).join('/');
}
/** Git's stdout, or why it failed: its first line of error, or that it is missing. */
function git(cwd, args) {
    return new Promise((done) => {
        (0,external_node_child_process_.execFile)('git', args, { cwd, encoding: 'buffer', maxBuffer: 1 << 30, windowsHide: true }, (error, stdout, stderr) => {
            if (!error)
                return done({ stdout });
            const line = stderr.toString('utf8').trim().split('\n')[0];
            const missing = error.code === 'ENOENT';
            done({ failed: missing ? 'git is not installed' : line || error.message });
        });
    });
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(5919);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./node_modules/fflate/esm/index.mjs
var esm = __webpack_require__(1306);
;// CONCATENATED MODULE: ./src/zip/zip-deflate.ts
const PIECE_BYTES = 1024 * 1024;
function deflatePieces(tools, task) {
    // Literals, not module constants: this body must stand alone (see above).
    const level = 6;
    const window = 32 * 1024;
    const reached = new BigInt64Array(task.reached);
    const pieces = [];
    let out = new Uint8Array(64 * 1024);
    let used = 0;
    for (let index = 0; index < task.pieces.length; index++) {
        const { path, size, offset, length } = task.pieces[index];
        const start = Math.max(0, offset - window);
        // One read for the dictionary and the piece, and one byte more to see whether the file ends.
        const last = offset + length === size;
        const bytes = new Uint8Array(offset + length - start + (last ? 1 : 0));
        let got = 0;
        let fd;
        try {
            fd = tools.fs.openSync(path, 'r');
            while (got < bytes.length) {
                const n = tools.fs.readSync(fd, bytes, got, bytes.length - got, start + got);
                if (n === 0)
                    break;
                got += n;
            }
        }
        catch (error) {
            const code = error.code;
            if (typeof code !== 'string')
                throw error;
            return { failed: index, code };
        }
        finally {
            if (fd !== undefined)
                tools.fs.closeSync(fd);
        }
        if (got !== offset + length - start)
            return { failed: index, code: 'CHANGED' };
        const data = bytes.subarray(offset - start, offset + length - start);
        const parts = [];
        if (offset === 0 && last) {
            parts.push(tools.fflate.deflateSync(data, { level }));
        }
        else {
            const dictionary = bytes.subarray(0, offset - start);
            const stream = new tools.fflate.Deflate({ level, dictionary }, (chunk) => {
                parts.push(chunk);
            });
            stream.push(data, last);
            if (!last) {
                // End on a byte boundary with an empty stored block, as zlib's Z_SYNC_FLUSH does. Not
                // fflate's flush(true): it puts the block's lengths a byte early when 6 bits of the last
                // byte are taken. fflate keeps that byte back: its bits taken (r & 7) and value (r >> 3).
                const r = stream.s.r;
                const tail = new Uint8Array(Math.ceil(((r & 7) + 3) / 8) + 4);
                tail[0] = r >> 3;
                tail.set([0x00, 0x00, 0xff, 0xff], tail.length - 4);
                parts.push(tail);
            }
        }
        const piece = { crc: tools.crc32(data), compressedSize: 0 };
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
        if (Number(before) + piece.compressedSize > task.limit)
            return { tooLarge: true };
        pieces.push(piece);
    }
    return { pieces, data: out.subarray(0, used) };
}
// CRC-32's polynomial, reflected, and x^(2^k) modulo it: for joining the CRCs of pieces.
const POLYNOMIAL = 0xedb88320;
const X_2N = [0x40000000];
for (let k = 1; k < 32; k++)
    X_2N.push(multiplyModP(X_2N[k - 1], X_2N[k - 1]));
/** The CRC-32 of `a` then `b`, from theirs and b's length (zlib's crc32_combine). */
function crc32Combine(crcA, crcB, lengthB) {
    // x^(8 * lengthB) modulo p, from the powers of two of x.
    let power = 0x80000000;
    for (let n = lengthB, k = 3; n > 0; n = Math.floor(n / 2), k++) {
        if (n % 2 === 1)
            power = multiplyModP(X_2N[k % 32], power);
    }
    return (multiplyModP(power, crcA) ^ crcB) >>> 0;
}
/** a(x) b(x) modulo p(x), both reflected. */
function multiplyModP(a, b) {
    let product = 0;
    for (let bit = 0x80000000; bit !== 0; bit >>>= 1) {
        if ((a & bit) !== 0)
            product ^= b;
        b = b & 1 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
    }
    return product >>> 0;
}

;// CONCATENATED MODULE: ./src/zip/zip-pool.ts
// Deflates on every core: the main thread and a few long-lived worker threads take tasks (a batch
// of pieces: small files, or a megabyte of a large one, see zip-deflate.ts) from one queue that
// every zip in progress shares. Each piece is deflated alone, so the bytes are the same whatever
// thread deflates it and however many there are.
//
// The action is one bundle (ncc), where no module file of ours exists to start a worker from. So a
// worker is started from source text: deflatePieces' own, and fflate loaded from the copy of its ES
// module that ncc puts next to the bundle: ncc turns `new URL(…, import.meta.url)` into the URL
// (or the path) of that copy; from the sources it is the URL of the file in node_modules.
//
// The main thread starts on the first task at once, while the workers start (some 50 ms), which
// also makes it one of the cores: there is a worker for each other core. A folder too small to
// repay a worker's start is left to the main thread alone, unless workers are up already. Workers
// start when there are tasks, and again when one dies. A worker holds the process only while it
// works (ref/unref), so an idle pool never delays the exit.







const FFLATE = new URL(/* asset import */ __webpack_require__(9656), __webpack_require__.b);
const fflateUrl = () => (FFLATE instanceof URL ? FFLATE : (0,external_node_url_.pathToFileURL)(FFLATE)).href;
const WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, readSync } = require('node:fs');
const { crc32 } = require('node:zlib');
const deflatePieces = ${deflatePieces};
import(workerData.fflate).then((fflate) => {
  const tools = { fflate, fs: { closeSync, openSync, readSync }, crc32 };
  parentPort.on('message', (task) => {
    const result = deflatePieces(tools, task);
    parentPort.postMessage(result, result.data ? [result.data.buffer] : []);
  });
  parentPort.postMessage('ready');
});
`;
const MAIN_THREAD = {
    fflate: { Deflate: esm/* Deflate */.Gy, deflateSync: esm/* deflateSync */.pd },
    fs: { closeSync: external_node_fs_.closeSync, openSync: external_node_fs_.openSync, readSync: external_node_fs_.readSync },
    crc32: external_node_zlib_.crc32,
};
// What a file costs to deflate besides its bytes (opening it, fflate's tables): about as much as
// 2 KiB of data. A folder of many small files is worth the workers too.
const FILE_COST = 2048;
/** A bug in deflatePieces, or a worker that died: not the folder's fault. */
class PoolError extends Error {
}
class DeflatePool {
    #options;
    #threads = [];
    #queue = [];
    #mainThreadBusy = false;
    /** Why a worker could not start: every one would fail alike, so none is started again. */
    #broken;
    constructor(options) {
        this.#options = options;
    }
    /** Deflates a folder's files: for each, its CRC-32 and deflate stream; or the failure. */
    async deflate(files, reached, limit) {
        const pieces = [];
        files.forEach(({ path, size }, file) => {
            for (let offset = 0; offset === 0 || offset < size; offset += PIECE_BYTES) {
                const length = Math.min(PIECE_BYTES, size - offset);
                const cost = length + (offset === 0 ? FILE_COST : 0);
                pieces.push({ path, size, offset, length, file, cost });
            }
        });
        const total = pieces.reduce((sum, piece) => sum + piece.cost, 0);
        const alone = this.#threads.length === 0 && total < this.#options.mainThreadBelow;
        const here = this.#options.onMainThread || this.#options.workers === 0;
        // Several tasks per thread, so that the threads finish together.
        const threads = alone ? 1 : this.#options.workers + (here ? 1 : 0);
        const taskCost = Math.max(64 * 1024, Math.ceil(total / (threads * 8)));
        const tasks = [];
        for (let i = 0; i < pieces.length;) {
            const task = { pieces: [], reached, limit };
            let cost = 0;
            do {
                const { path, size, offset, length } = pieces[i];
                task.pieces.push({ path, size, offset, length });
                cost += pieces[i++].cost;
            } while (i < pieces.length && cost + pieces[i].cost <= taskCost);
            tasks.push(task);
        }
        if (!alone && this.#broken)
            return this.#broken;
        const jobs = alone ? [] : tasks.map((task) => this.#enqueue(task));
        this.#dispatch();
        if (here)
            void this.#workOnMainThread();
        // A worker that cannot start must fail the zip even when this thread did every task: that it
        // works from the bundle is proven on the first zip that starts workers, not on some later one.
        const starting = alone ? [] : this.#threads.map((thread) => thread.started);
        const deflated = [];
        let done = 0;
        for (const [i, task] of tasks.entries()) {
            const result = alone ? runHere(task) : await jobs[i].result;
            if (result instanceof PoolError || !('pieces' in result)) {
                for (const job of jobs)
                    job.cancelled = true;
                if (!('failed' in result))
                    return result;
                return { failed: pieces[done + result.failed].file, code: result.code };
            }
            let at = 0;
            for (const { crc, compressedSize } of result.pieces) {
                const { file, offset, length } = pieces[done++];
                const part = result.data.subarray(at, at + compressedSize);
                at += compressedSize;
                if (offset === 0)
                    deflated[file] = { crc, parts: [part], compressedSize };
                else {
                    const joined = deflated[file];
                    joined.crc = crc32Combine(joined.crc, crc, length);
                    joined.parts.push(part);
                    joined.compressedSize += compressedSize;
                }
            }
        }
        for (const failure of await Promise.all(starting))
            if (failure)
                return failure;
        return deflated;
    }
    /**
     * For a folder being walked: hears of each file found, and starts the workers as soon as the
     * files found so far are worth them, so that they start while the walk goes on.
     */
    warmUp() {
        let cost = 0;
        return (size) => {
            cost += size + FILE_COST;
            if (cost < this.#options.mainThreadBelow)
                return;
            while (!this.#broken && this.#threads.length < this.#options.workers)
                this.#start();
        };
    }
    /** Stops the workers (a pool of one's own: the shared one is only ever unref'd). */
    async close() {
        await Promise.all(this.#threads.map((thread) => thread.worker.terminate()));
    }
    #enqueue(task) {
        const job = { task, cancelled: false };
        job.result = new Promise((settle) => {
            job.settle = settle;
        });
        this.#queue.push(job);
        return job;
    }
    /** The next task to start; one of a folder that failed is dropped. */
    #next() {
        let job = this.#queue.shift();
        while (job?.cancelled)
            job = this.#queue.shift();
        return job;
    }
    /** Gives tasks to the workers that wait for one; starts workers while there are tasks. */
    #dispatch() {
        const waiting = this.#queue.some((job) => !job.cancelled);
        while (!this.#broken && waiting && this.#threads.length < this.#options.workers) {
            this.#start();
        }
        for (const thread of this.#threads) {
            if (!thread.ready || thread.job)
                continue;
            const job = this.#next();
            if (!job)
                return;
            thread.job = job;
            thread.worker.ref();
            thread.worker.postMessage(job.task);
        }
    }
    /** Takes tasks on this thread too, one at a time, with the event loop let in between. */
    async #workOnMainThread() {
        if (this.#mainThreadBusy)
            return;
        this.#mainThreadBusy = true;
        for (let job = this.#next(); job; job = this.#next()) {
            job.settle(runHere(job.task));
            await new Promise(setImmediate);
        }
        this.#mainThreadBusy = false;
    }
    #start() {
        const worker = new external_node_worker_threads_.Worker(WORKER_SOURCE, {
            eval: true,
            workerData: { fflate: fflateUrl() },
            // Not the parent's loaders and flags (tsx, test runners): the source is plain JavaScript.
            execArgv: [],
        });
        let began = () => { };
        const started = new Promise((resolve) => {
            began = resolve;
        });
        const thread = { worker, ready: false, started };
        this.#threads.push(thread);
        const settle = (result) => {
            const { job } = thread;
            thread.job = undefined;
            job?.settle(result);
        };
        worker.on('message', (message) => {
            if (message === 'ready') {
                thread.ready = true;
                began();
            }
            else
                settle(message);
            worker.unref();
            this.#dispatch();
        });
        // An error is followed by the exit; either way the worker is gone, and so is its task.
        let why = '';
        worker.on('error', (error) => {
            why = error.message;
        });
        worker.on('exit', (code) => {
            this.#threads.splice(this.#threads.indexOf(thread), 1);
            const failure = new PoolError(why || `a deflate worker stopped (exit code ${code})`);
            if (!thread.ready) {
                this.#broken = new PoolError(`a deflate worker could not start: ${failure.message}`);
                began(this.#broken);
                for (const job of this.#queue.splice(0))
                    job.settle(this.#broken);
            }
            settle(failure);
            this.#dispatch();
        });
    }
}
function runHere(task) {
    try {
        return deflatePieces(MAIN_THREAD, task);
    }
    catch (error) {
        return new PoolError(`deflating failed: ${error.message}`);
    }
}
/** The workers of the pool every zip of the process shares: one per core but the main thread's. */
const SHARED_WORKERS = Math.min((0,external_node_os_.availableParallelism)() - 1, 7);
/**
 * The work (bytes, and a cost per file) under which a folder is deflated on the main thread
 * alone, by the workers there would be. One worker (two cores) can at most halve the deflate,
 * and its start, fflate's load in it and the copies back ate that up: on two cores fflate's
 * zipSync alone beat the pool on a folder of 8 MiB (see BENCHMARKS.md). So with one worker the
 * main thread keeps any folder an upload can carry; with more, workers pay from 1 MiB.
 */
function inThreadBelow(workers) {
    return workers <= 1 ? 64 * 1024 * 1024 : 1024 * 1024;
}
let shared;
/** The pool every zip of the process shares. */
function sharedPool() {
    shared ??= new DeflatePool({
        workers: SHARED_WORKERS,
        onMainThread: true,
        mainThreadBelow: inThreadBelow(SHARED_WORKERS),
    });
    return shared;
}

;// CONCATENATED MODULE: ./src/zip/zip-refusal.ts
// Why a folder cannot become a function's code, said once and in one form: the zip code throws a
// Refusal with the reason, and zipFunction puts the folder in front and the period at the end.
class Refusal extends Error {
    reason;
    colon;
    tooLarge;
    /**
     * @param reason What is wrong, naming the file or link by its path in the folder; no period.
     * @param colon Whether the reason follows the folder after a colon (`Function folder X: …`) or
     *   directly (`Function folder X does not exist`).
     * @param tooLarge Whether what is wrong is the size: leaving files out would help.
     */
    constructor(reason, colon = true, tooLarge = false) {
        super(reason);
        this.reason = reason;
        this.colon = colon;
        this.tooLarge = tooLarge;
    }
}
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Bytes as text, each byte that is not part of valid UTF-8 shown as `\xNN`. */
function shown(bytes) {
    let text = '';
    let from = 0;
    for (let at = 0; at < bytes.length;) {
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
function sequenceLength(bytes, at) {
    const lead = bytes[at];
    if (lead < 0x80)
        return 1;
    // The range the second byte must be in, after each lead byte; the others are 80-BF.
    let length;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf)
        length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead === 0xe0)
            low = 0xa0;
        if (lead === 0xed)
            high = 0x9f;
    }
    else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead === 0xf0)
            low = 0x90;
        if (lead === 0xf4)
            high = 0x8f;
    }
    else
        return 0;
    if (at + length > bytes.length)
        return 0;
    if (bytes[at + 1] < low || bytes[at + 1] > high)
        return 0;
    for (let i = 2; i < length; i++) {
        if (bytes[at + i] < 0x80 || bytes[at + i] > 0xbf)
            return 0;
    }
    return length;
}

// EXTERNAL MODULE: external "node:buffer"
var external_node_buffer_ = __webpack_require__(4573);
// EXTERNAL MODULE: ./node_modules/ignore/index.js
var ignore = __webpack_require__(298);
var ignore_default = /*#__PURE__*/__webpack_require__.n(ignore);
;// CONCATENATED MODULE: ./src/zip/zip-walk.ts
// Walks a function's folder and says what goes into its zip: the files, the paths they take
// there, and their sizes, before anything is read. The rules are stated in code-zip.ts.






const IGNORE_FILE = '.wechatignore';
const ALWAYS_LEFT_OUT = [
    '.DS_Store',
    '.vscode/',
    '.idea/',
    '*.swp',
    '*~',
    'Thumbs.db',
    'desktop.ini',
];
/**
 * Is this name git's own folder? Any case, as git reads it on case-insensitive systems and
 * refuses it as a tracked path on all (verify_path).
 */
const isGit = (name) => name.toLowerCase() === '.git';
// More `**` segments than this in one line of `.wechatignore` are refused: the `ignore` package
// matches a pattern by backtracking, in time that grows as the folder depth to the power of the
// count: four took 2 s against a folder 100 deep, ten took 15 s against one 36 deep. None of
// GitHub's gitignore templates has more than two in a line.
const MAX_GLOBSTARS = 3;
/** The repository's real path. */
function realRoot(root) {
    try {
        return external_node_fs_.realpathSync.native(root);
    }
    catch (error) {
        throw new Refusal(`the repository ${root} cannot be resolved (${codeOf(error)})`);
    }
}
/**
 * The files of a function folder, in byte order of their paths.
 * @param folder The folder's real path (realFolder).
 * @param root The repository's real path: links may lead anywhere inside it, or the folder.
 */
async function walkFolder(folder, root, options) {
    const bounds = [root, folder];
    const fixed = ignore_default()({ ignorecase: false }).add(ALWAYS_LEFT_OUT).add(`/${IGNORE_FILE}`);
    if (options.installDependencies)
        fixed.add('node_modules/');
    const own = ignore_default()({ ignorecase: false }).add(readIgnoreFile(folder, bounds));
    const leftOut = (path) => fixed.ignores(path) || own.ignores(path);
    const files = [];
    let floor = 0;
    const add = (path, real, size) => {
        const name = Buffer.from(path);
        files.push({ path, name, real, size });
        options.onFile(size);
        floor += headerBytes(name.length);
        if (floor > options.maxZipBytes)
            throw options.tooLarge(files.length);
    };
    // Folders to walk, the last first, each with the real paths of the folders from the function
    // folder down to it: a link to one of those is a loop, a link to any other folder is not.
    const folders = [{ real: folder, prefix: '', stack: [folder] }];
    for (let walked = 0; folders.length > 0; walked++) {
        const { real, prefix, stack } = folders.pop();
        // Synchronous calls, many times faster than a promise each; the event loop gets a turn now
        // and then all the same.
        if (walked % 64 === 63)
            await new Promise(setImmediate);
        let children;
        try {
            children = (0,external_node_fs_.readdirSync)(real, { withFileTypes: true, encoding: 'buffer' });
        }
        catch (error) {
            throw new Refusal(`${prefix || 'the folder'} cannot be read (${codeOf(error)})`);
        }
        // In byte order, files then folders, so that the first failure is always the same one.
        children.sort((a, b) => Buffer.compare(a.name, b.name));
        const subfolders = [];
        for (const child of children) {
            const name = child.name.toString('utf8');
            // `.git` in any form, folder, file (a submodule's) or link, is never uploaded.
            if (isGit(name))
                continue;
            const path = prefix + name;
            const valid = () => {
                if (!(0,external_node_buffer_.isUtf8)(child.name)) {
                    throw new Refusal(`the name of ${prefix}${shown(child.name)} is not valid UTF-8, as names in a zip must be`);
                }
                return (0,external_node_path_.join)(real, name);
            };
            if (child.isDirectory()) {
                if (leftOut(`${path}/`))
                    continue;
                const folderPath = valid();
                subfolders.push({ real: folderPath, prefix: `${path}/`, stack: [...stack, folderPath] });
            }
            else if (child.isFile()) {
                if (leftOut(path))
                    continue;
                const file = valid();
                add(path, file, sizeOf(file, path));
            }
            else if (child.isSymbolicLink()) {
                // A pattern that names the path leaves it out, whatever it leads to.
                if (leftOut(path))
                    continue;
                let target;
                try {
                    target = follow(valid(), `the link ${path}`, bounds);
                }
                catch (error) {
                    // One for folders only (`cache/`) may leave out a link that leads nowhere.
                    if (leftOut(`${path}/`))
                        continue;
                    throw error;
                }
                if (target.stats.isDirectory()) {
                    if (leftOut(`${path}/`))
                        continue;
                    if (stack.some((folderPath) => inside(target.real, folderPath))) {
                        throw new Refusal(`the link ${path} leads to ${target.real}, a folder that holds the link: a loop`);
                    }
                    subfolders.push({
                        real: target.real,
                        prefix: `${path}/`,
                        stack: [...stack, target.real],
                    });
                }
                else if (target.stats.isFile()) {
                    add(path, target.real, target.stats.size);
                }
            }
            // Sockets, FIFOs and devices have no content to ship.
        }
        folders.push(...subfolders.reverse());
    }
    return files.sort((a, b) => Buffer.compare(a.name, b.name));
}
function sizeOf(file, path) {
    try {
        return (0,external_node_fs_.lstatSync)(file).size;
    }
    catch (error) {
        throw new Refusal(`${path} cannot be read (${codeOf(error)})`);
    }
}
/** The function folder's real path; it may be a link, to a folder inside the repository. */
function realFolder(dir, root) {
    let stats;
    try {
        stats = (0,external_node_fs_.lstatSync)(dir);
    }
    catch (error) {
        const code = codeOf(error);
        if (code === 'ENOENT' || code === 'ENOTDIR')
            throw new Refusal('does not exist', false);
        throw new Refusal(`it cannot be read (${code})`);
    }
    if (stats.isSymbolicLink()) {
        const target = follow(dir, 'it is a link that', [root]);
        if (!target.stats.isDirectory())
            throw new Refusal('is not a folder', false);
        return target.real;
    }
    if (!stats.isDirectory())
        throw new Refusal('is not a folder', false);
    return external_node_fs_.realpathSync.native(dir);
}
/**
 * The rules of the folder's own ignore file, which may be a link to a file but nothing else, and
 * none that would take the `ignore` package too long to match.
 */
function readIgnoreFile(folder, bounds) {
    let path = (0,external_node_path_.join)(folder, IGNORE_FILE);
    let stats;
    try {
        stats = (0,external_node_fs_.lstatSync)(path);
    }
    catch (error) {
        if (codeOf(error) === 'ENOENT')
            return '';
        throw new Refusal(`${IGNORE_FILE} cannot be read (${codeOf(error)})`);
    }
    if (stats.isSymbolicLink()) {
        const target = follow(path, `the link ${IGNORE_FILE}`, bounds);
        if (!target.stats.isFile()) {
            throw new Refusal(`the link ${IGNORE_FILE} leads to ${target.real}, which is not a file`);
        }
        path = target.real;
    }
    else if (!stats.isFile()) {
        throw new Refusal(`${IGNORE_FILE} is not a file`);
    }
    let rules;
    try {
        // A leading BOM and CRLF line ends are handled by `ignore`, as git does.
        rules = (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch (error) {
        throw new Refusal(`${IGNORE_FILE} cannot be read (${codeOf(error)})`);
    }
    rules
        .replace(/^\uFEFF/, '')
        .split('\n')
        .forEach((line, i) => {
        // A segment of two stars or more is what `ignore` matches as `**`; a comment has none.
        const globstars = line.startsWith('#')
            ? 0
            : line
                .replace(/^!/, '')
                .split('/')
                .filter((segment) => /^\*{2,}\s*$/.test(segment)).length;
        if (globstars > MAX_GLOBSTARS) {
            throw new Refusal(`line ${i + 1} of its ${IGNORE_FILE} has ${globstars} \`**\` segments, more than ` +
                `${MAX_GLOBSTARS}: the time to match it grows as the folders' depth to that power`);
        }
    });
    return rules;
}
/**
 * Where a link leads: a real path that exists inside one of `bounds`, and in no `.git` folder
 * there. A link into `.git` fails rather than being left out: what it was meant to ship is
 * unclear, and the function would be deployed without it.
 * @param subject The link, as the messages name it: `the link lib/common`.
 * @param bounds Real paths of the folders it may lead into.
 */
function follow(link, subject, bounds) {
    let real;
    try {
        real = external_node_fs_.realpathSync.native(link);
    }
    catch (error) {
        const code = codeOf(error);
        if (code === 'ELOOP')
            throw new Refusal(`${subject} leads to itself through other links`);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') {
            throw new Refusal(`${subject} cannot be followed (${code})`);
        }
        let written = '?';
        try {
            written = shown((0,external_node_fs_.readlinkSync)(link, { encoding: 'buffer' }));
        }
        catch { }
        throw new Refusal(`${subject} leads to ${written}, which does not exist`);
    }
    const bound = bounds.find((folder) => inside(folder, real));
    if (bound === undefined)
        throw new Refusal(`${subject} leads to ${real}, outside the repository`);
    // actions/checkout keeps a token in .git/config: no link takes it, or anything there, along.
    if ((0,external_node_path_.relative)(bound, real).split(external_node_path_.sep).some(isGit)) {
        throw new Refusal(`${subject} leads to ${real}, inside a .git folder, which is never uploaded`);
    }
    try {
        return { real, stats: (0,external_node_fs_.statSync)(real) };
    }
    catch (error) {
        throw new Refusal(`${subject} cannot be followed (${codeOf(error)})`);
    }
}
/** Is `path` `folder` or inside it? Both real; never fooled by `..x` names or by case on Windows. */
function inside(folder, path) {
    const fromFolder = (0,external_node_path_.relative)(folder, path);
    return (fromFolder === '' ||
        (fromFolder !== '..' && !fromFolder.startsWith(`..${external_node_path_.sep}`) && !(0,external_node_path_.isAbsolute)(fromFolder)));
}
const codeOf = (error) => error.code ?? String(error);

;// CONCATENATED MODULE: ./src/zip/code-zip.ts
// Turns one cloud function's folder into the zip that WeChat's code upload takes: the folder's
// content at the zip root, so that `index.js` is there for the handler `index.main`.
//
// What goes in: every regular file under the folder, except
// - `.git` at any depth, folder, file or link, and editor and OS litter (ALWAYS_LEFT_OUT in
//   zip-walk.ts);
// - `node_modules/` at any depth when the cloud installs the dependencies from package.json;
// - whatever the folder's own `.wechatignore` names (the file itself is left out too). It is read
//   with gitignore syntax, as `.gitignore` is, relative to the folder: `*.log`, `/docs/`,
//   `!keep.log`; matching is case-sensitive on every platform, and as in git a file inside a
//   left-out folder cannot be brought back by a negation. The fixed rules above cannot be undone
//   by it either. A line with more than 3 `**` segments fails the function (zip-walk.ts).
// Sockets, FIFOs and devices are skipped: they have no content to ship.
//
// Links (to a file or a folder, the `.wechatignore`, the function folder itself) are followed when
// they lead inside the repository (`root`) or inside the folder: the content is stored under the
// link's path, a folder's as a folder (pnpm's `node_modules/dep -> .pnpm/…`, `lib -> ../common`).
// A link that leads outside, into a `.git` folder, to nothing, or to a folder that holds it (a
// loop) fails the function, naming the link. A link that the rules leave out is not followed.
//
// What fails it, before anything is read: a name that is not valid UTF-8 (zip names are), files
// that total more than SCF takes unzipped, or more files than `maxZipBytes` has room for headers.
// While deflating, it stops as soon as the zip grows past `maxZipBytes`; a large file is read and
// deflated a megabyte at a time, never whole. Every failure is a CodeFolderError that names the
// folder and the file or link, in one sentence.
//
// The same content gives the same bytes on every system, so the zip's hash tells whether the code
// changed: entries in byte order of their posix paths, only files (folders are implied by the
// paths; empty ones are dropped), one timestamp, one deflate (fflate, level 6, see
// zip-deflate.ts), no extra fields, ZIP64 end records past 65,534 entries (zip-container.ts), and
// a mode that is what git records: 0755 for a file the index of its work tree marks executable
// (mode 100755), 0644 for every other file and everywhere outside git (zip-git-modes.ts, which
// reads the index itself, so that a repository git refuses gets the same modes). Mtimes,
// umask, file system modes, the order a directory lists in, the time zone, the Node version and
// the number of threads that deflate (zip-pool.ts: every core) make no difference.








/** Every way a folder cannot become a function's code; its message says what and where. */
class CodeFolderError extends Error {
    tooLarge;
    name = 'CodeFolderError';
    /** @param tooLarge Whether the folder holds too much: leaving files out would help. */
    constructor(message, tooLarge = false) {
        super(message);
        this.tooLarge = tooLarge;
    }
}
// What SCF takes of one function's code before compression, layers included: "单个函数（版本）的
// 代码压缩前体积（包含绑定的层）500MB", https://cloud.tencent.com/document/product/583/11637
// (配额限制说明, updated 2025-03-24; the English page says "500 MB"). Counted as MiB, the larger
// reading: a folder between the two is left for the cloud to judge.
const MAX_UNZIPPED_BYTES = 500 * 1024 * 1024;
const MIB = 1024 * 1024;
const mib = (bytes) => (bytes / MIB).toFixed(1);
async function zipFunction(dir, options) {
    return zipWith(dir, options, sharedPool());
}
/** zipFunction with a pool of one's own (the tests compare pool sizes). */
async function zipWith(dir, options, pool) {
    try {
        return await zipFolder(dir, options, pool);
    }
    catch (error) {
        throw new CodeFolderError(sentence(dir, error), error instanceof Refusal && error.tooLarge);
    }
}
async function zipFolder(dir, options, pool) {
    const maxZipBytes = options.maxZipBytes ?? Number.POSITIVE_INFINITY;
    const tooLarge = (detail) => new Refusal(`its zip would be larger than ${maxZipBytes} bytes (${mib(maxZipBytes)} MiB): ${detail}`, true, true);
    const root = realRoot(options.root);
    const folder = realFolder(dir, root);
    const files = await walkFolder(folder, root, {
        installDependencies: options.installDependencies,
        maxZipBytes,
        tooLarge: (count) => tooLarge(`the headers of ${count} of its files already take more`),
        onFile: pool.warmUp(),
    });
    if (!files.some((file) => file.path === 'index.js')) {
        const left = (await (0,promises_.stat)((0,external_node_path_.join)(folder, 'index.js')).catch(() => undefined))?.isFile();
        const why = left ? `its ${IGNORE_FILE} leaves out index.js` : 'it has no index.js at its root';
        throw new Refusal(`${why}; WeChat's handler index.main needs index.js`);
    }
    const largest = files.reduce((a, b) => (b.size > a.size ? b : a));
    const largestIs = `its largest file is ${largest.path} (${mib(largest.size)} MiB)`;
    const total = files.reduce((sum, file) => sum + file.size, 0);
    if (total > MAX_UNZIPPED_BYTES) {
        throw new Refusal(`its files total ${total} bytes (${mib(total)} MiB), more than the ` +
            `${MAX_UNZIPPED_BYTES / MIB} MiB that SCF takes unzipped; ${largestIs}`, true, true);
    }
    // The index is read while the files are deflated.
    const modes = new GitModes(folder);
    // The bytes the zip has reached, its headers first; the deflating threads add theirs.
    const reached = new SharedArrayBuffer(8);
    const headers = files.reduce((sum, file) => sum + headerBytes(file.name.length), 0);
    new BigInt64Array(reached)[0] = BigInt(headers + endBytes(files.length));
    const deflated = await pool.deflate(files.map((file) => ({ path: file.real, size: file.size })), reached, maxZipBytes);
    if (deflated instanceof PoolError)
        throw deflated;
    if ('tooLarge' in deflated)
        throw tooLarge(largestIs);
    if ('failed' in deflated) {
        const { path } = files[deflated.failed];
        throw new Refusal(deflated.code === 'CHANGED'
            ? `${path} changed while it was zipped`
            : `${path} cannot be read (${deflated.code})`);
    }
    const { executable, warnings } = await modes.executables(files.map((file) => file.real));
    const zip = zipContainer(files.map((file, i) => ({
        name: file.name,
        executable: executable[i],
        size: file.size,
        ...deflated[i],
    })));
    return {
        zip,
        sha256: (0,external_node_crypto_.createHash)('sha256').update(zip).digest('hex'),
        files: files.map((file) => file.path),
        warnings,
    };
}
/** `Function folder <dir>: <what is wrong>.`, one line and one period, whatever failed. */
function sentence(dir, error) {
    if (error instanceof Refusal) {
        return `Function folder ${dir}${error.colon ? ': ' : ' '}${error.reason}.`;
    }
    const message = String(error?.message ?? error)
        .replace(/\s+/g, ' ')
        .replace(/[\s.]+$/, '');
    return `Function folder ${dir}: it could not be zipped (${message}).`;
}


/***/ })

};

//# sourceMappingURL=741.index.js.map