export const id = 180;
export const ids = [180];
export const modules = {

/***/ 180:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   zipFunction: () => (/* binding */ zipFunction)
/* harmony export */ });
/* unused harmony export CodeFolderError */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var fflate__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(306);
/* harmony import */ var ignore__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(298);
/* harmony import */ var ignore__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(ignore__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _map_limit_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(143);
// Turns one cloud function's folder into the zip that WeChat's code upload takes: the folder's
// content at the zip root, so that `index.js` is there for the handler `index.main`.
//
// What goes in: every regular file under the folder, except
// - `.git/` at any depth, and editor and OS litter (ALWAYS_LEFT_OUT below);
// - `node_modules/` at any depth when the cloud installs the dependencies from package.json;
// - whatever the folder's own `.wechatignore` names (the file itself is left out too). It is read
//   with gitignore syntax, as `.gitignore` is, relative to the folder: `*.log`, `/docs/`,
//   `!keep.log`; matching is case-sensitive on every platform, and as in git a file inside a
//   left-out folder cannot be brought back by a negation. The fixed rules above cannot be undone
//   by it either.
// Symlinks: one that resolves to a regular file inside the folder is followed (its content is
// stored under the link's path); one that points outside the folder, to a folder (loops), or to
// nothing is skipped.
//
// The same content gives the same bytes, so the zip's hash tells whether the code changed:
// entries in byte order of their posix paths, only files (folders are implied by the paths; empty
// ones are dropped), one timestamp, one compression level, and a mode that records only what git
// records: executable (0755, for a bundled binary that must still run in the cloud) or not (0644).
// Mtimes, umask, other mode bits and the order a directory lists in make no difference. The
// deflate is fflate's, in plain JavaScript and pinned to one version: Node's zlib is faster, but
// its output may change with the Node release and the CPU's SIMD paths.






/** The folder cannot become a function's code: missing, not a folder, or without `index.js`. */
class CodeFolderError extends Error {
    name = 'CodeFolderError';
}
const IGNORE_FILE = '.wechatignore';
const ALWAYS_LEFT_OUT = [
    '.git/',
    '.DS_Store',
    '.vscode/',
    '.idea/',
    '*.swp',
    '*~',
    'Thumbs.db',
    'desktop.ini',
];
// 1980-01-01 00:00:00, the earliest DOS time. fflate reads it back with local-time getters, so
// it is built from local fields too, at each call (TZ may change in a running process): the
// stored time is then the same in every time zone.
const fixedMtime = () => new Date(1980, 0, 1, 0, 0, 0);
const LEVEL = 6;
// "Made by" Unix, so that unzip tools apply the mode in the high half of the attributes.
const MADE_BY_UNIX = 3;
const FILE_MODE = 0o100644;
const EXECUTABLE_MODE = 0o100755;
// Enough reads in flight to keep the disk busy, few enough to stay far from the fd limit.
const READ_CONCURRENCY = 16;
async function zipFunction(dir, options) {
    const root = await realFolder(dir);
    const fixed = ignore__WEBPACK_IMPORTED_MODULE_3___default()({ ignorecase: false }).add(ALWAYS_LEFT_OUT).add(`/${IGNORE_FILE}`);
    if (options.installDependencies)
        fixed.add('node_modules/');
    const own = ignore__WEBPACK_IMPORTED_MODULE_3___default()({ ignorecase: false }).add(await readIgnoreFile((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, IGNORE_FILE)));
    const leftOut = (path) => fixed.ignores(path) || own.ignores(path);
    const entries = [];
    await walk(root, '', root, leftOut, entries);
    const keys = new Map(entries.map((entry) => [entry, Buffer.from(entry.path)]));
    entries.sort((a, b) => Buffer.compare(keys.get(a), keys.get(b)));
    if (!entries.some((entry) => entry.path === 'index.js')) {
        const why = (await isFile((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, 'index.js')))
            ? `its ${IGNORE_FILE} leaves out index.js`
            : 'it has no index.js at its root';
        throw new CodeFolderError(`Function folder ${dir}: ${why}; WeChat's handler index.main needs index.js.`);
    }
    const contents = await (0,_map_limit_js__WEBPACK_IMPORTED_MODULE_4__/* .mapLimit */ .s)(entries, READ_CONCURRENCY, readEntry);
    // ORDER: zipSync stores its input's keys in JS key order, which is insertion order except that
    // array-index keys come first, ascending: a root file named only by digits ("1", "20") goes
    // before the others. Still the same bytes for the same content; `files` tells the true order.
    const mtime = fixedMtime();
    const input = {};
    entries.forEach((entry, i) => {
        const { data, executable } = contents[i];
        input[entry.path] = [
            data,
            {
                level: LEVEL,
                mtime,
                os: MADE_BY_UNIX,
                attrs: ((executable ? EXECUTABLE_MODE : FILE_MODE) << 16) >>> 0,
            },
        ];
    });
    const bytes = (0,fflate__WEBPACK_IMPORTED_MODULE_5__/* .zipSync */ .L)(input);
    const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return {
        zip,
        sha256: (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(zip).digest('hex'),
        files: Object.keys(input),
    };
}
async function realFolder(dir) {
    let stats;
    try {
        stats = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(dir);
    }
    catch (error) {
        if (error.code === 'ENOENT') {
            throw new CodeFolderError(`Function folder ${dir} does not exist.`);
        }
        throw error;
    }
    if (!stats.isDirectory())
        throw new CodeFolderError(`Function folder ${dir} is not a folder.`);
    // Resolved, so that "inside the folder" holds for links even when dir is itself reached by one.
    return (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.realpath)(dir);
}
async function readIgnoreFile(path) {
    // Only a regular file at the root counts; a link there could name rules from anywhere.
    // (A leading BOM and CRLF line ends are handled by `ignore`, as git does.)
    return (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(path).catch(() => undefined))?.isFile() ? (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(path, 'utf8') : '';
}
async function isFile(path) {
    return (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(path).catch(() => undefined))?.isFile() ?? false;
}
async function walk(folder, prefix, root, leftOut, entries) {
    const children = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(folder, { withFileTypes: true });
    for (const child of children) {
        const path = prefix + child.name;
        const absolute = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(folder, child.name);
        if (child.isDirectory()) {
            // Tested with the trailing slash, so that folder-only patterns (`logs/`) match.
            if (!leftOut(`${path}/`))
                await walk(absolute, `${path}/`, root, leftOut, entries);
        }
        else if (child.isFile()) {
            if (!leftOut(path))
                entries.push({ path, absolute });
        }
        else if (child.isSymbolicLink()) {
            if (!leftOut(path) && (await linksToFileInside(absolute, root))) {
                entries.push({ path, absolute });
            }
        }
        // Sockets, FIFOs and devices have no content to ship.
    }
}
async function linksToFileInside(link, root) {
    const target = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.realpath)(link).catch(() => undefined);
    if (target === undefined)
        return false;
    const fromRoot = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(root, target);
    const outside = fromRoot === '..' || fromRoot.startsWith(`..${node_path__WEBPACK_IMPORTED_MODULE_2__.sep}`) || (0,node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute)(fromRoot);
    if (fromRoot === '' || outside)
        return false;
    return isFile(target);
}
async function readEntry(entry) {
    // One handle for both, so the mode and the content are those of the same file.
    const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(entry.absolute, 'r');
    try {
        const { mode } = await handle.stat();
        return { data: await handle.readFile(), executable: (mode & 0o100) !== 0 };
    }
    finally {
        await handle.close();
    }
}


/***/ })

};

//# sourceMappingURL=180.index.js.map