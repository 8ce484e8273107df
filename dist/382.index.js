export const id = 382;
export const ids = [382];
export const modules = {

/***/ 5699:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ readVariables),
/* harmony export */   V: () => (/* binding */ failure)
/* harmony export */ });
// What the run asks of a cloud API, whichever route it takes: WeChat's (`tcb/*` calls with an
// access token, the code through Tencent Cloud's signed upload host) or Tencent Cloud's
// (CloudBase's API, signed with keys). The orchestrator (deploy.ts) drives one of these through
// this interface alone; no route knows of GitHub Actions, and each reports its requests through
// `onAttempt`.
/** What went wrong where no answer of the cloud decided: final, and nothing was done. */
function failure(errmsg, hint) {
    return { errcode: null, errmsg, retry: false, unclear: false, ...(hint ? { hint } : {}) };
}
/**
 * Variables as a route writes them, a list of `{[key]: name, [value]: value}`; undefined when
 * the list or an entry is not that.
 */
function readVariables(list, key, value) {
    if (!Array.isArray(list))
        return undefined;
    const variables = new Map();
    for (const entry of list) {
        const { [key]: name, [value]: text } = (entry ?? {});
        if (typeof name !== 'string' || typeof text !== 'string')
            return undefined;
        variables.set(name, text);
    }
    return variables;
}


/***/ }),

/***/ 9514:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E3: () => (/* binding */ uploadBody),
/* harmony export */   J1: () => (/* binding */ TOO_LARGE_HINT),
/* harmony export */   ad: () => (/* binding */ oversized),
/* harmony export */   hN: () => (/* binding */ maxZipBytes),
/* harmony export */   hR: () => (/* binding */ MAX_UPLOAD_BYTES),
/* harmony export */   z: () => (/* binding */ HANDLER)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _text_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8544);
/* harmony import */ var _cloud_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5699);
// The code as a cloud takes it, whichever route: the body that carries a function's zip, and
// the 10 MiB a signed request may carry, which bounds the zip on both routes.



/** What to do about code too large for one signed request. */
const TOO_LARGE_HINT = 'An upload may carry 10 MiB, the zip in base64 included (about 7.5 MiB of zip), and the cloud takes 500 MiB unzipped. Leave out what the cloud does not need: node_modules/ with `install-dependencies: true` (the cloud installs from package.json), and other files through the folder’s `.wechatignore`.';
/** The handler every function of this action has: `main` of the folder's index.js. */
const HANDLER = 'index.main';
/** Tencent Cloud's limit for a signed POST body (10 MiB): the base64 zip must fit in it. */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Why a body of `bytes` cannot be sent at all: over the 10 MiB of a signed request. */
function oversized(bytes, hint = TOO_LARGE_HINT) {
    if (bytes <= MAX_UPLOAD_BYTES)
        return undefined;
    return (0,_cloud_js__WEBPACK_IMPORTED_MODULE_2__/* .failure */ .V)(`the request body is ${(0,_text_text_js__WEBPACK_IMPORTED_MODULE_1__/* .size */ .Ej)(bytes)} (${bytes} bytes), over the 10 MiB a signed request may carry`, hint);
}
/**
 * The body of the upload, in WeChat's documented field order. The environment goes in both
 * `EnvId` (WeChat's page) and `Namespace` (what WeChat's own CI package sends; SCF documents
 * both), with the same value.
 */
function uploadBody(upload) {
    const text = JSON.stringify({
        CodeSecret: upload.codeSecret,
        EnvId: upload.env,
        FunctionName: upload.functionName,
        Handler: HANDLER,
        InstallDependency: upload.installDependencies ? 'TRUE' : 'FALSE',
        Namespace: upload.env,
        ZipFile: upload.zip.toString('base64'),
    });
    return {
        text,
        bytes: Buffer.byteLength(text),
        sha256: (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(text).digest('hex'),
    };
}
/** The bytes of a body around its zip, a code secret of up to 256 characters included. */
function bodyOverhead(env, functionName) {
    return Buffer.byteLength(uploadBody({
        codeSecret: 'x'.repeat(256),
        env,
        functionName,
        zip: Buffer.alloc(0),
        installDependencies: false,
    }).text);
}
/** The largest zip whose upload body fits in MAX_UPLOAD_BYTES, base64 and all. */
function maxZipBytes(env, functionName) {
    return Math.floor((MAX_UPLOAD_BYTES - bodyOverhead(env, functionName)) / 4) * 3;
}


/***/ }),

/***/ 8578:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $2: () => (/* binding */ readEntries),
/* harmony export */   _w: () => (/* binding */ listAll),
/* harmony export */   md: () => (/* binding */ PAGE_SIZE),
/* harmony export */   rt: () => (/* binding */ MAX_LIST_PAGES)
/* harmony export */ });
/* harmony import */ var _cloud_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5699);
// The whole list of an environment's functions, page by page, whichever route asks: how large a
// page is, when to stop, and how an entry becomes a ListedFunction under its route's field names.

/** Pages of this many entries, as WeChat's example and Tencent's CLI ask. */
const PAGE_SIZE = 20;
/** A list longer than this many pages (2,000 functions) is not believed, and fails. */
const MAX_LIST_PAGES = 100;
/**
 * Reads every page until one comes back short or adds no name it has not seen: a total count
 * is not trusted to say when to stop. `call` names the list call in a failure.
 */
async function listAll(call, page) {
    const functions = new Map();
    for (let pages = 0, offset = 0;; pages++) {
        if (pages === MAX_LIST_PAGES) {
            const errmsg = `${call} kept answering full pages: more than ${MAX_LIST_PAGES * PAGE_SIZE} functions, more than an environment holds`;
            return { ok: false, outcome: (0,_cloud_js__WEBPACK_IMPORTED_MODULE_0__/* .failure */ .V)(errmsg) };
        }
        const got = await page(offset);
        if (!got.ok)
            return got;
        const before = functions.size;
        for (const fn of got.value)
            functions.set(fn.name, fn);
        offset += got.value.length;
        if (got.value.length < PAGE_SIZE || functions.size === before)
            return { ok: true, functions };
    }
}
/** A page's entries; undefined when `entries` is not a list. Server text is redacted. */
function readEntries(entries, fields, secrets) {
    if (!Array.isArray(entries))
        return undefined;
    const listed = [];
    for (const entry of entries) {
        if (typeof entry !== 'object' || entry === null)
            continue;
        const field = (name) => entry[name];
        const name = field(fields.name);
        if (typeof name !== 'string')
            continue;
        const reasons = field(fields.reasons);
        const reason = Array.isArray(reasons)
            ? reasons
                .map((r) => {
                const { [fields.reasonCode]: code, [fields.reasonMessage]: message } = (r ??
                    {});
                return [code, message]
                    .filter((part) => typeof part === 'string' || typeof part === 'number')
                    .join(': ');
            })
                .filter(Boolean)
                .join('; ')
            : '';
        const status = field(fields.status);
        const runtime = field(fields.runtime);
        const modTime = field(fields.modTime);
        listed.push({
            name,
            status: typeof status === 'string' ? status : 'unknown',
            ...(reason ? { reason: secrets.redact(reason) } : {}),
            ...(typeof runtime === 'string' ? { runtime: secrets.redact(runtime) } : {}),
            ...(typeof modTime === 'string' ? { modTime } : {}),
        });
    }
    return listed;
}


/***/ }),

/***/ 9865:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   z: () => (/* binding */ judgeTencent)
/* harmony export */ });
/* unused harmony export tencentAnswer */
/* harmony import */ var _tencent_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(350);
// What every Tencent Cloud API 3.0 endpoint the action sends to shares, the signed upload host
// and CloudBase's API alike: the shape of an answer, and how an exchange is judged by the
// remote's table of error codes.

/**
 * Tencent Cloud API 3.0's answer: a success is a `Response` with a `RequestId` and no `Error`;
 * an error has `Error.Code`. Anything else is neither.
 */
function tencentAnswer(body) {
    let json;
    try {
        json = JSON.parse(body);
    }
    catch {
        return { kind: 'unclear', why: 'answer is not JSON' };
    }
    const response = json?.Response;
    if (typeof response !== 'object' || response === null || Array.isArray(response)) {
        return { kind: 'unclear', why: 'answer has no Response object' };
    }
    const { RequestId: requestId, Error: error } = response;
    if (error !== undefined) {
        const { Code: code, Message: message } = (error ?? {});
        if (typeof code !== 'string')
            return { kind: 'unclear', why: 'answer has an Error without a Code' };
        return {
            kind: 'error',
            code,
            message: typeof message === 'string' ? message : '',
            ...(typeof requestId === 'string' ? { requestId } : {}),
        };
    }
    if (typeof requestId !== 'string' || requestId === '') {
        return { kind: 'unclear', why: 'answer has a Response without a RequestId' };
    }
    return { kind: 'ok', requestId, response: response };
}
/**
 * Every way an exchange can end: what Tencent Cloud said, judged by `errors`, or what kept it
 * from saying. A request that may have reached the server and got no clear answer is unclear:
 * it may have been carried out. Server text is redacted.
 */
function judgeTencent(exchange, secrets, errors) {
    const failed = (errmsg, next, unclear, error) => ({
        ok: false,
        next,
        outcome: {
            errcode: null,
            errmsg: secrets.redact(errmsg),
            retry: next === 'retry',
            unclear,
            ...(error?.hint ? { hint: error.hint } : {}),
            ...(error?.refusesAll ? { refusesAll: true } : {}),
        },
    });
    if (!exchange.answered) {
        return failed(exchange.error, exchange.permanent ? 'fail' : 'retry', exchange.sent);
    }
    const { status, statusText, body } = exchange;
    if (status < 200 || status > 299) {
        // A 5xx may come from a gateway that passed the request on; a 4xx or 3xx refused it.
        const transient = status >= 500 || status === 429;
        return failed(`HTTP ${status} ${statusText}`.trim(), transient ? 'retry' : 'fail', status >= 500);
    }
    const answer = tencentAnswer(body);
    if (answer.kind === 'unclear')
        return failed(answer.why, 'retry', true);
    if (answer.kind === 'ok')
        return { ok: true, requestId: answer.requestId, response: answer.response };
    const error = (0,_tencent_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .tencentError */ .st)(errors, answer.code);
    const requestId = answer.requestId ? ` (RequestId ${answer.requestId})` : '';
    return failed(`${answer.code}: ${answer.message}${requestId}`, error.next, false, error);
}


/***/ }),

/***/ 350:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MN: () => (/* binding */ TCB_ERRORS),
/* harmony export */   Rf: () => (/* binding */ UPLOAD_HOST_ERRORS),
/* harmony export */   st: () => (/* binding */ tencentError),
/* harmony export */   tH: () => (/* binding */ STS_ERRORS)
/* harmony export */ });
/* harmony import */ var _code_limits_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9514);
// What Tencent Cloud API 3.0's error codes mean, and what the action does with each: data, not
// branches. One table for each remote that answers with them, since the same code means another
// thing at each: at the signed upload host an `AuthFailure` is about WeChat's signature and the
// code secret, at CloudBase's API (tcb.tencentcloudapi.com) about the keys of the step. Sources:
// Tencent Cloud API 3.0's common error codes and SCF's error codes (the function actions of
// CloudBase wrap SCF's), see ../shared/wechat-api.md ("The Tencent Cloud route").

/** The signed upload host's error codes, most specific first; any other code fails at once. */
const UPLOAD_HOST_ERRORS = [
    {
        code: /^AuthFailure\.SignatureExpire$/,
        next: 'sign-again',
        hint: "The signature was more than five minutes old when it arrived: check the runner's clock.",
    },
    {
        code: /^AuthFailure\./,
        next: 'fail',
        hint: 'The upload host refused the signature or the code secret: the body must be sent exactly as it was hashed, and the token must belong to this mini program.',
    },
    {
        code: /^RequestSizeLimitExceeded/,
        next: 'fail',
        hint: 'The upload body is over 10 MB: set `install-dependencies: true` to leave node_modules/ out, or list what to leave out in `.wechatignore`.',
    },
    {
        code: /^InvalidParameter/,
        next: 'fail',
        hint: 'The upload host refused a field of the body; check `env` and the function folder.',
    },
    { code: /^(RequestLimitExceeded|InternalError)/, next: 'retry' },
    // Often the function is still being created or updated: wait for it, if the list says so.
    { code: /^(ResourceInUse|FailedOperation)/, next: 'wait' },
];
const POLICY = 'The keys lack CloudBase’s permission for this action on this environment. A sub-account (CAM user or role) needs the preset policy `QcloudTCBFullAccess`, or a policy allowing `tcb:*` on this environment; keys WeChat hands out for a token serve this mini program’s environments only.';
/** CloudBase's API's error codes, most specific first; any other code fails at once. */
const TCB_ERRORS = [
    {
        code: /^AuthFailure\.SignatureExpire$/,
        next: 'sign-again',
        hint: "The signature was more than five minutes off Tencent Cloud's clock when it arrived: check the runner's clock (NTP).",
    },
    {
        code: /^AuthFailure\.SecretIdNotFound$/,
        next: 'fail',
        refusesAll: true,
        hint: 'No Tencent Cloud key has this secret id: check `tencentcloud-secret-id` (or TENCENTCLOUD_SECRET_ID), and that the key was not deleted or disabled in the API key console (CAM).',
    },
    {
        code: /^AuthFailure\.TokenFailure$/,
        next: 'fail',
        refusesAll: true,
        hint: 'The session token was refused: temporary keys expire (those WeChat hands out live 2 hours), and a token goes only with the secret id and key it was issued with. Get fresh ones in the same job.',
    },
    {
        code: /^AuthFailure\.SignatureFailure$/,
        next: 'fail',
        refusesAll: true,
        hint: 'The signature did not match: the secret key is not the one of this secret id, or something between changed the request (a proxy rewriting the body or the Host).',
    },
    {
        code: /^(AuthFailure\.)?UnauthorizedOperation/,
        next: 'fail',
        refusesAll: true,
        hint: POLICY,
    },
    {
        code: /^AuthFailure\./,
        next: 'fail',
        refusesAll: true,
        hint: 'Tencent Cloud refused the keys: check the secret id, the secret key and, for temporary keys, the session token.',
    },
    {
        code: /^RequestSizeLimitExceeded/,
        next: 'fail',
        hint: `The request body is over the 10 MB a signed request may carry. ${_code_limits_js__WEBPACK_IMPORTED_MODULE_0__/* .TOO_LARGE_HINT */ .J1}`,
    },
    {
        code: /^InvalidParameterValue\.Runtime/,
        next: 'fail',
        hint: 'The environment does not offer this runtime: set `runtime` to one the CloudBase console offers when creating a function, the newest of `Nodejs22.21`, `Nodejs20.19` or `Nodejs18.15` it offers (older ones are past their end of life).',
    },
    // SCF's trigger calls (CreateTrigger, UpdateTrigger).
    {
        code: /^(InvalidParameterValue\.TriggerName|InvalidParameterValue\.TriggerDesc|InvalidParameterValue\.Type|FailedOperation\.CreateTrigger|FailedOperation\.UpdateTrigger)/,
        next: 'fail',
        hint: "SCF refused a timer trigger of the folder's config.json: check its `name` and its `config`, a cron of seven fields (second minute hour day month weekday year), and that the function is Active.",
    },
    {
        code: /^LimitExceeded\.Trigger/,
        next: 'fail',
        hint: 'The function holds as many triggers as SCF allows: delete those it no longer needs in the console.',
    },
    {
        code: /^(ResourceInUse\.Trigger|ResourceNotFound\.Trigger)/,
        next: 'fail',
        hint: 'The triggers changed between the run reading and writing them (another run, or the console): run again.',
    },
    {
        code: /^(InvalidParameter|UnknownParameter|MissingParameter)/,
        next: 'fail',
        hint: 'A field of the request was refused: check `env`, `function-name`, `runtime`, `memory-mb`, `timeout-seconds` and `environment`.',
    },
    {
        code: /^ResourceNotFound/,
        next: 'fail',
        hint: '`env` or the function does not exist for these keys: copy the environment id, with its suffix, from the CloudBase console, and check that the keys belong to the account that owns it.',
    },
    {
        code: /^LimitExceeded/,
        next: 'fail',
        hint: "A quota of the environment is reached (functions, code size, …): see the environment's quotas in the CloudBase console.",
    },
    {
        code: /^RequestLimitExceeded/,
        next: 'retry',
        hint: 'Tencent Cloud takes 20 requests a second per action: lower `parallel`.',
    },
    { code: /^InternalError/, next: 'retry' },
    // Often the function is still being created or updated: wait for it, if the list says so.
    {
        code: /^(ResourceInUse|FailedOperation)/,
        next: 'wait',
        hint: 'The function is busy, being created or updated, or exists already.',
    },
];
const TRUST = "CAM's identity provider and the role's trust decide which tokens may assume the role: see docs/credentials.md";
/**
 * STS's error codes for AssumeRoleWithWebIdentity, most specific first; any other code fails at
 * once. Every refusal refuses all: without keys no call can be made.
 */
const STS_ERRORS = [
    {
        code: /^InvalidParameter\.WebIdentityTokenError$/,
        next: 'fail',
        refusesAll: true,
        hint: `STS refused GitHub's token: the identity provider (\`tencentcloud-oidc-provider-id\`) must have the issuer https://token.actions.githubusercontent.com, GitHub's signing keys, and as client ID the \`oidc-audience\` of the step. ${TRUST}.`,
    },
    {
        code: /^InvalidParameter\.AccountNotAvaliable$/,
        next: 'fail',
        refusesAll: true,
        hint: `The account in \`tencentcloud-role-arn\` cannot be used, or the role does not trust this identity provider or this repository and ref (its \`oidc:sub\` condition). ${TRUST}.`,
    },
    {
        code: /^ResourceNotFound\.RoleNotExist$/,
        next: 'fail',
        refusesAll: true,
        hint: 'No role has the ARN in `tencentcloud-role-arn`: copy it from the role’s page in the CAM console (`qcs::cam::uin/…:roleName/…`).',
    },
    {
        code: /^InvalidParameter\.OverTimeError$/,
        next: 'fail',
        refusesAll: true,
        hint: "The role's longest session is shorter than the keys asked for: raise the role's maximum session duration in CAM to at least 2 hours.",
    },
    {
        code: /^(InvalidParameter|MissingParameter|UnknownParameter)/,
        next: 'fail',
        refusesAll: true,
        hint: `STS refused a field of the request: check \`tencentcloud-role-arn\` and \`tencentcloud-oidc-provider-id\`. ${TRUST}.`,
    },
    {
        code: /^(ResourceNotFound|AuthFailure|UnauthorizedOperation)/,
        next: 'fail',
        refusesAll: true,
        hint: `STS would not let this token assume the role. ${TRUST}.`,
    },
    { code: /^(RequestLimitExceeded|InternalError)/, next: 'retry' },
];
const UNKNOWN = { code: /(?:)/, next: 'fail' };
/** What `code` means in `table`: its first row that matches. */
function tencentError(table, code) {
    return table.find((e) => e.code.test(code)) ?? UNKNOWN;
}


/***/ }),

/***/ 2034:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $T: () => (/* binding */ errcodeInfo),
/* harmony export */   $z: () => (/* binding */ hintOf),
/* harmony export */   E4: () => (/* binding */ SAYS_EXISTS),
/* harmony export */   YE: () => (/* binding */ HINTS_EXISTS),
/* harmony export */   q0: () => (/* binding */ describe)
/* harmony export */ });
/* unused harmony exports ERRCODES, CALL_ERRCODES */
/* harmony import */ var _text_text_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8544);
// What WeChat's errcodes mean and what the action does with each: data, not branches.
// Sources: ../shared/wechat-api.md (createfunction, cloud development and stable_token tables).

const AUTHORIZER_TOKEN = "These calls take a third-party platform's `authorizer_access_token` for the mini program " +
    '(permission sets 49 and 64). It lives two hours and is refreshed with ' +
    "`cgi-bin/component/api_authorizer_token` by the platform's own token service: fetch a fresh " +
    'one in an earlier step of the same job, mask it, and pass it as `access-token`.';
const OWN_TOKEN_REFUSED = "The token was minted from `app-id` and `app-secret`: a mini program's own token, which WeChat " +
    'may refuse for these calls (they are documented for a third-party platform). Deploy through ' +
    "Tencent Cloud's API with `api: tencentcloud`, which takes this token, or pass a third-party " +
    'platform\'s `authorizer_access_token` as `access-token` (see "Which credentials?" in the README).';
const RETRIED = 'Retried with backoff. If every attempt meets it, run again later, or raise `max-attempts` or `retry-delay-ms`.';
const REQUEST_CHANGED = 'Something between the runner and WeChat changed the request: check `api-base-url` and the proxy (`https_proxy`).';
const IP_WHITELIST = "The runner's IP address is not in the account's API IP whitelist. GitHub-hosted runners change " +
    'IP on every run: use a self-hosted runner with a fixed egress IP and whitelist it, route the ' +
    'calls through an HTTPS proxy with a fixed IP (`https_proxy`), or turn the whitelist off in the ' +
    'WeChat console (Development > Development settings).';
const ERRCODES = {
    0: { meaning: 'ok' },
    [-1]: { meaning: 'system busy', retry: true, hint: RETRIED },
    [-1000]: { meaning: 'system error', retry: true, hint: RETRIED },
    [-501001]: { meaning: 'cloud system error', retry: true, hint: RETRIED },
    [-501002]: {
        meaning: 'response timeout',
        retry: true,
        outcomeUnknown: true,
        hint: 'Retried. WeChat may have acted on the request anyway: the list decides whether a function was created.',
    },
    [-501004]: {
        meaning: 'concurrency over quota',
        retry: true,
        hint: 'Retried. Lower `parallel`, and keep two jobs from deploying to one environment at once (a `concurrency` group per environment).',
    },
    [-501000]: {
        meaning: 'upstream error',
        hint: 'errmsg carries the cause, from the cloud development layer underneath.',
        causes: [
            {
                // [seen] `[100003] env not exists … TcbCode: [INVALID_ENV]`; CloudBase documents
                // INVALID_ENV as an environment id that names no environment.
                errmsg: /env not exists|INVALID_ENV/i,
                meaning: 'environment does not exist',
                refusesAll: true,
                hint: '`env` names no cloud environment of this mini program: copy the id, with its suffix, from the cloud development console (e.g. `test-777bb9`), and check that the token is for the mini program that owns it.',
            },
        ],
    },
    [-501003]: {
        meaning: "request count over the environment's quota",
        hint: "Raise the environment's quota or wait for it to reset.",
    },
    [-501005]: {
        meaning: 'environment abnormal',
        hint: 'Check the environment in the cloud development console.',
    },
    [-501007]: { meaning: 'parameter error', hint: 'Check `env` and `function-name`.' },
    [-501009]: {
        meaning: 'resource invalid or does not exist',
        hint: 'Check that `env` names an environment of this account.',
    },
    [-501019]: {
        meaning: 'unauthorized',
        hint: 'The token does not grant cloud development on this environment.',
    },
    40001: {
        meaning: 'invalid credential',
        refusesAll: true,
        hint: 'The app secret or token is wrong for this app id.',
    },
    40013: { meaning: 'invalid appid', hint: 'Check `app-id`: it is the mini program app id, wx…' },
    40014: {
        meaning: 'invalid access_token',
        refusesAll: true,
        hint: {
            'access-token': `WeChat does not accept the token in \`access-token\`: it is stale, or not this mini program's. ${AUTHORIZER_TOKEN}`,
            'app-secret': OWN_TOKEN_REFUSED,
        },
    },
    40097: {
        meaning: 'invalid args',
        hint: 'WeChat refused a field of the request: check `env`, `function-name` and the configuration inputs.',
    },
    40101: { meaning: 'missing parameter', hint: REQUEST_CHANGED },
    44002: { meaning: 'empty POST body', hint: REQUEST_CHANGED },
    47001: { meaning: 'POST body format error', hint: REQUEST_CHANGED },
    40125: {
        meaning: 'invalid appsecret',
        hint: 'Check `app-secret`; a reset secret invalidates the old one.',
    },
    40164: { meaning: 'caller IP not in the API IP whitelist', refusesAll: true, hint: IP_WHITELIST },
    61004: { meaning: 'caller IP not in the API IP whitelist', refusesAll: true, hint: IP_WHITELIST },
    40243: {
        meaning: 'AppSecret frozen',
        hint: 'The app secret is frozen: unfreeze it in the WeChat console, or reset it and update `app-secret`.',
    },
    41001: {
        meaning: 'access_token missing',
        refusesAll: true,
        hint: 'The request reached WeChat without its token: a proxy or `api-base-url` in between dropped the query string.',
    },
    42001: {
        meaning: 'access_token expired',
        refusesAll: true,
        hint: {
            'access-token': `The token in \`access-token\` expired. ${AUTHORIZER_TOKEN}`,
            'app-secret': 'The minted token expired, and so did the one minted again.',
        },
    },
    43002: {
        meaning: 'require POST method',
        hint: 'A proxy in front of the API changed the method.',
    },
    45009: { meaning: 'daily quota reached', hint: 'Retry tomorrow, or raise the quota.' },
    45011: { meaning: 'per-minute quota reached', hint: 'Retry next minute.' },
    48001: {
        meaning: 'API not authorized for this account',
        listFallback: true,
        hint: {
            'access-token': 'The third-party platform lacks the cloud development permission sets (49 and 64) for this mini program: the authorizer must grant them to the platform (https://developers.weixin.qq.com/doc/oplatform/en/Third-party_Platforms/2.0/product/miniprogram_authority.html).',
            'app-secret': OWN_TOKEN_REFUSED,
        },
    },
    61007: {
        meaning: 'API not authorized for this account',
        listFallback: true,
        hint: 'The authorizer did not grant the cloud development permission set to the platform.',
    },
    85088: {
        meaning: 'cloud development not enabled',
        refusesAll: true,
        hint: 'Open cloud development for this mini program first.',
    },
    85089: {
        meaning: 'configuration does not exist',
        expected: true,
        hint: 'Not a failure: nothing of this kind was configured yet; the action writes it.',
    },
    [-504001]: {
        meaning: 'cloud function call failed',
        hint: "Check the function's logs in the cloud development console.",
    },
    [-504002]: {
        meaning: 'cloud function execution failed',
        hint: "The function threw or timed out: see its logs in the cloud development console. A function invoked over WeChat's API has 5 s to answer.",
    },
};
/** What an errcode means for one call, where that differs from the table above. */
const CALL_ERRCODES = {
    getqcloudtoken: {
        45009: {
            meaning: 'getqcloudtoken limit reached (10 calls an hour)',
            hint: 'WeChat hands out Tencent Cloud keys 10 times an hour per mini program: retry in an hour, or pass Tencent Cloud keys (`tencentcloud-secret-id`, `tencentcloud-secret-key`) instead.',
        },
    },
};
const UNKNOWN = { meaning: 'unknown errcode' };
/** What `errcode` means, for this call and this errmsg where the table tells them apart. */
function errcodeInfo(errcode, errmsg = '', call = '') {
    const info = Object.hasOwn(ERRCODES, errcode) ? ERRCODES[errcode] : UNKNOWN;
    const forCall = Object.hasOwn(CALL_ERRCODES, call) ? CALL_ERRCODES[call] : {};
    const { errmsg: _pattern, ...cause } = info.causes?.find((c) => c.errmsg.test(errmsg)) ?? {};
    const { causes: _causes, ...general } = info;
    return { ...general, ...cause, ...(Object.hasOwn(forCall, errcode) ? forCall[errcode] : {}) };
}
/** What the user should do, for a token of this origin. */
function hintOf(info, origin) {
    return typeof info.hint === 'object' ? info.hint[origin] : info.hint;
}
/**
 * Any wording that so much as hints at an existing function: such an answer is never trusted,
 * the list is asked instead.
 */
const HINTS_EXISTS = /exist|ResourceInUse|存在/i;
/**
 * How existence is inferred when the list cannot be read: WeChat documents no answer for an
 * existing function, and the layer underneath says `ResourceInUse.Function`.
 */
const SAYS_EXISTS = /ResourceInUse\.Function|already exist|已存在/i;
/** `errcode -1 (system busy): "errmsg"`, or the failure itself when no WeChat answer decided. */
function describe({ errcode, errmsg, meaning = errcode === null ? '' : errcodeInfo(errcode, errmsg).meaning, }) {
    const text = (0,_text_text_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(errmsg);
    if (errcode === null)
        return text;
    return `errcode ${errcode} (${meaning})${text ? `: ${JSON.stringify(text)}` : ''}`;
}


/***/ }),

/***/ 5205:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ signedHeaderSecrets),
/* harmony export */   q: () => (/* binding */ ScfClient)
/* harmony export */ });
/* harmony import */ var _net_hosts_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3256);
/* harmony import */ var _tencentcloud_tencent_api_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9865);
/* harmony import */ var _tencentcloud_tencent_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(350);
// The signed upload host: Tencent Cloud's SCF API, which takes a function's code in the body that
// WeChat signed (`tcb/getuploadsignature`), built by ../code-limits.ts. This client decides where
// a signature may be sent, and judges the host's answer. It knows nothing of GitHub Actions.



/** Headers of a signature whose values are public: they say what the request is, not who. */
const PUBLIC_HEADERS = new Set([
    'host',
    'content-type',
    'x-tc-action',
    'x-tc-version',
    'x-tc-timestamp',
    'x-tc-region',
    'x-tc-language',
]);
/** Headers whose value is a credential, whatever its length. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-tc-token']);
/**
 * An unknown header's value at least this long may be a credential and is masked; shorter ones
 * (`10`, `close`, `chunked`) are common words, and masking them would garble every message.
 */
const MIN_SECRET_LENGTH = 16;
/**
 * The parts of a signature (`Name:value` lines) that carry a credential: the Authorization, its
 * signature and its credential id on their own (a server may echo either alone), X-TC-Token, and
 * any other unknown value long enough to be a credential.
 */
function signedHeaderSecrets(signature) {
    const secrets = [];
    for (const [name, value] of headerLines(signature)) {
        const lower = name.toLowerCase();
        if (PUBLIC_HEADERS.has(lower))
            continue;
        if (CREDENTIAL_HEADERS.has(lower) || value.length >= MIN_SECRET_LENGTH)
            secrets.push(value);
        for (const [, part] of value.matchAll(/(?:Signature|Credential)=([^,\s]+)/g)) {
            secrets.push(part, part.split('/')[0]);
        }
    }
    return secrets.filter((secret) => secret !== '');
}
/** `Name:value` lines, split at the first colon of each. */
function headerLines(signature) {
    return signature.split(/\r?\n/).flatMap((line) => {
        const at = line.indexOf(':');
        return at <= 0
            ? []
            : [[line.slice(0, at).trim(), line.slice(at + 1).trim()]];
    });
}
class ScfClient {
    #transport;
    #secrets;
    /** Loopback hosts are allowed only when the API itself is on loopback: the stand-in. */
    #loopbackScheme;
    constructor({ transport, secrets, apiBaseUrl, }) {
        this.#transport = transport;
        this.#secrets = secrets;
        const api = new URL(apiBaseUrl);
        this.#loopbackScheme = _net_hosts_js__WEBPACK_IMPORTED_MODULE_2__/* .LOOPBACK */ .W.test(api.hostname) ? api.protocol : undefined;
    }
    /**
     * Reads WeChat's signature (`Name:value` lines) into headers, masking every secret value, and
     * decides where it may go: a Tencent Cloud host over https, never anywhere else, so that the
     * code secret and the signature reach no one but the host they were made for.
     */
    sign(signature) {
        for (const secret of signedHeaderSecrets(signature))
            this.#secrets.add(secret);
        const headers = {};
        const seen = new Map();
        for (const [name, value] of headerLines(signature)) {
            // The same header twice: which one the host checks is not known, so neither is sent.
            const earlier = seen.get(name.toLowerCase());
            if (earlier !== undefined && earlier !== value) {
                return {
                    refused: `the upload signature gives ${name} twice, with different values: nothing was sent`,
                };
            }
            seen.set(name.toLowerCase(), value);
            headers[name] = value;
        }
        const host = seen.get('host') ?? '';
        let url;
        try {
            url = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[::1\](:\d{1,5})?$/.test(host)
                ? new URL(`https://${host}/`)
                : undefined;
        }
        catch {
            url = undefined;
        }
        if (url && _net_hosts_js__WEBPACK_IMPORTED_MODULE_2__/* .TENCENT_HOST */ .T.test(url.hostname))
            return { url: url.href, headers };
        if (url && this.#loopbackScheme && _net_hosts_js__WEBPACK_IMPORTED_MODULE_2__/* .LOOPBACK */ .W.test(url.hostname)) {
            url.protocol = this.#loopbackScheme;
            return { url: url.href, headers };
        }
        const what = host ? `the host ${JSON.stringify(host.slice(0, 80))}` : 'no Host header';
        return {
            refused: `the upload signature names ${what}, not a tencentcloudapi.com host: nothing was sent`,
        };
    }
    /** Sends the body exactly as hashed, with the signed headers. Never throws. */
    async upload(request, body) {
        const headers = { 'Content-Type': 'application/json', ...request.headers };
        const exchange = await this.#transport.post(request.url, body.text, headers);
        return {
            ...judge(exchange, this.#secrets),
            url: request.url,
            ...(exchange.answered ? { httpStatus: exchange.status } : {}),
            latencyMs: exchange.latencyMs,
        };
    }
}
/** What the host did with one send: took it, or why not and what to do next. */
function judge(exchange, secrets) {
    const judged = (0,_tencentcloud_tencent_api_js__WEBPACK_IMPORTED_MODULE_0__/* .judgeTencent */ .z)(exchange, secrets, _tencentcloud_tencent_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .UPLOAD_HOST_ERRORS */ .Rf);
    return judged.ok
        ? { kind: 'accepted', detail: `ok (RequestId ${judged.requestId})` }
        : { kind: 'refused', outcome: judged.outcome, next: judged.next };
}


/***/ }),

/***/ 2079:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CONFIG_TYPE: () => (/* binding */ CONFIG_TYPE),
/* harmony export */   KEYS_LIFESPAN_S: () => (/* binding */ KEYS_LIFESPAN_S),
/* harmony export */   MAX_ANSWER_BYTES: () => (/* binding */ MAX_ANSWER_BYTES),
/* harmony export */   MAX_INVOKE_ANSWER_BYTES: () => (/* binding */ MAX_INVOKE_ANSWER_BYTES),
/* harmony export */   MAX_LIST_PAGES: () => (/* reexport safe */ _listing_js__WEBPACK_IMPORTED_MODULE_4__.rt),
/* harmony export */   PAGE_SIZE: () => (/* reexport safe */ _listing_js__WEBPACK_IMPORTED_MODULE_4__.md),
/* harmony export */   WeChatClient: () => (/* binding */ WeChatClient),
/* harmony export */   readSettings: () => (/* binding */ readSettings),
/* harmony export */   settingsConfig: () => (/* binding */ settingsConfig)
/* harmony export */ });
/* harmony import */ var _net_retry_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(7893);
/* harmony import */ var _secrets_credentials_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3179);
/* harmony import */ var _secrets_secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(360);
/* harmony import */ var _text_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8544);
/* harmony import */ var _cloud_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5699);
/* harmony import */ var _listing_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8578);
/* harmony import */ var _errcodes_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2034);
/* harmony import */ var _scf_client_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5205);
// The WeChat API client: the endpoints, the errcode table, the retry rule and the token. It knows
// nothing of GitHub Actions and reports every attempt through `onAttempt`, so it runs anywhere.








/** WeChat's answers are small; anything near this is not WeChat. */
const MAX_ANSWER_BYTES = 64 * 1024;
/**
 * Except an invocation's, which carries what the function returned: Tencent Cloud's SCF returns
 * at most 6 MB from a synchronous invocation, and JSON may escape some of it. Only its first
 * MAX_RESPONSE_CHARS are kept.
 */
const MAX_INVOKE_ANSWER_BYTES = 8 * 1024 * 1024;

/** How long the Tencent Cloud keys of getqcloudtoken live: WeChat's most, 2 hours. */
const KEYS_LIFESPAN_S = 7200;
const HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };
/** What WeChat's config types hold (`tcb/getfuncconfig`, `tcb/uploadfuncconfig`). */
const CONFIG_TYPE = { permissions: 1, settings: 3 };
/** Where listfunctions keeps each field of a function [doc, batch variant for the reasons]. */
const ENTRY_FIELDS = {
    name: 'name',
    status: 'status',
    reasons: 'status_reason',
    reasonCode: 'errcode',
    reasonMessage: 'errmsg',
    runtime: 'runtime',
    modTime: 'mod_time',
};
/** Token errcodes after which a minted token is minted again, once. */
const STALE_TOKEN = new Set([42001, 40001]);
class WeChatClient {
    #options;
    #token;
    /** Tokens that got an answer other than a token error: a later 40001 means one went stale. */
    #worked = new Set();
    /** The one new token a run may mint when the first goes stale, and the token it replaced. */
    #remint;
    constructor(options) {
        this.#options = options;
    }
    /** The access token: the one given, or one minted once from the app id and secret. */
    token() {
        const { credentials } = this.#options;
        if (credentials.kind === 'access-token') {
            return Promise.resolve({ ok: true, value: credentials.accessToken });
        }
        this.#token ??= this.#mint(credentials.appId, credentials.appSecret);
        return this.#token;
    }
    /**
     * Mints a token with `cgi-bin/stable_token` (never `cgi-bin/token`, which revokes the app's live
     * token, and never `force_refresh`, limited to 20 a day). The token is registered with the
     * secrets before anything else sees it, and checked: an answer without one is a failure.
     */
    async #mint(appId, appSecret) {
        const body = {
            grant_type: 'client_credential',
            appid: appId,
            secret: appSecret,
            force_refresh: false,
        };
        let token;
        const { value } = await this.#retry('stable_token', 'access token', async () => {
            const sent = await this.#post('stable_token', '/cgi-bin/stable_token', '', body);
            const { outcome } = sent;
            const minted = outcome.json?.access_token;
            if (outcome.errcode !== 0)
                return { value: sent, retry: outcome.retry };
            if (typeof minted === 'string' && _secrets_credentials_js__WEBPACK_IMPORTED_MODULE_5__/* .CREDENTIAL */ .Y.test(minted)) {
                token = minted;
                return { value: sent, retry: false };
            }
            const what = minted === undefined ? 'no access_token' : 'an access_token that is not visible ASCII';
            const errmsg = `stable_token answered errcode 0 with ${what}`;
            return { value: { ...sent, outcome: (0,_cloud_js__WEBPACK_IMPORTED_MODULE_6__/* .failure */ .V)(errmsg) }, retry: false };
        });
        return token === undefined ? { ok: false, outcome: value.outcome } : { ok: true, value: token };
    }
    /** Every function of `env`, page by page (see listAll). */
    listFunctions(env) {
        return (0,_listing_js__WEBPACK_IMPORTED_MODULE_4__/* .listAll */ ._w)('listfunctions', async (offset) => {
            const { outcome } = await this.#call('listfunctions', env, { env, limit: _listing_js__WEBPACK_IMPORTED_MODULE_4__/* .PAGE_SIZE */ .md, offset });
            if (outcome.errcode !== 0)
                return { ok: false, outcome };
            const entries = (0,_listing_js__WEBPACK_IMPORTED_MODULE_4__/* .readEntries */ .$2)(outcome.json?.functions, ENTRY_FIELDS, this.#options.secrets);
            return entries
                ? { ok: true, value: entries }
                : {
                    ok: false,
                    outcome: (0,_cloud_js__WEBPACK_IMPORTED_MODULE_6__/* .failure */ .V)('listfunctions answered errcode 0 with no `functions` list'),
                };
        });
    }
    /** Creates one function, retrying what is transient. Never throws: every ending is a value. */
    async createFunction(env, functionName) {
        const unclear = [];
        let sent = 0;
        const { outcome, attempts } = await this.#call('createfunction', functionName, { env, function_name: functionName }, {
            onOutcome: (o) => {
                sent++;
                if (o.unclear)
                    unclear.push(sent);
            },
        });
        return { ok: outcome.errcode === 0, outcome, attempts, unclear };
    }
    /** The mini program's code secret, registered as a secret before anything of it is told. */
    async codeSecret() {
        const { outcome } = await this.#call('getcodesecret', 'code secret', {});
        return field(outcome, 'getcodesecret', 'codesecret');
    }
    /**
     * The signed headers for an upload body whose SHA-256 is `hashedPayload`: one attempt, as the
     * upload that needs it is retried as a whole, a fresh signature each time.
     */
    async uploadSignature(functionName, hashedPayload) {
        const payload = { hashed_payload: hashedPayload };
        const { outcome } = await this.#call('getuploadsignature', functionName, payload, {
            once: true,
        });
        return field(outcome, 'getuploadsignature', 'headers');
    }
    /**
     * A configuration of `type` (CONFIG_TYPE), as the JSON text WeChat holds; null when none was
     * ever written (85089). Variable values in it are secrets, registered before it is told.
     */
    async functionConfig(env, name, type) {
        const { outcome } = await this.#call('getfuncconfig', name, { type, env, function_name: name });
        if (outcome.errcode === 85089)
            return { ok: true, value: null };
        return field(outcome, 'getfuncconfig', 'config');
    }
    /** Replaces the configuration of `type` with `config`, a JSON text. */
    async uploadFunctionConfig(env, name, type, config) {
        const payload = { type, env, function_name: name, config };
        return (await this.#call('uploadfuncconfig', name, payload)).outcome;
    }
    /** Invokes `name` with `event` (JSON text); `resp_data`, what it returned. */
    async invoke(env, name, event) {
        const { outcome } = await this.#call('invokecloudfunction', name, event, {
            params: { env, name },
            onlyUnsent: true,
            maxAnswerBytes: MAX_INVOKE_ANSWER_BYTES,
        });
        const answer = field(outcome, 'invokecloudfunction', 'resp_data', true);
        // Redacted whole, then clipped: a cut could leave part of a secret that redaction misses.
        return answer.ok
            ? { ok: true, value: (0,_text_text_js__WEBPACK_IMPORTED_MODULE_1__/* .clip */ .$Q)(this.#options.secrets.redact(answer.value), _text_text_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_RESPONSE_CHARS */ .Vx) }
            : answer;
    }
    /** Temporary Tencent Cloud keys for CloudBase's API, masked the moment they arrive. */
    async qcloudKeys() {
        const { outcome } = await this.#call('getqcloudtoken', 'Tencent Cloud keys', {
            lifespan: KEYS_LIFESPAN_S,
        });
        if (outcome.errcode !== 0)
            return { ok: false, outcome };
        const { secretid, secretkey, token, expired_time: expires } = outcome.json ?? {};
        const text = [secretid, secretkey, token].every((value) => typeof value === 'string' && _secrets_credentials_js__WEBPACK_IMPORTED_MODULE_5__/* .CREDENTIAL */ .Y.test(value));
        if (!text || typeof expires !== 'number') {
            return {
                ok: false,
                outcome: (0,_cloud_js__WEBPACK_IMPORTED_MODULE_6__/* .failure */ .V)('getqcloudtoken answered errcode 0 without secretid, secretkey, token and expired_time'),
            };
        }
        return {
            ok: true,
            value: {
                secretId: secretid,
                secretKey: secretkey,
                token: token,
                expiresAt: expires,
            },
        };
    }
    /**
     * One call of the API with the token, retried by the rule. A minted token that went stale
     * (42001, or 40001 after it had worked) is minted again, once per run, and the call made again.
     */
    async #call(call, subject, payload, options = {}) {
        const { onOutcome = () => { }, params = {}, once = false, again = false } = options;
        const token = await this.token();
        if (!token.ok)
            return { outcome: token.outcome, attempts: 0 };
        const query = `?${new URLSearchParams({ access_token: token.value, ...params })}`;
        const attempt = async () => {
            const { neverLeft, ...sent } = await this.#post(call, `/tcb/${call}`, query, payload, {
                maxAnswerBytes: options.maxAnswerBytes,
            });
            onOutcome(sent.outcome);
            return { value: sent, retry: sent.outcome.retry && (neverLeft || !options.onlyUnsent) };
        };
        const { value, attempts } = await this.#retry(call, subject, attempt, once);
        const { outcome } = value;
        if (outcome.errcode !== null && !STALE_TOKEN.has(outcome.errcode)) {
            this.#worked.add(token.value);
        }
        if (again || !this.#isStale(outcome, token.value))
            return { outcome, attempts };
        const fresh = await this.#mintAgain(token.value);
        if (!fresh?.ok)
            return { outcome, attempts };
        const retried = await this.#call(call, subject, payload, { ...options, again: true });
        return { outcome: retried.outcome, attempts: attempts + retried.attempts };
    }
    #isStale({ errcode }, token) {
        if (this.#options.credentials.kind !== 'app-secret')
            return false;
        return errcode === 42001 || (errcode === 40001 && this.#worked.has(token));
    }
    /** One new token per run; calls that found the old one stale at the same time share it. */
    #mintAgain(stale) {
        const { credentials } = this.#options;
        if (credentials.kind !== 'app-secret')
            return undefined;
        if (this.#remint === undefined) {
            const token = this.#mint(credentials.appId, credentials.appSecret);
            this.#remint = { stale, token };
            this.#token = token;
        }
        return this.#remint.stale === stale ? this.#remint.token : undefined;
    }
    #retry(call, subject, attempt, once = false) {
        const { onAttempt } = this.#options;
        const policy = once ? { ...this.#options.retry, maxAttempts: 1 } : this.#options.retry;
        return (0,_net_retry_js__WEBPACK_IMPORTED_MODULE_7__/* .retry */ .L5)(attempt, policy, (n, sent, delayMs) => {
            const { errcode, errmsg } = sent.outcome;
            const ok = errcode === 0 || (errcode !== null && !!(0,_errcodes_js__WEBPACK_IMPORTED_MODULE_2__/* .errcodeInfo */ .$T)(errcode, errmsg, call).expected);
            onAttempt?.({
                call,
                subject,
                ok,
                attempt: n,
                maxAttempts: policy.maxAttempts,
                ...sent,
                delayMs,
            });
        });
    }
    /** One POST, judged by the errcode table. */
    async #post(call, path, query, payload, { maxAnswerBytes } = {}) {
        const { baseUrl, transport, secrets, credentials } = this.#options;
        const url = `${baseUrl}${path}${query}`;
        const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
        const exchange = await transport.post(url, body, HEADERS, { maxAnswerBytes });
        return {
            neverLeft: !exchange.answered && !exchange.sent,
            outcome: judge(exchange, secrets, call, credentials.kind),
            url: secrets.redact(url),
            httpStatus: exchange.answered ? exchange.status : undefined,
            latencyMs: exchange.latencyMs,
        };
    }
}
/** A string field of a successful answer, or why there is none. */
function field(outcome, call, name, emptyAllowed = false) {
    if (outcome.errcode !== 0)
        return { ok: false, outcome };
    const value = outcome.json?.[name];
    if (typeof value !== 'string' || (value === '' && !emptyAllowed)) {
        return { ok: false, outcome: (0,_cloud_js__WEBPACK_IMPORTED_MODULE_6__/* .failure */ .V)(`${call} answered errcode 0 with no ${name}`) };
    }
    return { ok: true, value };
}
/**
 * The secrets an answer carries, by call: registered the moment the answer is read, before its
 * errmsg or anything else of it is redacted, logged or returned.
 */
const ANSWER_SECRETS = {
    stable_token: (json) => [json.access_token],
    getcodesecret: (json) => [json.codesecret],
    getuploadsignature: (json) => typeof json.headers === 'string' ? (0,_scf_client_js__WEBPACK_IMPORTED_MODULE_3__/* .signedHeaderSecrets */ .X)(json.headers) : [],
    getfuncconfig: (json) => (typeof json.config === 'string' ? variableValues(json.config) : []),
    getqcloudtoken: (json) => [json.secretid, json.secretkey, json.token],
};
/** The values of a type-3 configuration's variables. */
function variableValues(config) {
    try {
        const { environment } = JSON.parse(config);
        return Array.isArray(environment)
            ? (0,_secrets_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .maskedValues */ .ql)(environment.map((v) => v?.value))
            : [];
    }
    catch {
        return [];
    }
}
/**
 * A type-3 configuration (JSON text; null when none was ever written): its timeout, unknown when
 * it has none, and its variables. uploadfuncconfig writes the configuration whole, so one without
 * `environment` holds no variables. Undefined when it cannot be read.
 */
function readSettings(config) {
    if (config === null)
        return { settings: { environment: new Map() }, fields: {} };
    let json;
    try {
        json = JSON.parse(config);
    }
    catch {
        return undefined;
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
        return undefined;
    const fields = json;
    const variables = (0,_cloud_js__WEBPACK_IMPORTED_MODULE_6__/* .readVariables */ .C)(fields.environment ?? [], 'key', 'value');
    if (!variables)
        return undefined;
    const { timeout } = fields;
    return {
        settings: {
            ...(Number.isInteger(timeout) ? { timeout: timeout } : {}),
            environment: variables,
        },
        fields,
    };
}
/**
 * A type-3 configuration as WeChat takes it, whole: every field `held` had, with the timeout and
 * the variables `settings` sets.
 */
function settingsConfig(held, settings) {
    return JSON.stringify({
        ...held,
        ...(settings.timeout === undefined ? {} : { timeout: settings.timeout }),
        ...(settings.environment
            ? { environment: [...settings.environment].map(([key, value]) => ({ key, value })) }
            : {}),
    });
}
/** Every way an exchange can end, as an Outcome: what WeChat said, or what kept it from saying. */
function judge(exchange, secrets, call, origin) {
    if (!exchange.answered) {
        return {
            errcode: null,
            errmsg: secrets.redact(exchange.error),
            retry: !exchange.permanent,
            unclear: exchange.sent,
        };
    }
    const { status, statusText, body } = exchange;
    if (status < 200 || status > 299) {
        // A 5xx may come from a gateway that passed the request on; a 4xx or 3xx refused it.
        return {
            errcode: null,
            errmsg: secrets.redact(`HTTP ${status} ${statusText}`.trim()),
            retry: status >= 500 || status === 429,
            unclear: status >= 500,
        };
    }
    let json;
    try {
        json = JSON.parse(body);
    }
    catch {
        // A gateway's page or a cut-off answer: something answered, so the request may have been
        // carried out, and another try may reach WeChat.
        return { errcode: null, errmsg: 'answer is not JSON', retry: true, unclear: true };
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
        return { errcode: null, errmsg: 'answer is not a JSON object', retry: false, unclear: true };
    }
    const answer = json;
    for (const secret of ANSWER_SECRETS[call]?.(answer) ?? []) {
        if (typeof secret === 'string')
            secrets.add(secret);
    }
    const errmsg = typeof answer.errmsg === 'string' ? secrets.redact(answer.errmsg) : '';
    if (!Number.isInteger(answer.errcode)) {
        // stable_token answers success without an errcode.
        if (typeof answer.access_token === 'string')
            return { errcode: 0, errmsg: 'ok', retry: false, unclear: false, json: answer };
        const what = 'errcode' in answer ? 'errcode that is not a number' : 'no errcode';
        return {
            errcode: null,
            errmsg: `answer has ${what}`,
            retry: false,
            unclear: true,
            json: answer,
        };
    }
    const errcode = answer.errcode;
    const info = (0,_errcodes_js__WEBPACK_IMPORTED_MODULE_2__/* .errcodeInfo */ .$T)(errcode, errmsg, call);
    const hint = (0,_errcodes_js__WEBPACK_IMPORTED_MODULE_2__/* .hintOf */ .$z)(info, origin);
    const general = (0,_errcodes_js__WEBPACK_IMPORTED_MODULE_2__/* .errcodeInfo */ .$T)(errcode, errmsg).meaning;
    return {
        errcode,
        errmsg,
        ...(info.meaning !== general ? { meaning: info.meaning } : {}),
        retry: info.retry ?? false,
        unclear: info.outcomeUnknown ?? info.meaning === 'unknown errcode',
        ...(hint ? { hint } : {}),
        ...(info.refusesAll ? { refusesAll: true } : {}),
        json: answer,
    };
}


/***/ }),

/***/ 943:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MAX_ATTEMPT_MS: () => (/* binding */ MAX_ATTEMPT_MS),
/* harmony export */   Transport: () => (/* binding */ Transport),
/* harmony export */   attemptLimitMs: () => (/* binding */ attemptLimitMs)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1692);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_tls__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _actions_http_client__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4942);
/* harmony import */ var _text_text_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8544);






/**
 * Ten minutes. A signed upload's timestamp is valid for five, so the host refuses a slower one
 * anyway: twice that cuts nothing it could still accept, and carries its largest body (10 MB) at
 * 140 kbit/s. Yet a server that sends a byte now and then, just often enough to dodge the stall
 * timer, cannot hold a job for hours.
 */
const MAX_ATTEMPT_MS = 10 * 60_000;
/** The body goes to the socket in pieces of this size: each piece it takes is progress. */
const CHUNK_BYTES = 64 * 1024;
/**
 * Once the socket has taken the last byte, the system may still hold much of the body in its
 * buffers (megabytes, in front of a slow link or a slow reader), and nothing says when it has
 * left. So the wait for the answer grows by a second for every 64 KiB of body: the time it takes
 * at 512 kbit/s, the slowest link planned for.
 */
const DELIVERY_BYTES_PER_S = 64 * 1024;
/**
 * The most one attempt may take: the time without progress, twice (connecting, and waiting for
 * the answer), and twice what its body takes at the slowest link planned for (sending it, and
 * what the system may still hold of it when the socket took it all), within MAX_ATTEMPT_MS. A
 * call of WeChat's API ends within a minute at the defaults; an upload of 10 MB within 6 min 20 s.
 */
function attemptLimitMs(bodyBytes, timeoutMs) {
    const delivery = Math.ceil(bodyBytes / DELIVERY_BYTES_PER_S) * 1000;
    return Math.min(MAX_ATTEMPT_MS, 2 * timeoutMs + 2 * delivery);
}
/** Where an attempt stands; each stage has its own bound, in this order. */
const STAGES = ['connecting', 'sending', 'waiting', 'reading'];
/** Network errors that prove the request never left this machine. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
/** Certificate problems: the same certificate comes back on every retry. */
const TLS_CODES = /^(ERR_TLS_CERT_ALTNAME_INVALID|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|CERT_\w+|UNABLE_TO_\w+|ERR_SSL_\w+|ERR_TLS_\w+)$/;
/** The variables http-client takes a proxy from. */
const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];
/** How the proxy tunnel (the `tunnel` package inside http-client) reports a failed CONNECT. */
const TUNNEL_FAILED = /^tunneling socket could not be established/;
class Transport {
    #http;
    #https;
    #options;
    /** Ends each attempt in flight, so that close() leaves nothing running. */
    #attempts = new Set();
    /** CONNECT requests still open, so that a hung proxy cannot keep the process alive. */
    #connects = new Set();
    #tunnels = new WeakSet();
    /** TLS sockets whose handshake is done: a kept-alive one is ready when it is reused. */
    #secured = new WeakSet();
    /** Collects the CONNECT requests that the request being built opens. */
    #opening;
    constructor(options) {
        this.#options = options;
        // curl reads a proxy without a scheme (`proxy.corp:3128`) as http://. http-client would parse
        // `proxy.corp:` as a scheme with no host and send every request direct, ignoring the proxy.
        for (const name of PROXY_VARIABLES) {
            const proxy = process.env[name]?.trim();
            if (proxy && !proxy.includes('://'))
                process.env[name] = `http://${proxy}`;
        }
        // http-client keeps the first agent it makes, for whichever scheme came first, and an https
        // agent refuses http URLs (and the reverse): one client per scheme.
        const client = () => new _actions_http_client__WEBPACK_IMPORTED_MODULE_4__/* .HttpClient */ .Qq(options.userAgent, [], {
            // Reuse connections across requests and retries. No socket limit: callers bound the
            // requests in flight, and a request that timed out must not hold a slot.
            keepAlive: true,
            // Its idle timer must not cut a slow upload; the timers here end every attempt first.
            socketTimeout: options.maxAttemptMs ?? MAX_ATTEMPT_MS,
            allowRedirects: false,
            allowRetries: false,
        });
        this.#http = client();
        this.#https = client();
    }
    /** Ends every exchange in flight and closes every connection, so that nothing outlives it. */
    close() {
        for (const end of this.#attempts)
            end(new Error('closed while the request was in flight'));
        for (const connect of this.#connects)
            destroyQuietly(connect);
        this.#connects.clear();
        this.#http.dispose();
        this.#https.dispose();
    }
    /** `maxAnswerBytes` overrides the transport's for this request. */
    async post(url, body, headers, { maxAnswerBytes = this.#options.maxAnswerBytes } = {}) {
        const started = performance.now();
        const latencyMs = () => Math.round(performance.now() - started);
        const { timeoutMs } = this.#options;
        const parsedUrl = new URL(url);
        const secure = parsedUrl.protocol === 'https:';
        const client = secure ? this.#https : this.#http;
        const agent = client.getAgent(url);
        const tunnel = this.#watchTunnel(agent);
        const payload = Buffer.from(body, 'utf8');
        const maxAttemptMs = this.#options.maxAttemptMs ?? attemptLimitMs(payload.length, timeoutMs);
        const controller = new AbortController();
        // Building the request opens the tunnel's CONNECT at once: collect it for this attempt.
        const opened = [];
        let request;
        let message;
        let stage = 'connecting';
        let finished = false;
        let pushed = 0;
        let received = 0;
        const source = new node_stream__WEBPACK_IMPORTED_MODULE_2__.Readable({
            highWaterMark: CHUNK_BYTES,
            read() {
                // Asked for another piece: the socket has taken the one before.
                if (stage === 'sending')
                    stall.refresh();
                const piece = payload.subarray(pushed, pushed + CHUNK_BYTES);
                pushed += piece.length;
                this.push(piece.length > 0 ? piece : null);
            },
        });
        /** Body bytes the socket has taken: pushed, less what the stream and the request still hold. */
        const taken = () => Math.max(0, pushed - source.readableLength - (request?.writableLength ?? 0));
        let fail = () => { };
        const failed = new Promise((_, reject) => {
            fail = reject;
        });
        failed.catch(() => { });
        const end = (error) => {
            fail(error);
            controller.abort();
            message?.destroy();
            for (const connect of opened)
                this.#drop(connect);
        };
        this.#attempts.add(end);
        const timeOut = (text) => end(Object.assign(new Error(text), { code: 'ETIMEDOUT' }));
        const allowanceMs = Math.floor(payload.length / DELIVERY_BYTES_PER_S) * 1000;
        // Say where it stuck: a proxy, a connect or a handshake that never completed, or a body that
        // stopped part way, did not give the server the request.
        const stalled = () => {
            if (stage === 'connecting') {
                const stuck = tunnel && !request?.socket
                    ? `the proxy ${proxyName(tunnel)} did not open a tunnel`
                    : !request?.socket || request.socket.connecting
                        ? `could not connect to ${parsedUrl.host}`
                        : `the TLS handshake with ${parsedUrl.host} did not complete`;
                return `${stuck} within ${timeoutMs} ms`;
            }
            if (stage === 'sending') {
                return `sending stalled: no progress for ${timeoutMs} ms after ${(0,_text_text_js__WEBPACK_IMPORTED_MODULE_5__/* .size */ .Ej)(taken())} of ${(0,_text_text_js__WEBPACK_IMPORTED_MODULE_5__/* .size */ .Ej)(payload.length)}`;
            }
            if (stage === 'waiting') {
                const more = allowanceMs
                    ? `, and ${allowanceMs / 1000} s more for its ${(0,_text_text_js__WEBPACK_IMPORTED_MODULE_5__/* .size */ .Ej)(payload.length)} to get through`
                    : '';
                return `no answer within ${timeoutMs} ms after the request was sent${more}`;
            }
            return `the answer stalled: no progress for ${timeoutMs} ms after ${(0,_text_text_js__WEBPACK_IMPORTED_MODULE_5__/* .size */ .Ej)(received)}`;
        };
        const onStall = () => timeOut(stalled());
        let stall = setTimeout(onStall, timeoutMs);
        const cap = setTimeout(() => {
            const where = {
                connecting: 'before a connection was made',
                sending: `with ${(0,_text_text_js__WEBPACK_IMPORTED_MODULE_5__/* .size */ .Ej)(taken())} of ${(0,_text_text_js__WEBPACK_IMPORTED_MODULE_5__/* .size */ .Ej)(payload.length)} sent`,
                waiting: 'with the request sent and no answer yet',
                reading: `with ${(0,_text_text_js__WEBPACK_IMPORTED_MODULE_5__/* .size */ .Ej)(received)} of the answer read`,
            }[stage];
            timeOut(`gave up after the ${duration(maxAttemptMs)} limit per attempt, ${where}`);
        }, maxAttemptMs);
        let over = false;
        /** Moves on to a later stage, whose bound starts now; an earlier one is past already. */
        const advance = (next, boundMs = timeoutMs) => {
            // Late events of an attempt that has ended must not start a timer that nothing clears.
            if (over || STAGES.indexOf(next) <= STAGES.indexOf(stage))
                return;
            stage = next;
            clearTimeout(stall);
            stall = setTimeout(onStall, boundMs);
        };
        const module = secure ? node_https__WEBPACK_IMPORTED_MODULE_1__ : node_http__WEBPACK_IMPORTED_MODULE_0__;
        const httpModule = {
            request: (options, callback) => {
                this.#opening = opened;
                let built;
                try {
                    built = module.request(options, callback);
                }
                finally {
                    this.#opening = undefined;
                }
                request = built;
                built.once('socket', (socket) => this.#whenReady(socket, () => advance('sending')));
                built.once('finish', () => {
                    finished = true;
                    advance('waiting', timeoutMs + allowanceMs);
                });
                built.once('response', (answer) => {
                    message = answer;
                    advance('reading');
                });
                return built;
            },
        };
        try {
            const response = await Promise.race([
                client.requestRaw({
                    parsedUrl,
                    httpModule,
                    options: {
                        // An IPv6 literal keeps its brackets in a URL, but not as a host to connect to.
                        host: parsedUrl.hostname.replace(/^\[(.*)\]$/, '$1'),
                        port: parsedUrl.port ? Number(parsedUrl.port) : secure ? 443 : 80,
                        path: `${parsedUrl.pathname}${parsedUrl.search}`,
                        method: 'POST',
                        headers: {
                            ...headers,
                            'content-length': String(payload.length),
                            'user-agent': client.userAgent,
                        },
                        agent,
                        signal: controller.signal,
                    },
                }, source),
                failed,
            ]);
            const text = await Promise.race([
                readBounded(response.message, maxAnswerBytes, (bytes) => {
                    received += bytes;
                    stall.refresh();
                }),
                failed,
            ]);
            return {
                answered: true,
                status: response.message.statusCode ?? 0,
                statusText: response.message.statusMessage ?? '',
                body: text,
                latencyMs: latencyMs(),
            };
        }
        catch (error) {
            const sent = stage === 'waiting' || stage === 'reading';
            return { ...judgeFailure(error, sent, tunnel), latencyMs: latencyMs() };
        }
        finally {
            over = true;
            clearTimeout(stall);
            clearTimeout(cap);
            this.#attempts.delete(end);
            for (const connect of opened)
                this.#connects.delete(connect);
            // A server may answer before it has read the whole body: the rest is not worth sending.
            if (!finished)
                request?.destroy();
        }
    }
    /** Calls `ready` once the socket can carry the request: connected, its TLS handshake done. */
    #whenReady(socket, ready) {
        if (socket instanceof node_tls__WEBPACK_IMPORTED_MODULE_3__.TLSSocket && !this.#secured.has(socket)) {
            socket.once('secureConnect', () => {
                this.#secured.add(socket);
                ready();
            });
        }
        else if (socket.connecting)
            socket.once('connect', ready);
        else
            ready();
    }
    /** Wraps a tunnelling agent once, so that its CONNECT requests can be ended with the run. */
    #watchTunnel(agent) {
        if (!('proxyOptions' in agent))
            return undefined;
        const tunnel = agent;
        if (!this.#tunnels.has(agent)) {
            this.#tunnels.add(agent);
            const open = tunnel.request;
            // The tunnel would encode the proxy's credentials with the deprecated `new Buffer()`, and
            // Node's warning about it would land on stderr: the same header is set here instead.
            const { proxyAuth } = tunnel.proxyOptions;
            delete tunnel.proxyOptions.proxyAuth;
            const authorization = proxyAuth && `Basic ${Buffer.from(proxyAuth).toString('base64')}`;
            tunnel.request = (options) => {
                if (authorization) {
                    options.headers = { ...options.headers, 'Proxy-Authorization': authorization };
                }
                const connect = open(options);
                this.#connects.add(connect);
                this.#opening?.push(connect);
                connect.once('close', () => this.#connects.delete(connect));
                return connect;
            };
        }
        return tunnel;
    }
    #drop(connect) {
        this.#connects.delete(connect);
        destroyQuietly(connect);
    }
}
/** `600 s`, or `250 ms` where seconds would need a fraction. */
function duration(ms) {
    return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
function proxyName(tunnel) {
    return `${tunnel.proxyOptions.host}:${tunnel.proxyOptions.port}`;
}
function destroyQuietly(request) {
    request.on('error', () => { });
    request.destroy();
}
class AnswerTooLarge extends Error {
}
/** Reads the answer to its end, up to `limit` bytes, telling `progress` of every piece. */
function readBounded(message, limit, progress) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let length = 0;
        message.on('data', (chunk) => {
            progress(chunk.length);
            length += chunk.length;
            if (length > limit) {
                message.destroy();
                reject(new AnswerTooLarge(`answer larger than ${limit} bytes`));
            }
            else
                chunks.push(chunk);
        });
        message.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        message.on('error', reject);
        message.on('close', () => {
            if (!message.complete)
                reject(new Error('connection closed before the answer was complete'));
        });
    });
}
function judgeFailure(error, sent, tunnel) {
    if (error instanceof AnswerTooLarge) {
        return { answered: false, error: error.message, sent: true, permanent: true };
    }
    const code = error.code;
    const text = (0,_text_text_js__WEBPACK_IMPORTED_MODULE_5__/* .messageOf */ .bD)(error);
    if (TUNNEL_FAILED.test(text) && tunnel) {
        // The proxy refused or failed the CONNECT: the request itself never left.
        const proxy = proxyName(tunnel);
        if (/statusCode=407\b/.test(text)) {
            return {
                answered: false,
                error: `the proxy ${proxy} asks for credentials (HTTP 407): put them in the proxy URL, e.g. https_proxy=http://user:password@${proxy}`,
                sent: false,
                permanent: true,
            };
        }
        const why = text.replace(TUNNEL_FAILED, '').replace(/^, /, '');
        return {
            answered: false,
            error: `the proxy ${proxy} did not open a tunnel: ${why}`,
            sent: false,
            permanent: false,
        };
    }
    if (typeof code === 'string' && TLS_CODES.test(code)) {
        return {
            answered: false,
            error: `TLS certificate problem (${code}): ${text}. ${tlsFix(code)}`,
            sent: false,
            permanent: true,
        };
    }
    const described = typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
    const neverLeft = typeof code === 'string' && NOT_SENT.has(code);
    return { answered: false, error: described, sent: sent && !neverLeft, permanent: false };
}
/** What to do about a certificate that is refused. */
function tlsFix(code) {
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
        return 'The certificate is for another host: check api-base-url';
    }
    if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
        return "Check this machine's clock; if it is right, the server's certificate is out of date";
    }
    return 'If a corporate proxy or CA signs the certificate, point NODE_EXTRA_CA_CERTS at its CA certificate (PEM)';
}


/***/ }),

/***/ 7893:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EY: () => (/* binding */ backoffDelay),
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* unused harmony exports MAX_DELAY_MS, backoffCeiling */
// One retry rule for every call: exponential backoff with full jitter. Attempt k (1-based) that
// fails transiently is followed by a wait drawn uniformly from [0, min(cap, base × 2^(k-1))].
const MAX_DELAY_MS = 30_000;
const sleep = (ms, signal) => new Promise((resolve) => {
    if (signal?.aborted)
        return resolve();
    const timer = setTimeout(done, ms);
    function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
    }
    signal?.addEventListener('abort', done);
});
/** The longest wait after attempt `attempt` (1-based): min(cap, base × 2^(attempt-1)). */
function backoffCeiling(attempt, baseDelayMs, capDelayMs = MAX_DELAY_MS) {
    return Math.min(capDelayMs, baseDelayMs * 2 ** (attempt - 1));
}
function backoffDelay(attempt, baseDelayMs, random = Math.random, capDelayMs = MAX_DELAY_MS) {
    return Math.floor(random() * backoffCeiling(attempt, baseDelayMs, capDelayMs));
}
/**
 * Runs `attempt` until it returns `retry: false` or `maxAttempts` is spent. `onAttempt` hears of
 * every attempt, with the wait before the next one (undefined after the last). Resolves with the
 * last value and the number of attempts made.
 */
async function retry(attempt, policy, onAttempt = () => { }) {
    const { maxAttempts, baseDelayMs, capDelayMs, random, sleep: wait = sleep } = policy;
    for (let n = 1;; n++) {
        const result = await attempt(n);
        if (!result.retry || n >= maxAttempts) {
            onAttempt(n, result.value);
            return { value: result.value, attempts: n };
        }
        const delayMs = backoffDelay(n, baseDelayMs, random, capDelayMs);
        onAttempt(n, result.value, delayMs);
        await wait(delayMs);
    }
}


/***/ }),

/***/ 6472:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   API_NAMES: () => (/* binding */ API_NAMES),
/* harmony export */   countLine: () => (/* binding */ countLine),
/* harmony export */   hintsFor: () => (/* binding */ hintsFor),
/* harmony export */   logAttempt: () => (/* binding */ logAttempt),
/* harmony export */   logOutcomes: () => (/* binding */ logOutcomes),
/* harmony export */   logStart: () => (/* binding */ logStart),
/* harmony export */   stoppedBecause: () => (/* binding */ stoppedBecause),
/* harmony export */   waitLogger: () => (/* binding */ waitLogger)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7170);
/* harmony import */ var _clouds_triggers_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8389);
/* harmony import */ var _clouds_wechat_errcodes_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2034);
/* harmony import */ var _run_fails_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9000);
/* harmony import */ var _text_text_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8544);
/* harmony import */ var _runner_text_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6848);
// The step's log, as a person reads it: one line on what the run will do, a line per round of
// waiting, retries and failures as they happen (an attempt that succeeds at once goes to the
// debug log), then one line per function with its outcome and one for the whole step.






const API_NAMES = {
    wechat: "WeChat's API",
    tencentcloud: "Tencent Cloud's API",
};
/** Why a run sent nothing for any function: before any call, or after the list alone. */
function stoppedBecause(stopped, env) {
    return stopped.from
        ? `Nothing was tried: could not get ${stopped.from}`
        : `Nothing was sent after the list: the list of the functions in ${env} was refused`;
}
/** Names for one line: the first ten, then how many more. */
function firstTen(names) {
    const more = names.length > 10 ? [`${names.length - 10} more`] : [];
    return [...names.slice(0, 10), ...more].join(', ');
}
/**
 * Each hint of the failed functions once, saying which functions it is for when more than one
 * failed (one failure is named already).
 */
function hintsFor(failing) {
    const names = new Map();
    for (const r of failing)
        if (r.hint)
            names.set(r.hint, [...(names.get(r.hint) ?? []), r.functionName]);
    return [...names].map(([hint, those]) => {
        return failing.length === 1 ? hint : `For ${firstTen(those)}: ${hint}`;
    });
}
function logAttempt(event) {
    const { call, subject, attempt, maxAttempts, outcome, delayMs } = event;
    const next = event.then
        ? `; ${event.then}`
        : delayMs === undefined
            ? ''
            : `; retrying in ${delayMs} ms`;
    // A failure that ends the call at once was no attempt among several: its count is noise.
    const final = !event.ok && attempt === 1 && !next;
    const which = final ? '' : ` attempt ${attempt} of ${maxAttempts}`;
    let line = `${subject}: ${call}${which}: ${(0,_clouds_wechat_errcodes_js__WEBPACK_IMPORTED_MODULE_2__/* .describe */ .q0)(outcome)}${next}`;
    const debug = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .isDebug */ ._o();
    if (debug) {
        const answer = event.httpStatus === undefined ? 'no answer' : `HTTP ${event.httpStatus}`;
        line += ` (POST ${event.url} → ${answer} in ${event.latencyMs} ms)`;
    }
    // What succeeded at once is detail; a retry, and what led to it, is news.
    if (!(event.ok && attempt === 1))
        _runner_text_js__WEBPACK_IMPORTED_MODULE_4__/* .info */ .pq(line);
    else if (debug)
        _runner_text_js__WEBPACK_IMPORTED_MODULE_4__/* .debug */ .Yz(line);
}
function logStart({ api, env, total, listed, }) {
    const functions = total === 1 ? '1 function' : `${total} functions`;
    const shown = listed.length === 0
        ? total === 1
            ? 'it is not listed yet'
            : 'none of them is listed yet'
        : `the list shows ${listed.length === total ? (total === 1 ? 'it' : 'all of them') : `${listed.length}`} already${listed.length < total ? ` (${listed.slice(0, 10).join(', ')}${listed.length > 10 ? ', …' : ''})` : ''}`;
    _runner_text_js__WEBPACK_IMPORTED_MODULE_4__/* .info */ .pq(`${env}: ${functions} through ${API_NAMES[api]}; ${shown}.`);
}
/** The log of a run's waits: a line for a round only when what it would say changed. */
function waitLogger() {
    let last = '';
    return ({ waiting, elapsedMs, limitMs }) => {
        const names = waiting.map((w) => `${w.name} (${w.state ?? 'not listed'})`);
        const line = `waiting for ${firstTen(names)}: ${Math.round(elapsedMs / 1000)} s of ${Math.round(limitMs / 1000)}`;
        if (line !== last)
            _runner_text_js__WEBPACK_IMPORTED_MODULE_4__/* .info */ .pq(line);
        last = line;
    };
}
/** What happened to one function, on one line: `login: created · code deployed 1.2 MiB …`. */
function outcomeLine(r, dryRun) {
    const parts = [dryRun && r.status === 'would-create' ? 'would be created' : r.status];
    if (r.codeSha256 !== null && r.codeBytes !== null) {
        const zip = `${(0,_text_text_js__WEBPACK_IMPORTED_MODULE_3__/* .size */ .Ej)(r.codeBytes)} sha256 ${r.codeSha256.slice(0, 12)}`;
        parts.push(r.code === null
            ? `code ${zip}${dryRun ? ' (not sent: dry run)' : ''}`
            : `code ${r.code} ${zip}`);
    }
    else if (r.code === 'failed')
        parts.push('code failed');
    if (r.state)
        parts.push(r.state);
    if (r.runtime)
        parts.push(r.runtime);
    if (r.config) {
        parts.push(`config ${r.config}${r.changes.length > 0 ? ` (${r.changes.join('; ')})` : ''}`);
    }
    if (r.triggers && r.triggers.length > 0)
        parts.push(`triggers ${(0,_clouds_triggers_js__WEBPACK_IMPORTED_MODULE_1__/* .triggerWords */ .sV)(r.triggers)}`);
    if (r.invoke)
        parts.push(`invoke ${r.invoke}`);
    parts.push((0,_text_text_js__WEBPACK_IMPORTED_MODULE_3__/* .seconds */ .YA)(r.durationMs));
    const why = (0,_run_fails_js__WEBPACK_IMPORTED_MODULE_5__/* .partFailed */ .v)(r) ? ` — ${(0,_clouds_wechat_errcodes_js__WEBPACK_IMPORTED_MODULE_2__/* .describe */ .q0)(r)}` : '';
    return (0,_text_text_js__WEBPACK_IMPORTED_MODULE_3__/* .oneLine */ .TN)(`${r.functionName}: ${parts.join(' · ')}${why}`, 2000);
}
/**
 * The count line: `3 functions: 1 created, 1 existed, 1 failed; code deployed to 2`. Each
 * function has one status, so the statuses add up to the functions.
 */
function countLine(deployment, dryRun) {
    const { results } = deployment;
    const count = (test) => results.filter(test).length;
    const statuses = [
        [count((r) => r.status === 'created'), 'created'],
        [count((r) => r.status === 'would-create'), 'would be created'],
        [count((r) => r.status === 'exists'), 'existed'],
        [count((r) => r.status === 'failed'), 'failed'],
    ]
        .filter(([n]) => n !== 0)
        .map(([n, what]) => `${n} ${what}`);
    const segments = [statuses.join(', ')];
    if (results.some((r) => r.codeSha256 !== null || r.code !== null)) {
        segments.push(dryRun ? 'code zipped, not sent' : `code deployed to ${count((r) => r.code === 'deployed')}`);
    }
    if (results.some((r) => r.config !== null)) {
        segments.push(dryRun
            ? `configuration would change for ${count((r) => r.config === 'would-update')}`
            : `configuration updated for ${count((r) => r.config === 'updated')}`);
    }
    if (results.some((r) => r.invoke !== null))
        segments.push(`${count((r) => r.invoke === 'ok')} answered when invoked`);
    const functions = results.length === 1 ? '1 function' : `${results.length} functions`;
    return `${functions}: ${segments.filter(Boolean).join('; ')}`;
}
function logOutcomes(deployment, env, dryRun, durationMs) {
    if (dryRun)
        _runner_text_js__WEBPACK_IMPORTED_MODULE_4__/* .info */ .pq('Dry run: what a run would do (nothing was created, uploaded or written):');
    for (const r of deployment.results)
        _runner_text_js__WEBPACK_IMPORTED_MODULE_4__/* .info */ .pq(outcomeLine(r, dryRun));
    _runner_text_js__WEBPACK_IMPORTED_MODULE_4__/* .info */ .pq(`${env}: ${countLine(deployment, dryRun)}; ${(0,_text_text_js__WEBPACK_IMPORTED_MODULE_3__/* .seconds */ .YA)(durationMs)}.`);
}


/***/ }),

/***/ 9902:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  finish: () => (/* binding */ finish)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 17 modules
var core = __webpack_require__(7170);
// EXTERNAL MODULE: ./src/clouds/wechat/errcodes.ts
var errcodes = __webpack_require__(2034);
// EXTERNAL MODULE: ./src/run/fails.ts
var fails = __webpack_require__(9000);
// EXTERNAL MODULE: ./src/text/text.ts
var text_text = __webpack_require__(8544);
// EXTERNAL MODULE: ./src/report/log.ts
var log = __webpack_require__(6472);
// EXTERNAL MODULE: ./src/report/outputs.ts
var outputs = __webpack_require__(5468);
// EXTERNAL MODULE: ./src/report/runner-text.ts
var runner_text = __webpack_require__(6848);
// EXTERNAL MODULE: ./src/clouds/triggers.ts
var triggers = __webpack_require__(8389);
;// CONCATENATED MODULE: ./src/report/summary.ts
// The job summary, in HTML throughout and a blank line between blocks, so that GitHub's Markdown
// renderer shows it as written: a heading with the environment and the API, a count line, one
// table row per function (failed ones first, marked), the reasons of failures, and the full
// SHA-256 of each zip where it can be copied. Server text is escaped. It stays under the
// runner's limit of 1 MiB.




/** GitHub refuses a job summary over 1 MiB; this leaves room for the rest. */
const MAX_SUMMARY_BYTES = 960 * 1024;
function summary(facts) {
    const { env, dryRun, deployment, durationMs, failing } = facts;
    const { results, stopped, listFailure } = deployment;
    const cell = (text) => (0,text_text/* escapeHtml */.ZD)((0,text_text/* oneLine */.TN)(text ?? ''));
    const withCode = results.some((r) => r.codeSha256 !== null || r.code !== null);
    const withConfig = results.some((r) => r.config !== null);
    const withInvoke = results.some((r) => r.invoke !== null);
    const head = ['Function', 'Status', 'State', 'Runtime'];
    if (withCode)
        head.push('Code', 'Size', 'SHA-256');
    if (withConfig)
        head.push('Config');
    if (withInvoke)
        head.push('Invoke');
    head.push('Time');
    const ordered = [...results.filter(failing), ...results.filter((r) => !failing(r))];
    const rows = ordered.map((r) => {
        const failed = failing(r);
        const cells = [
            `${failed ? `${text_text/* MARK_FAILED */.u4} ` : ''}<code>${cell(r.functionName)}</code>`,
            failed ? `<strong>${cell(r.status)}</strong>` : cell(r.status),
            cell(r.state),
            cell(r.runtime),
        ];
        if (withCode) {
            cells.push(cell(r.code ?? (dryRun && r.codeSha256 ? 'not sent (dry run)' : '')), cell(r.codeBytes === null ? '' : (0,text_text/* size */.Ej)(r.codeBytes)), r.codeSha256 ? `<code>${cell(r.codeSha256.slice(0, 12))}</code>` : '');
        }
        if (withConfig)
            cells.push(cell(r.config));
        if (withInvoke)
            cells.push(cell(r.invoke));
        cells.push(cell((0,text_text/* seconds */.YA)(r.durationMs)));
        return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
    });
    // A run stopped before anything was tried has one reason, said once above the table.
    const notes = (stopped ? [] : ordered)
        .filter((r) => failing(r) ||
        r.note ||
        r.changes.length > 0 ||
        (r.triggers?.length ?? 0) > 0 ||
        (r.invoke === 'ok' && r.response))
        .map((r) => {
        const parts = [];
        if (failing(r))
            parts.push((0,text_text/* html */.qy)((0,errcodes/* describe */.q0)(r)));
        if (r.note && !failing(r))
            parts.push((0,text_text/* escapeHtml */.ZD)((0,text_text/* oneLine */.TN)(r.note)));
        if (r.changes.length > 0)
            parts.push((0,text_text/* escapeHtml */.ZD)((0,text_text/* oneLine */.TN)(`${r.config === 'would-update' ? 'Would change' : 'Changed'}: ${r.changes.join('; ')}`)));
        if (r.triggers && r.triggers.length > 0) {
            parts.push((0,text_text/* escapeHtml */.ZD)((0,text_text/* oneLine */.TN)(`Timer triggers: ${(0,triggers/* triggerWords */.sV)(r.triggers)}`)));
        }
        if (r.invoke === 'ok' && r.response) {
            parts.push(`Invoked, it answered <code>${(0,text_text/* escapeHtml */.ZD)((0,text_text/* oneLine */.TN)(r.response, 60))}</code>`);
        }
        const said = parts.filter(Boolean).map((part) => (0,text_text/* sentence */.em)(part));
        return `<li><code>${cell(r.functionName)}</code>: ${said.join(' ')}</li>`;
    });
    const where = [
        facts.ref && `<code>${cell(facts.ref)}</code>`,
        facts.sha && `<code>${cell(facts.sha.slice(0, 7))}</code>`,
    ]
        .filter(Boolean)
        .join(' at ');
    const parts = [
        `<h3>WeChat cloud functions in <code>${cell(env)}</code></h3>`,
        `<p>${(0,text_text/* escapeHtml */.ZD)((0,log.countLine)(deployment, dryRun))}. Through ${(0,text_text/* escapeHtml */.ZD)(log.API_NAMES[deployment.api])}, ${(0,text_text/* seconds */.YA)(durationMs)}${where ? `, ${where}` : ''}.</p>`,
    ];
    if (dryRun)
        parts.push('<p><strong>Dry run</strong>: nothing was created, uploaded or written.</p>');
    if (stopped) {
        parts.push(`<p>${text_text/* MARK_FAILED */.u4} ${(0,text_text/* escapeHtml */.ZD)((0,log.stoppedBecause)(stopped, env))}: ${(0,text_text/* html */.qy)((0,text_text/* sentence */.em)((0,errcodes/* describe */.q0)(stopped.outcome)))}${stopped.outcome.hint ? ` ${(0,text_text/* html */.qy)(stopped.outcome.hint)}` : ''}</p>`);
    }
    if (listFailure) {
        parts.push(`<p>⚠️ The list of functions could not be read (${(0,text_text/* escapeHtml */.ZD)((0,errcodes/* describe */.q0)(listFailure))}): the run went on by the answers of its creates, saw no state and waited for nothing, so no function is known to be runnable, and the step fails.</p>`);
    }
    const budget = withinBudget([...rows, ...notes], MAX_SUMMARY_BYTES - 4096);
    const keptRows = Math.min(budget, rows.length);
    parts.push(`<table>\n<thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>\n<tbody>\n${rows.slice(0, keptRows).join('\n')}\n</tbody>\n</table>`);
    if (keptRows < rows.length) {
        parts.push(`<p>${rows.length - keptRows} more rows left out: see the <code>results</code> output.</p>`);
    }
    const keptNotes = Math.max(0, budget - keptRows);
    if (keptNotes > 0)
        parts.push(`<ul>\n${notes.slice(0, keptNotes).join('\n')}\n</ul>`);
    if (keptNotes < notes.length)
        parts.push(`<p>${notes.length - keptNotes} more notes left out.</p>`);
    const hints = stopped ? [] : (0,log.hintsFor)(results.filter(failing));
    if (hints.length > 0) {
        parts.push(`<p>What to do:</p>\n<ul>\n${hints
            .slice(0, 20)
            .map((hint) => `<li>${(0,text_text/* html */.qy)(hint)}</li>`)
            .join('\n')}\n</ul>`);
    }
    for (const warning of deployment.warnings.slice(0, 20))
        parts.push(`<p>⚠️ ${(0,text_text/* html */.qy)((0,text_text/* oneLine */.TN)(warning, 1000))}</p>`);
    const hashes = results.filter((r) => r.codeSha256 !== null).slice(0, keptRows);
    if (hashes.length > 0) {
        const width = Math.max(...hashes.map((r) => r.functionName.length));
        const lines = hashes.map((r) => `${cell(r.functionName)}${' '.repeat(width - r.functionName.length)}  ${r.codeSha256}`);
        parts.push(`<details><summary>SHA-256 of each zip</summary>\n<pre>\n${lines.join('\n')}\n</pre>\n</details>`);
    }
    return (0,text_text/* blocks */.Bv)(...parts);
}
/** How many of `items`, taken in order, fit in `budget` bytes. */
function withinBudget(items, budget) {
    let used = 0;
    for (let i = 0; i < items.length; i++) {
        used += Buffer.byteLength(items[i]) + 1;
        if (used > budget)
            return i;
    }
    return items.length;
}

;// CONCATENATED MODULE: ./src/report/report.ts
// Everything the runner sees once the run is over: the outputs, the log's closing lines, the
// annotations, the job summary and the step's failure. GitHub's own limits are kept: 10
// annotations of a kind, 1 MiB per output and per summary. A hint is said once per cause.








/** GitHub shows at most this many annotations of each kind for a step. */
const MAX_ANNOTATIONS = 10;
/** The combined failure message names at most this many functions in full. */
const MAX_COMBINED = 20;
/** Sets the outputs, logs and summarises the run, and fails the step if it must. */
async function finish(report) {
    const { env, ifExists, dryRun, deployment } = report;
    const { results, stopped } = deployment;
    const failing = results.filter((r) => (0,fails/* fails */.c)(r, ifExists));
    // Outputs that cannot be written fail the step, but the summary and the errors still say
    // what happened.
    let outputsFailure;
    try {
        (0,outputs/* setOutputs */.n0)((0,outputs/* outputsOf */.Yz)(deployment, report));
    }
    catch (error) {
        outputsFailure = (0,text_text/* messageOf */.bD)(error);
    }
    if (!stopped)
        (0,log.logOutcomes)(deployment, env, dryRun, report.durationMs);
    const warnings = [...deployment.warnings];
    try {
        await writeSummary(report);
    }
    catch (error) {
        warnings.push(`Could not write the job summary: ${(0,text_text/* oneLine */.TN)((0,text_text/* messageOf */.bD)(error))}`);
    }
    annotate(runner_text/* warning */.$e, warnings);
    let failure;
    if (stopped) {
        failure = `${(0,log.stoppedBecause)(stopped, env)}: ${explain(stopped.outcome)}`;
    }
    else if (failing.length > 0) {
        failure = failFunctions(failing, results.length, env);
    }
    const message = [failure, outputsFailure].filter(Boolean).join('\n');
    if (message)
        runner_text/* setFailed */.C1(message);
}
/** A failure and what to do about it. */
function explain(result) {
    return `${(0,text_text/* sentence */.em)((0,errcodes/* describe */.q0)(result))}${result.hint ? ` ${result.hint}` : ''}`;
}
/**
 * One annotation per failed function (within GitHub's limit), and the message of the combined
 * failure, which carries the rest and each hint once: the step's one failure when a single
 * function failed.
 */
function failFunctions(failing, total, env) {
    const message = (r) => `${r.functionName}: ${(0,text_text/* sentence */.em)((0,errcodes/* describe */.q0)(r))}`;
    const hints = (0,log.hintsFor)(failing);
    if (failing.length === 1)
        return [message(failing[0]), ...hints].join(' ');
    const shown = failing.slice(0, MAX_ANNOTATIONS - 1);
    for (const r of shown)
        runner_text/* error */.z3(message(r), { title: `${r.functionName} in ${env}` });
    const rest = failing.slice(shown.length);
    const more = rest.slice(0, MAX_COMBINED).map(message);
    if (rest.length > MAX_COMBINED) {
        more.push(`and ${rest.length - MAX_COMBINED} more (see the \`results\` output)`);
    }
    return [`${failing.length} of ${total} functions failed in ${env}.`, ...more, ...hints].join('\n');
}
/** Up to GitHub's limit of annotations; the last one carries whatever did not fit. */
function annotate(kind, messages) {
    const fit = messages.slice(0, MAX_ANNOTATIONS - 1);
    const rest = messages.slice(fit.length);
    for (const message of fit)
        kind(message);
    if (rest.length === 1)
        kind(rest[0]);
    else if (rest.length > 1) {
        const first = rest.slice(0, MAX_COMBINED).map((m) => (0,text_text/* oneLine */.TN)(m, 200));
        kind(`${rest.length} more:\n${first.join('\n')}${rest.length > MAX_COMBINED ? '\n…' : ''}`);
    }
}
async function writeSummary(report) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    const { deployment, ifExists } = report;
    // Loaded here, off the path of a step that fails early: @actions/github brings Octokit along.
    const { context } = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413));
    const text = summary({
        ...report,
        deployment,
        ref: context.ref,
        sha: context.sha,
        failing: (r) => (0,fails/* fails */.c)(r, ifExists),
    });
    await core/* summary */.z.addRaw(text).write();
}


/***/ }),

/***/ 902:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  cloudFor: () => (/* binding */ cloudFor)
});

// EXTERNAL MODULE: ./src/text/text.ts
var text_text = __webpack_require__(8544);
// EXTERNAL MODULE: ./src/clouds/cloud.ts
var cloud = __webpack_require__(5699);
;// CONCATENATED MODULE: ./src/clouds/contract.ts
// Every call each route makes, and the source its fields rest on: an official SDK model, an
// official client's code, or WeChat's page. The clients take their service, version and action
// from here; test/clouds/contract.test.ts holds the fields to the models, and docs/contract.md is
// written from this table.
const TCB = { service: 'tcb', version: '2018-06-08' };
const TCB_MODEL = { model: 'tcb/v20180608/tcb_models.d.ts' };
const SCF = { service: 'scf', version: '2018-04-16' };
const SCF_MODEL = { model: 'scf/v20180416/scf_models.d.ts' };
const STS = { service: 'sts', version: '2018-08-13' };
/** What CreateFunction and UpdateFunctionCode both send: the function, its handler and code. */
const CODE_FIELDS = [
    'EnvId',
    'FunctionName',
    'Handler',
    'InstallDependency',
    'Code',
    'CodeSource',
];
/** The Tencent Cloud route (`api: tencentcloud`): CloudBase's API, and SCF for the variables. */
const TENCENT_CALLS = {
    list: {
        ...TCB,
        action: 'ListFunctions',
        source: TCB_MODEL,
        sends: ['EnvId', 'Offset', 'Limit'],
        reads: [
            'Functions[].FunctionName',
            'Functions[].Status',
            'Functions[].StatusReasons[].ErrorCode',
            'Functions[].StatusReasons[].ErrorMessage',
            'Functions[].Runtime',
            'Functions[].ModTime',
        ],
    },
    create: {
        ...TCB,
        action: 'CreateFunction',
        source: TCB_MODEL,
        sends: [...CODE_FIELDS, 'Runtime', 'MemorySize', 'Role', 'Stamp', 'Timeout', 'Environment'],
        reads: ['SCFErrorCode', 'SCFErrorMsg'],
    },
    code: {
        ...TCB,
        action: 'UpdateFunctionCode',
        source: TCB_MODEL,
        sends: CODE_FIELDS,
        reads: ['SCFErrorCode', 'SCFErrorMsg'],
    },
    get: {
        ...TCB,
        action: 'GetFunction',
        source: TCB_MODEL,
        sends: ['EnvId', 'FunctionName'],
        reads: [
            'Timeout',
            'MemorySize',
            'Triggers[].TriggerName',
            'Triggers[].Type',
            'Triggers[].TriggerDesc',
        ],
    },
    /** The one call whose model answer has `Environment`: SCF's, with the environment as namespace. */
    variables: {
        ...SCF,
        action: 'GetFunction',
        source: SCF_MODEL,
        sends: ['FunctionName', 'Namespace'],
        reads: ['Environment.Variables[].Key', 'Environment.Variables[].Value'],
    },
    /** The triggers when CloudBase's GetFunction answers no `Triggers` list: SCF's, page by page. */
    listTriggers: {
        ...SCF,
        action: 'ListTriggers',
        source: SCF_MODEL,
        sends: ['FunctionName', 'Namespace', 'Offset', 'Limit'],
        reads: ['Triggers[].TriggerName', 'Triggers[].Type', 'Triggers[].TriggerDesc'],
    },
    /** SCF's documented trigger calls, one trigger each (see docs/contract.md for why not a batch). */
    createTrigger: {
        ...SCF,
        action: 'CreateTrigger',
        source: SCF_MODEL,
        sends: ['FunctionName', 'Namespace', 'TriggerName', 'Type', 'TriggerDesc'],
        reads: [],
    },
    updateTrigger: {
        ...SCF,
        action: 'UpdateTrigger',
        source: SCF_MODEL,
        sends: ['FunctionName', 'Namespace', 'TriggerName', 'Type', 'TriggerDesc'],
        reads: [],
    },
    configure: {
        ...TCB,
        action: 'UpdateFunctionConfiguration',
        source: TCB_MODEL,
        sends: ['EnvId', 'FunctionName', 'Timeout', 'Environment', 'MemorySize'],
        reads: [],
    },
    /** Keys for GitHub's OIDC token: a request that carries no signature (`Authorization: SKIP`). */
    assumeRole: {
        ...STS,
        action: 'AssumeRoleWithWebIdentity',
        source: { model: 'sts/v20180813/sts_models.d.ts' },
        sends: ['ProviderId', 'WebIdentityToken', 'RoleArn', 'RoleSessionName', 'DurationSeconds'],
        reads: [
            'Credentials.TmpSecretId',
            'Credentials.TmpSecretKey',
            'Credentials.Token',
            'ExpiredTime',
        ],
    },
};
const OPEN_API = 'https://developers.weixin.qq.com/doc/oplatform/openApi/cloudbase-common';
/** WeChat's route (`api: wechat`), and the WeChat calls of the Tencent Cloud route. */
const WECHAT_CALLS = {
    token: {
        path: '/cgi-bin/stable_token',
        source: {
            doc: 'https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getStableAccessToken.html',
        },
    },
    list: {
        path: '/tcb/listfunctions',
        source: { doc: `${OPEN_API}/scf-management/api_listfunctions` },
    },
    create: {
        path: '/tcb/createfunction',
        source: { doc: `${OPEN_API}/scf-management/api_createfunction` },
    },
    codeSecret: {
        path: '/tcb/getcodesecret',
        source: { doc: `${OPEN_API}/scf-management/api_getcodesecret` },
    },
    uploadSignature: {
        path: '/tcb/getuploadsignature',
        source: { doc: `${OPEN_API}/scf-management/api_getuploadsignature` },
    },
    /** The upload itself: SCF's UpdateFunctionCode, signed by WeChat for the body's hash. */
    upload: {
        path: 'scf.tencentcloudapi.com',
        source: { doc: `${OPEN_API}/scf-management/api_getuploadsignature` },
        signed: {
            ...SCF,
            action: 'UpdateFunctionCode',
            source: SCF_MODEL,
            sends: [
                'CodeSecret',
                'EnvId',
                'Namespace',
                'FunctionName',
                'Handler',
                'ZipFile',
                'InstallDependency',
            ],
            reads: [],
            unmodelled: {
                CodeSecret: "WeChat's page for the upload lists it, and miniprogram-ci sends it: the key of the mini program's code, which WeChat's signature is made for",
            },
        },
    },
    readConfig: {
        path: '/tcb/getfuncconfig',
        source: { doc: `${OPEN_API}/scf-management/api_getfuncconfig` },
    },
    writeConfig: {
        path: '/tcb/uploadfuncconfig',
        source: { doc: `${OPEN_API}/scf-management/api_uploadfuncconfig` },
    },
    invoke: {
        path: '/tcb/invokecloudfunction',
        source: {
            doc: 'https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/cloudbase/cloudbase.invokeCloudFunction.html',
        },
    },
    qcloudToken: {
        path: '/tcb/getqcloudtoken',
        source: {
            doc: 'https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/cloudbase/cloudbase.getQcloudToken.html',
        },
    },
};

// EXTERNAL MODULE: ./src/net/hosts.ts
var hosts = __webpack_require__(3256);
// EXTERNAL MODULE: ./src/net/retry.ts
var retry = __webpack_require__(7893);
// EXTERNAL MODULE: ./src/secrets/secrets.ts
var secrets_secrets = __webpack_require__(360);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/clouds/tencentcloud/tc3.ts
// TC3-HMAC-SHA256, Tencent Cloud API 3.0's signature, for a POST with a JSON body. The secret key
// only derives the signing key: it is never sent. What is signed is what the official SDK
// (tencentcloud-sdk-nodejs's `Sign.sign3`) signs: the method, the path, the Content-Type
// and the host (its name without the port, as the SDK takes it), and the SHA-256 of the body.

const TC3_ALGORITHM = 'TC3-HMAC-SHA256';
/** The Content-Type the SDK sends and signs for a JSON body. */
const JSON_CONTENT_TYPE = 'application/json';
/** The headers of a signed request, the Authorization among them. */
function tc3Sign(request) {
    const { url, service, action, version, region, body, timestamp, keys } = request;
    const contentType = request.contentType ?? JSON_CONTENT_TYPE;
    const { hostname, host, pathname, search } = new URL(url);
    const signedHeaders = 'content-type;host';
    const canonicalRequest = [
        'POST',
        pathname,
        search.slice(1),
        `content-type:${contentType}\nhost:${hostname}\n`,
        signedHeaders,
        sha256Hex(body),
    ].join('\n');
    const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
    const scope = `${date}/${service}/tc3_request`;
    const stringToSign = [TC3_ALGORITHM, timestamp, scope, sha256Hex(canonicalRequest)].join('\n');
    const kDate = hmac(`TC3${keys.secretKey}`, date);
    const kSigning = hmac(hmac(kDate, service), 'tc3_request');
    const signature = (0,external_node_crypto_.createHmac)('sha256', kSigning).update(stringToSign).digest('hex');
    const authorization = `${TC3_ALGORITHM} Credential=${keys.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return {
        headers: {
            Authorization: authorization,
            'Content-Type': contentType,
            Host: host,
            'X-TC-Action': action,
            'X-TC-Version': version,
            'X-TC-Timestamp': String(timestamp),
            ...(region ? { 'X-TC-Region': region } : {}),
            ...(keys.sessionToken ? { 'X-TC-Token': keys.sessionToken } : {}),
        },
        authorization,
        signature,
    };
}
function sha256Hex(data) {
    return (0,external_node_crypto_.createHash)('sha256').update(data).digest('hex');
}
function hmac(key, data) {
    return (0,external_node_crypto_.createHmac)('sha256', key).update(data).digest();
}

// EXTERNAL MODULE: ./src/clouds/tencentcloud/tencent-api.ts
var tencent_api = __webpack_require__(9865);
// EXTERNAL MODULE: ./src/clouds/tencentcloud/tencent-errors.ts
var tencent_errors = __webpack_require__(350);
;// CONCATENATED MODULE: ./src/clouds/tencentcloud/tcb-client.ts
// Tencent Cloud API 3.0, service by service: CloudBase's (`tcb`), SCF's (`scf`), each at its own
// host and version. Every call a POST of a JSON body, signed with TC3 for its service right
// before it is sent (a signature is good for five minutes), and answered as Tencent Cloud API 3.0
// answers. It knows nothing of GitHub Actions and reports every attempt through `onAttempt`, as
// the WeChat client does.






/** Each service's production host. */
const SERVICE_HOSTS = {
    tcb: 'https://tcb.tencentcloudapi.com',
    scf: 'https://scf.tencentcloudapi.com',
    sts: 'https://sts.tencentcloudapi.com',
};
/**
 * The services whose calls name a region (`X-TC-Region`): SCF's functions live in one, and STS
 * takes `Region` as a common parameter.
 */
const REGIONAL = new Set(['scf', 'sts']);
/** What each service's error codes mean. */
const ERRORS = {
    tcb: tencent_errors/* TCB_ERRORS */.MN,
    scf: tencent_errors/* TCB_ERRORS */.MN,
    sts: tencent_errors/* STS_ERRORS */.tH,
};
/**
 * Where a service is asked: a loopback `endpoint` (the stand-in) answers every service; any other
 * stands for CloudBase's API alone, and the other services are asked at their own hosts.
 */
function serviceUrl(service, endpoint) {
    const local = hosts/* LOOPBACK */.W.test(new URL(endpoint).hostname);
    return `${local || service === 'tcb' ? endpoint : SERVICE_HOSTS[service]}/`;
}
/**
 * The secrets an answer carries, by action: registered the moment the answer is read, before
 * anything of it is redacted, logged or returned.
 */
const ANSWER_SECRETS = {
    AssumeRoleWithWebIdentity: (response) => {
        const credentials = response.Credentials;
        return [credentials?.TmpSecretId, credentials?.TmpSecretKey, credentials?.Token];
    },
    GetFunction: (response) => {
        const variables = response.Environment?.Variables;
        return Array.isArray(variables)
            ? (0,secrets_secrets/* maskedValues */.ql)(variables.map((v) => v?.Value))
            : [];
    },
};
class TencentClient {
    #options;
    constructor(options) {
        this.#options = options;
    }
    /** One send of `body` (JSON text) as `call`, signed now. Never retried, never reported. */
    async send(call, body) {
        const { transport, keys, secrets, endpoint, region, now = Date.now } = this.#options;
        const url = serviceUrl(call.service, endpoint);
        const signed = tc3Sign({
            url,
            service: call.service,
            action: call.action,
            version: call.version,
            ...(REGIONAL.has(call.service) ? { region } : {}),
            body,
            timestamp: Math.floor(now() / 1000),
            // Unsigned requests are signed with nothing, and the Authorization is replaced.
            keys: keys === 'skip' ? { secretId: '', secretKey: '' } : keys,
        });
        const headers = keys === 'skip' ? { ...signed.headers, Authorization: 'SKIP' } : signed.headers;
        const exchange = await transport.post(url, body, headers);
        return {
            ...judge(exchange, secrets, call, signed),
            url,
            ...(exchange.answered ? { httpStatus: exchange.status } : {}),
            latencyMs: exchange.latencyMs,
        };
    }
    /**
     * `action` with `params`, retried while the answer is transient, each attempt signed anew and
     * reported; `onSent` hears of every attempt's outcome. Never throws.
     */
    async call(call, subject, params, onSent = () => { }) {
        const { retry: policy, onAttempt } = this.#options;
        const body = typeof params === 'string' ? params : JSON.stringify(params);
        const { value, attempts } = await (0,retry/* retry */.L5)(async () => {
            const sent = await this.send(call, body);
            onSent(sent);
            return { value: sent, retry: sent.outcome.retry };
        }, policy, (n, sent, delayMs) => onAttempt?.({
            call: `tencentcloud ${call.service === 'tcb' ? '' : `${call.service} `}${call.action}`,
            subject,
            ok: sent.ok,
            attempt: n,
            maxAttempts: policy.maxAttempts,
            outcome: sent.outcome,
            url: sent.url,
            httpStatus: sent.httpStatus,
            latencyMs: sent.latencyMs,
            delayMs,
        }));
        return { sent: value, attempts };
    }
}
/** Every way an exchange can end, judged by the Tencent Cloud API's table; the answer's secrets registered. */
function judge(exchange, secrets, { service, action }, signed) {
    const judged = (0,tencent_api/* judgeTencent */.z)(exchange, secrets, ERRORS[service]);
    if (judged.ok) {
        for (const secret of ANSWER_SECRETS[action]?.(judged.response) ?? []) {
            if (typeof secret === 'string')
                secrets.add(secret);
        }
        return {
            ok: true,
            next: 'fail',
            outcome: { errcode: null, errmsg: 'ok', retry: false, unclear: false, json: judged.response },
        };
    }
    // A server may quote what it was sent: this request's signature is a credential too.
    const own = new secrets_secrets/* Secrets */.Sb();
    own.add(signed.authorization);
    own.add(signed.signature);
    return { ...judged, outcome: { ...judged.outcome, errmsg: own.redact(judged.outcome.errmsg) } };
}

;// CONCATENATED MODULE: ./src/clouds/tencentcloud/oidc-keys.ts
// Keys without a stored secret: GitHub's OIDC token for the job, exchanged at Tencent Cloud STS
// (AssumeRoleWithWebIdentity, a request with no signature) for a CAM role's temporary keys. The
// token is asked for by the caller (`idToken`: this file knows nothing of GitHub Actions), goes
// nowhere but STS, and the keys are registered as secrets by the client the moment they arrive.




/** What the keys are called in a refusal. */
const STS_KEYS = 'Tencent Cloud keys from STS AssumeRoleWithWebIdentity';
/**
 * Two hours, as STS's default: a job's deploy takes minutes, and a role whose longest session is
 * the CAM default (2 hours) accepts it; ExchangedKeys renews them before they expire.
 */
const DURATION_SECONDS = 7200;
/** STS's `RoleSessionName`: 2 to 128 of `[\w+=,.@-]`, as the model's AssumeRole documents. */
const SESSION_NAME_MAX = 128;
/** The session's name: the repository and the run, as CloudAudit shows who used the keys. */
function sessionName(repository = '', run = '') {
    const name = `gh-${repository}-${run}`.replace(/[^\w+=,.@-]/g, '-');
    return name.slice(0, SESSION_NAME_MAX);
}
/** Each call asks GitHub for a fresh token and STS for keys. */
function oidcExchange(options) {
    const { oidc, idToken, repository, run, ...client } = options;
    const sts = new TencentClient({ ...client, keys: 'skip' });
    return async () => {
        let token;
        try {
            token = await idToken(oidc.audience);
        }
        catch (error) {
            const errmsg = `GitHub gave no OIDC token: ${(0,text_text/* messageOf */.bD)(error)}`;
            return { ok: false, refusal: { outcome: (0,cloud/* failure */.V)(errmsg), from: STS_KEYS } };
        }
        const params = {
            ProviderId: oidc.providerId,
            WebIdentityToken: token,
            RoleArn: oidc.roleArn,
            RoleSessionName: sessionName(repository, run),
            DurationSeconds: DURATION_SECONDS,
        };
        const { sent } = await sts.call(TENCENT_CALLS.assumeRole, oidc.roleArn, params);
        if (!sent.ok)
            return { ok: false, refusal: { outcome: sent.outcome, from: STS_KEYS } };
        const response = sent.outcome.json ?? {};
        const credentials = response.Credentials;
        const { TmpSecretId: secretId, TmpSecretKey: secretKey, Token: sessionToken, } = credentials ?? {};
        const expiresAt = response.ExpiredTime;
        if (typeof secretId !== 'string' ||
            typeof secretKey !== 'string' ||
            typeof sessionToken !== 'string' ||
            typeof expiresAt !== 'number') {
            const errmsg = 'AssumeRoleWithWebIdentity answered without Credentials and ExpiredTime';
            return { ok: false, refusal: { outcome: (0,cloud/* failure */.V)(errmsg), from: STS_KEYS } };
        }
        return { ok: true, value: { keys: { secretId, secretKey, sessionToken }, expiresAt } };
    };
}

// EXTERNAL MODULE: ./src/clouds/code-limits.ts
var code_limits = __webpack_require__(9514);
;// CONCATENATED MODULE: ./src/clouds/exchanged-keys.ts
// Keys that an exchange hands out for a while (WeChat's `tcb/getqcloudtoken`, or STS's
// `AssumeRoleWithWebIdentity` for GitHub's OIDC token): held with their expiry, and exchanged again before it,
// within a budget of exchanges per step, since the exchanges themselves are limited (WeChat's:
// 10 an hour per mini program). Keys that expired and cannot be renewed are refused with the
// truth, never used.

/** Five minutes: what a signature may be off Tencent Cloud's clock, and ample for one call. */
const RENEW_MARGIN_MS = 5 * 60_000;
/** WeChat's 10 an hour leave room for re-runs; 3 sets of 2-hour keys outlast a job's 6 hours. */
const MAX_EXCHANGES = 3;
const EXPIRED_HINT = 'What was deployed before the keys expired says so; run the step again for the rest.';
class ExchangedKeys {
    #options;
    #held;
    #pending;
    #exchanges = 0;
    /** Why the last renewal failed: the keys held are then used until they expire. */
    #renewalFailed;
    constructor(options) {
        this.#options = {
            now: Date.now,
            marginMs: RENEW_MARGIN_MS,
            maxExchanges: MAX_EXCHANGES,
            ...options,
        };
    }
    /** Keys good for a while yet: those held, or new ones. One exchange at a time serves all. */
    async current() {
        const now = this.#options.now();
        const held = this.#held;
        if (held && now < held.renewAtMs)
            return held.keys;
        const spent = this.#exchanges >= this.#options.maxExchanges || this.#renewalFailed;
        if (held && spent)
            return now < held.expiresMs ? held.keys : this.#expired(held.expiresMs);
        this.#pending ??= this.#renew().finally(() => {
            this.#pending = undefined;
        });
        return this.#pending;
    }
    /** Exchanges until keys that have not expired yet come back, within the budget. */
    async #renew() {
        const { exchange, now, maxExchanges, marginMs } = this.#options;
        while (this.#exchanges < maxExchanges) {
            this.#exchanges++;
            const got = await exchange();
            const held = this.#held;
            if (!got.ok) {
                if (!held)
                    return got.refusal;
                this.#renewalFailed = got.refusal;
                return now() < held.expiresMs ? held.keys : this.#expired(held.expiresMs);
            }
            const obtainedMs = now();
            const expiresMs = got.value.expiresAt * 1000;
            const margin = Math.max(0, Math.min(marginMs, (expiresMs - obtainedMs) / 2));
            this.#held = { keys: got.value.keys, expiresMs, renewAtMs: expiresMs - margin };
            if (obtainedMs < expiresMs)
                return got.value.keys;
        }
        const held = this.#held;
        return now() < held.expiresMs ? held.keys : this.#expired(held.expiresMs);
    }
    /** The keys expired, and no renewal was had: why, and how many exchanges were made. */
    #expired(expiresMs) {
        const { from, maxExchanges } = this.#options;
        const at = new Date(expiresMs).toISOString().slice(11, 19);
        const renewal = this.#renewalFailed
            ? `renewing them failed: ${this.#renewalFailed.outcome.errmsg}`
            : `this step exchanged for keys ${this.#exchanges} times, its most (${maxExchanges})`;
        const outcome = {
            ...(0,cloud/* failure */.V)(`the ${from} expired at ${at} UTC, and ${renewal}`, this.#renewalFailed?.outcome.hint ?? EXPIRED_HINT),
            refusesAll: true,
        };
        return { outcome, from };
    }
}
/** Whether `got` is a refusal rather than keys. */
function isRefusal(got) {
    return 'outcome' in got;
}

// EXTERNAL MODULE: ./src/clouds/listing.ts
var listing = __webpack_require__(8578);
// EXTERNAL MODULE: ./src/clouds/triggers.ts
var triggers = __webpack_require__(8389);
;// CONCATENATED MODULE: ./src/clouds/tencentcloud/tencent-cloud.ts
// Tencent Cloud's route: every call through CloudBase's Tencent Cloud API, signed with keys: the
// keys given, or temporary ones that WeChat hands out for the mini program's token
// (`tcb/getqcloudtoken`, again before they expire: see exchanged-keys.ts). CreateFunction takes
// the code and the settings along; the variables are read from SCF, the one API whose GetFunction
// answers them (see docs/credentials.md); the cloud-call permissions of config.json are WeChat's
// alone, and so is invocation. Which call goes where is src/clouds/contract.ts's TENCENT_CALLS.







const QCLOUD_KEYS = 'Tencent Cloud keys from tcb/getqcloudtoken';
/**
 * What @cloudbase/manager-node creates a function with (`lib/function/index.js`), fields the tcb
 * model's CreateFunction has: the role CloudBase's functions run as, and the mini program's stamp.
 */
const CREATE_AS = { Role: 'TCB_QcsRole', Stamp: 'MINI_QCBASE' };
class TencentCloud {
    api = 'tencentcloud';
    createCarries = true;
    setsPermissions = false;
    setsTriggers = true;
    #options;
    /** The client of the keys signing now: a new one when exchanged keys are renewed. */
    #client;
    #exchanged;
    /** Each function's upload body, built once: retries send the very same bytes. */
    #bodies = new WeakMap();
    constructor(options) {
        this.#options = options;
        this.#exchanged = new ExchangedKeys(options.keyExchange ?? { exchange: () => this.#exchange(), from: QCLOUD_KEYS });
    }
    async connect() {
        const client = await this.#tcb();
        return client instanceof TencentClient ? undefined : client;
    }
    /** The client, with keys good for a while yet: those given, or exchanged ones. */
    async #tcb() {
        const { keys: given, endpoint, region, transport, secrets, retry, onAttempt } = this.#options;
        const keys = given ?? (await this.#exchanged.current());
        if (isRefusal(keys))
            return keys;
        if (this.#client?.keys !== keys) {
            const client = new TencentClient({
                endpoint,
                region,
                transport,
                keys,
                retry,
                secrets,
                onAttempt,
            });
            this.#client = { keys, client };
        }
        return this.#client.client;
    }
    /** Temporary keys for the WeChat token, and when they expire. */
    async #exchange() {
        const { wechat } = this.#options;
        if (!wechat) {
            const errmsg = 'neither Tencent Cloud keys nor a WeChat token to exchange for them';
            return { ok: false, refusal: { outcome: (0,cloud/* failure */.V)(errmsg), from: 'Tencent Cloud keys' } };
        }
        const token = await wechat.token();
        if (!token.ok) {
            const from = 'an access token from cgi-bin/stable_token';
            return { ok: false, refusal: { outcome: token.outcome, from } };
        }
        // Masked by the WeChat client the moment they arrive, before anything of the answer is read.
        const exchanged = await wechat.qcloudKeys();
        if (!exchanged.ok) {
            return { ok: false, refusal: { outcome: exchanged.outcome, from: QCLOUD_KEYS } };
        }
        const { secretId, secretKey, token: sessionToken, expiresAt } = exchanged.value;
        return { ok: true, value: { keys: { secretId, secretKey, sessionToken }, expiresAt } };
    }
    /**
     * Every function of the environment, page by page (see listAll). CloudBase's page for
     * ListFunctions could not be read beyond `Functions`: the fields of each entry are SCF's
     * documented ones (ENTRY_FIELDS).
     */
    async list() {
        const tcb = await this.#tcb();
        if (!(tcb instanceof TencentClient))
            return { ok: false, outcome: tcb.outcome };
        const { env, secrets } = this.#options;
        return (0,listing/* listAll */._w)('ListFunctions', async (offset) => {
            const params = { EnvId: env, Offset: offset, Limit: listing/* PAGE_SIZE */.md };
            const { sent } = await tcb.call(TENCENT_CALLS.list, env, params);
            if (!sent.ok)
                return { ok: false, outcome: sent.outcome };
            const entries = (0,listing/* readEntries */.$2)(sent.outcome.json?.Functions, ENTRY_FIELDS, secrets);
            return entries
                ? { ok: true, value: entries }
                : { ok: false, outcome: (0,cloud/* failure */.V)('ListFunctions answered with no `Functions` list') };
        });
    }
    /**
     * One CreateFunction, with the code and the settings when there are; a lost answer may have
     * created it. An `SCFErrorCode` in a success answer is a refusal.
     */
    async create(name, { code, settings }) {
        const refused = (outcome) => ({ ok: false, outcome, attempts: 0, unclear: [] });
        const tcb = await this.#tcb();
        if (!(tcb instanceof TencentClient))
            return refused(tcb.outcome);
        const { env, runtime, memoryMb } = this.#options;
        const body = JSON.stringify({
            ...(code ? this.#codeFields(name, code) : { EnvId: env, FunctionName: name }),
            Runtime: runtime,
            MemorySize: memoryMb,
            ...CREATE_AS,
            ...(settings?.timeout === undefined ? {} : { Timeout: settings.timeout }),
            ...(settings?.environment ? { Environment: environment(settings.environment) } : {}),
        });
        const tooLarge = (0,code_limits/* oversized */.ad)(Buffer.byteLength(body));
        if (tooLarge)
            return refused(tooLarge);
        const unclear = [];
        let count = 0;
        const { sent, attempts } = await tcb.call(TENCENT_CALLS.create, name, body, (s) => {
            count++;
            if (s.outcome.unclear)
                unclear.push(count);
        });
        const scf = sent.ok ? this.#scfError(sent) : undefined;
        if (scf)
            return { ok: false, outcome: scf, attempts, unclear: [] };
        return { ok: sent.ok, outcome: sent.outcome, attempts, unclear };
    }
    /** A success answer that carries `SCFErrorCode`: SCF refused what CloudBase passed on. */
    #scfError(sent) {
        const { SCFErrorCode: scfCode, SCFErrorMsg: scfMessage } = sent.outcome.json ?? {};
        const refused = (typeof scfCode === 'string' && scfCode !== '') ||
            (typeof scfCode === 'number' && scfCode !== 0);
        if (!refused)
            return undefined;
        const message = typeof scfMessage === 'string' ? `: ${scfMessage}` : '';
        return (0,cloud/* failure */.V)(this.#options.secrets.redact(`SCFErrorCode ${scfCode}${message}`));
    }
    /** One UpdateFunctionCode, judged: an `SCFErrorCode` in a success answer is a failure. */
    async upload(name, code) {
        const refused = (outcome, sent) => ({
            kind: 'refused',
            outcome,
            next: sent?.next ?? 'fail',
            url: sent?.url ?? '',
            latencyMs: sent?.latencyMs ?? 0,
            ...(sent?.httpStatus ? { httpStatus: sent.httpStatus } : {}),
        });
        const tcb = await this.#tcb();
        if (!(tcb instanceof TencentClient))
            return refused(tcb.outcome);
        let body = this.#bodies.get(code);
        if (body === undefined) {
            body = JSON.stringify(this.#codeFields(name, code));
            this.#bodies.set(code, body);
        }
        const tooLarge = (0,code_limits/* oversized */.ad)(Buffer.byteLength(body));
        if (tooLarge)
            return refused(tooLarge);
        const sent = await tcb.send(TENCENT_CALLS.code, body);
        if (!sent.ok)
            return refused(sent.outcome, sent);
        const scf = this.#scfError(sent);
        if (scf)
            return refused(scf, sent);
        return {
            kind: 'accepted',
            detail: `ok (RequestId ${sent.outcome.json?.RequestId})`,
            url: sent.url,
            latencyMs: sent.latencyMs,
            ...(sent.httpStatus ? { httpStatus: sent.httpStatus } : {}),
        };
    }
    async readPermissions() {
        return { ok: false, outcome: (0,cloud/* failure */.V)(NO_PERMISSIONS) };
    }
    async writePermissions() {
        return (0,cloud/* failure */.V)(NO_PERMISSIONS);
    }
    /**
     * CloudBase's GetFunction for the timeout and memory, and, when asked, SCF's for the variables:
     * CloudBase's answer has none. A field an answer lacks is unknown; so are the variables when
     * SCF refuses (the keys `getqcloudtoken` hands out are documented for CloudBase alone). Their
     * values are masked as the answer is read.
     */
    async readSettings(name, variables) {
        const { env } = this.#options;
        const answer = await this.#callFor(name, TENCENT_CALLS.get, { EnvId: env });
        if (!answer.ok)
            return answer;
        const { Timeout: timeout, MemorySize: memory } = answer.value;
        const settings = {
            ...(Number.isInteger(timeout) ? { timeout: timeout } : {}),
            ...(Number.isInteger(memory) ? { memoryMb: memory } : {}),
        };
        if (!variables)
            return { ok: true, value: settings };
        const scf = await this.#callFor(name, TENCENT_CALLS.variables, { Namespace: env });
        const unread = (why) => ({
            ok: true,
            value: { ...settings, unread: `the variables could not be read: ${why}` },
        });
        if (!scf.ok)
            return unread(`SCF's GetFunction: ${scf.outcome.errmsg}`);
        const held = scf.value.Environment;
        if (held == null)
            return unread("SCF's GetFunction answered no `Environment`");
        // An `Environment` without `Variables` holds none.
        const read = (0,cloud/* readVariables */.C)(held.Variables ?? [], 'Key', 'Value');
        if (!read)
            return unread("SCF's GetFunction answered variables it could not read");
        return { ok: true, value: { ...settings, environment: read } };
    }
    /** UpdateFunctionConfiguration of what `settings` sets; the variables written replace all. */
    async writeSettings(name, settings) {
        const answer = await this.#callFor(name, TENCENT_CALLS.configure, {
            EnvId: this.#options.env,
            ...(settings.timeout === undefined ? {} : { Timeout: settings.timeout }),
            ...(settings.memoryMb === undefined ? {} : { MemorySize: settings.memoryMb }),
            ...(settings.environment ? { Environment: environment(settings.environment) } : {}),
        });
        return answer.ok ? undefined : answer.outcome;
    }
    /**
     * CloudBase's GetFunction's `Triggers`; when its answer has no such list, SCF's ListTriggers.
     * A list neither gives is unknown, not empty: a refusal, so that no trigger is created blindly
     * beside one held.
     */
    async readTriggers(name) {
        const answer = await this.#callFor(name, TENCENT_CALLS.get, { EnvId: this.#options.env });
        if (!answer.ok)
            return answer;
        if (Array.isArray(answer.value.Triggers)) {
            return heldTriggers(answer.value.Triggers, 'GetFunction');
        }
        const listed = await this.#listTriggers(name);
        if (listed.ok)
            return listed;
        const errmsg = `GetFunction answered no \`Triggers\` list, and ListTriggers: ${listed.outcome.errmsg}`;
        return { ok: false, outcome: { ...listed.outcome, errmsg } };
    }
    /** SCF's ListTriggers, page by page until one comes back short or adds no name (as listAll). */
    async #listTriggers(name) {
        const held = new Map();
        for (let pages = 0, offset = 0; pages < listing/* MAX_LIST_PAGES */.rt; pages++) {
            const answer = await this.#callFor(name, TENCENT_CALLS.listTriggers, {
                Namespace: this.#options.env,
                Offset: offset,
                Limit: listing/* PAGE_SIZE */.md,
            });
            if (!answer.ok)
                return answer;
            const list = answer.value.Triggers;
            if (!Array.isArray(list))
                return { ok: false, outcome: (0,cloud/* failure */.V)('no `Triggers` list') };
            const page = heldTriggers(list, 'ListTriggers');
            if (!page.ok)
                return page;
            const before = held.size;
            for (const trigger of page.value)
                held.set(trigger.name, trigger);
            offset += list.length;
            if (list.length < listing/* PAGE_SIZE */.md || held.size === before)
                return { ok: true, value: [...held.values()] };
        }
        return { ok: false, outcome: (0,cloud/* failure */.V)(`more than ${listing/* MAX_LIST_PAGES */.rt} full pages`) };
    }
    /** SCF's CreateTrigger, or UpdateTrigger, whose model takes the new cron: one trigger each. */
    async writeTrigger(name, trigger, how) {
        const call = how === 'create' ? TENCENT_CALLS.createTrigger : TENCENT_CALLS.updateTrigger;
        const answer = await this.#callFor(name, call, {
            Namespace: this.#options.env,
            TriggerName: trigger.name,
            Type: 'timer',
            TriggerDesc: trigger.cron,
        });
        return answer.ok ? undefined : answer.outcome;
    }
    /** CloudBase's Tencent Cloud API documents no invocation: WeChat's, with its token. */
    async invoke(name, event) {
        const { wechat, env } = this.#options;
        if (!wechat)
            return { ok: false, outcome: (0,cloud/* failure */.V)('invoking takes a WeChat token') };
        const answer = await wechat.invoke(env, name, event);
        return answer.ok ? { ok: true, response: answer.value } : answer;
    }
    /** What CreateFunction and UpdateFunctionCode both take: the function, its handler and code. */
    #codeFields(name, code) {
        return {
            EnvId: this.#options.env,
            FunctionName: name,
            Handler: code_limits/* HANDLER */.z,
            InstallDependency: code.installDependencies ? 'TRUE' : 'FALSE',
            Code: { ZipFile: code.zip.toString('base64') },
            CodeSource: 'ZipFile',
        };
    }
    /** `call` for one function: its answer's `Response`. */
    async #callFor(name, call, params) {
        const tcb = await this.#tcb();
        if (!(tcb instanceof TencentClient))
            return { ok: false, outcome: tcb.outcome };
        const { sent } = await tcb.call(call, name, { FunctionName: name, ...params });
        return sent.ok
            ? { ok: true, value: sent.outcome.json ?? {} }
            : { ok: false, outcome: sent.outcome };
    }
}
/** Where ListFunctions keeps each field of a function, as SCF documents it. */
const ENTRY_FIELDS = {
    name: 'FunctionName',
    status: 'Status',
    reasons: 'StatusReasons',
    reasonCode: 'ErrorCode',
    reasonMessage: 'ErrorMessage',
    runtime: 'Runtime',
    modTime: 'ModTime',
};
const NO_PERMISSIONS = "Tencent Cloud's API has no call for the cloud-call permissions: deploy them with `api: wechat`";
/**
 * A `Triggers` list as `call` answers it, each timer's cron normalised; an entry without its name
 * makes the whole list unread.
 */
function heldTriggers(list, call) {
    const held = list.flatMap((entry) => {
        const { TriggerName: triggerName, Type: type, TriggerDesc: desc, } = (entry ?? {});
        if (typeof triggerName !== 'string')
            return [];
        const cron = type === 'timer' ? (0,triggers/* heldCron */.qD)(desc) : undefined;
        return [
            {
                name: triggerName,
                ...(typeof type === 'string' ? { type } : {}),
                ...(cron ? { cron } : {}),
            },
        ];
    });
    if (held.length !== list.length) {
        return { ok: false, outcome: (0,cloud/* failure */.V)(`${call} answered a trigger without its name`) };
    }
    return { ok: true, value: held };
}
/** The variables as SCF takes them. */
function environment(variables) {
    return { Variables: [...variables].map(([Key, Value]) => ({ Key, Value })) };
}

// EXTERNAL MODULE: ./src/clouds/wechat/scf-client.ts
var scf_client = __webpack_require__(5205);
// EXTERNAL MODULE: ./src/clouds/wechat/wechat-client.ts
var wechat_client = __webpack_require__(2079);
;// CONCATENATED MODULE: ./src/clouds/wechat/wechat-cloud.ts
// WeChat's route: every call through WeChat's API with an access token, and the code through
// the signed upload host that WeChat signs for (getcodesecret once, then getuploadsignature and
// the send, for every upload).



class WeChatCloud {
    wechat;
    scf;
    env;
    api = 'wechat';
    createCarries = false;
    setsPermissions = true;
    setsTriggers = false;
    #codeSecret;
    /** Each function's type-3 configuration as last read: a write keeps what it does not set. */
    #held = new Map();
    /** Each function's body, built once: retries send the very same bytes. */
    #bodies = new WeakMap();
    constructor(wechat, scf, env) {
        this.wechat = wechat;
        this.scf = scf;
        this.env = env;
    }
    async connect() {
        const token = await this.wechat.token();
        return token.ok
            ? undefined
            : { outcome: token.outcome, from: 'an access token from cgi-bin/stable_token' };
    }
    list() {
        return this.wechat.listFunctions(this.env);
    }
    create(name) {
        return this.wechat.createFunction(this.env, name);
    }
    async upload(name, code) {
        const refused = (outcome, next = 'fail') => ({
            kind: 'refused',
            outcome,
            next,
            url: '',
            latencyMs: 0,
        });
        this.#codeSecret ??= this.wechat.codeSecret();
        const codeSecret = await this.#codeSecret;
        if (!codeSecret.ok)
            return refused(codeSecret.outcome);
        let body = this.#bodies.get(code);
        if (!body) {
            body = (0,code_limits/* uploadBody */.E3)({
                codeSecret: codeSecret.value,
                env: this.env,
                functionName: name,
                zip: code.zip,
                installDependencies: code.installDependencies,
            });
            this.#bodies.set(code, body);
        }
        const tooLarge = (0,code_limits/* oversized */.ad)(body.bytes);
        if (tooLarge)
            return refused(tooLarge);
        // Signed right before each send: a signature is good for five minutes.
        const signature = await this.wechat.uploadSignature(name, body.sha256);
        // One attempt: the upload is retried whole, with a fresh signature.
        if (!signature.ok)
            return refused(signature.outcome, signature.outcome.retry ? 'retry' : 'fail');
        const request = this.scf.sign(signature.value);
        if ('refused' in request) {
            return refused((0,cloud/* failure */.V)(request.refused));
        }
        return this.scf.upload(request, body);
    }
    async readPermissions(name) {
        const config = await this.wechat.functionConfig(this.env, name, wechat_client.CONFIG_TYPE.permissions);
        if (!config.ok || config.value === null)
            return config;
        const json = parseJson(config.value);
        const openapi = json?.permissions?.openapi;
        if (json === undefined || (openapi !== undefined && !isStrings(openapi))) {
            return unreadable('getfuncconfig answered a cloud-call configuration without an openapi list');
        }
        return { ok: true, value: openapi ?? [] };
    }
    async writePermissions(name, openapi) {
        const config = JSON.stringify({ permissions: { openapi } });
        return errorOf(await this.wechat.uploadFunctionConfig(this.env, name, wechat_client.CONFIG_TYPE.permissions, config));
    }
    async readSettings(name) {
        const config = await this.wechat.functionConfig(this.env, name, wechat_client.CONFIG_TYPE.settings);
        if (!config.ok)
            return config;
        const held = (0,wechat_client.readSettings)(config.value);
        if (!held) {
            return unreadable('getfuncconfig answered an environment configuration it could not read');
        }
        this.#held.set(name, held.fields);
        return { ok: true, value: held.settings };
    }
    /** The whole type-3 configuration: what was read, with what `settings` sets. */
    async writeSettings(name, settings) {
        const config = (0,wechat_client.settingsConfig)(this.#held.get(name) ?? {}, settings);
        return errorOf(await this.wechat.uploadFunctionConfig(this.env, name, wechat_client.CONFIG_TYPE.settings, config));
    }
    async invoke(name, event) {
        const answer = await this.wechat.invoke(this.env, name, event);
        return answer.ok ? { ok: true, response: answer.value } : answer;
    }
}
function errorOf(outcome) {
    return outcome.errcode === 0 ? undefined : outcome;
}
function unreadable(errmsg) {
    return { ok: false, outcome: (0,cloud/* failure */.V)(errmsg) };
}
function parseJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
function isStrings(value) {
    return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

;// CONCATENATED MODULE: ./src/route.ts
// Which cloud API the run goes through, built from the inputs: WeChat's, with a token, or
// Tencent Cloud's, with keys (given, exchanged for the WeChat token, or for GitHub's OIDC token).





function cloudFor(inputs, remotes) {
    const { transport, secrets, retry, onAttempt } = remotes;
    const wechat = inputs.wechat &&
        new wechat_client.WeChatClient({
            baseUrl: inputs.apiBaseUrl,
            transport,
            credentials: inputs.wechat,
            retry,
            secrets,
            onAttempt,
        });
    if (inputs.api === 'tencentcloud') {
        const { oidc } = inputs;
        const { idToken } = remotes;
        const keyExchange = oidc &&
            idToken && {
            exchange: oidcExchange({
                ...inputs.tencentcloud,
                transport,
                secrets,
                retry,
                onAttempt,
                oidc,
                idToken,
                ...(remotes.repository ? { repository: remotes.repository } : {}),
                ...(remotes.run ? { run: remotes.run } : {}),
            }),
            from: STS_KEYS,
        };
        return new TencentCloud({
            ...remotes,
            ...inputs.tencentcloud,
            env: inputs.env,
            ...(inputs.keys ? { keys: inputs.keys } : {}),
            ...(wechat ? { wechat } : {}),
            ...(keyExchange ? { keyExchange } : {}),
        });
    }
    // The inputs give the WeChat route its credentials.
    if (!wechat)
        throw new Error('the WeChat route needs a WeChat token');
    const scf = new scf_client/* ScfClient */.q({ transport, secrets, apiBaseUrl: inputs.apiBaseUrl });
    return new WeChatCloud(wechat, scf, inputs.env);
}


/***/ }),

/***/ 8207:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  UPLOAD_WAIT_MS: () => (/* binding */ UPLOAD_WAIT_MS),
  deploy: () => (/* binding */ deploy)
});

// EXTERNAL MODULE: ./src/clouds/triggers.ts
var triggers = __webpack_require__(8389);
// EXTERNAL MODULE: ./src/clouds/wechat/errcodes.ts
var errcodes = __webpack_require__(2034);
// EXTERNAL MODULE: ./src/net/retry.ts
var net_retry = __webpack_require__(7893);
;// CONCATENATED MODULE: ./src/run/judge.ts
const DELETE_IN_CONSOLE = 'This API has no call that deletes a function: delete it in the cloud development console, then run again to create it anew.';
/** Why a state was reached, by the words of its reason: the first that matches gives the hint. */
const CAUSES = {
    UpdateFailed: [
        {
            // The cloud ran `npm install` from package.json, and it failed: the same code fails again.
            reason: /InstallDependency|npm (ERR|error)|\bE404\b/i,
            hint: 'The cloud could not install the dependencies of `package.json`: check that every package and version in it exists on npm (and its lock file), or upload `node_modules/` with `install-dependencies: false`.',
        },
    ],
};
const STATES = {
    Active: { kind: 'ready' },
    Creating: { kind: 'settling' },
    Updating: { kind: 'settling' },
    Publishing: { kind: 'settling' },
    UpdatingAndPublishing: { kind: 'settling' },
    CreateFailed: { kind: 'broken', hint: DELETE_IN_CONSOLE },
    UpdateFailed: {
        kind: 'repairable',
        hint: 'The code in the cloud is not the code last sent: deploy the code again (`code-dir`).',
    },
    PublishFailed: {
        kind: 'broken',
        hint: 'Publishing a version failed: publish it again, or delete it, in the cloud development console.',
    },
    Deleting: {
        kind: 'broken',
        hint: 'The function is being deleted: run again once it is gone, to create it anew.',
    },
    DeleteFailed: { kind: 'broken', hint: DELETE_IN_CONSOLE },
};
/** What a state means, its hint told by the reason where that says more; an unknown one is broken. */
function judge(state, reason = '') {
    if (Object.hasOwn(STATES, state)) {
        const verdict = STATES[state];
        const cause = CAUSES[state]?.find((c) => c.reason.test(reason));
        return cause && 'hint' in verdict ? { ...verdict, hint: cause.hint } : verdict;
    }
    return {
        kind: 'broken',
        hint: `The state ${JSON.stringify(state)} is not one the action knows (${Object.keys(STATES).join(', ')}): check the function in the cloud development console.`,
    };
}
/** A listed function's state, and why it is in it when the list says: `CreateFailed: …`. */
function stateOf(fn) {
    return fn.reason ? `${fn.status}: ${fn.reason}` : fn.status;
}
function isSettling(state) {
    return state !== undefined && judge(state).kind === 'settling';
}

;// CONCATENATED MODULE: ./src/run/code-upload.ts


/**
 * Whether `fn` shows a change since `base` was listed: a new state, or a new modification
 * time. What is knowable of an upload that took: the function leaves the state it had, or
 * its `mod_time` moves.
 */
function changedSince(fn, base) {
    return fn !== undefined && (fn.status !== base.status || fn.modTime !== base.modTime);
}
/** Sends `code` to `name`; `base` is the function as listed last before, when it could be. */
async function uploadCode(ctx, name, code, base) {
    const { cloud, poller, limiter, retry, onAttempt } = ctx;
    let signedAgain = false;
    for (let attempt = 1;; attempt++) {
        const mark = poller.mark();
        const sent = await limiter.run(() => cloud.upload(name, code));
        const report = (outcome, delayMs, then) => onAttempt({
            call: 'upload',
            subject: name,
            ok: sent.kind === 'accepted',
            attempt,
            maxAttempts: retry.maxAttempts,
            outcome,
            url: sent.url ?? '',
            httpStatus: sent.httpStatus,
            latencyMs: sent.latencyMs ?? 0,
            delayMs,
            ...(then ? { then } : {}),
        });
        if (sent.kind === 'accepted') {
            report({ errcode: null, errmsg: sent.detail, retry: false, unclear: false });
            return { ok: true, detail: sent.detail };
        }
        const { outcome, next } = sent;
        if (next === 'fail' || (next === 'sign-again' && signedAgain) || attempt >= retry.maxAttempts) {
            report(outcome);
            return { ok: false, outcome };
        }
        // What never reached the host (its signature failed) carries no url: nothing to settle.
        if (next === 'retry' && base && sent.url) {
            const listing = await poller.fresh(mark);
            if (listing.ok && changedSince(listing.functions.get(name), base)) {
                report(outcome, undefined, 'the list shows the function changed since: the code was taken');
                return {
                    ok: true,
                    detail: 'the list shows the code was taken, although its answer was not clear',
                };
            }
        }
        if (next === 'sign-again') {
            signedAgain = true;
            report(outcome, undefined, 'signing again and sending at once');
            continue;
        }
        if (next === 'wait' && base) {
            report(outcome, undefined, 'waiting for the function to settle, then sending again');
            const waited = await poller.until(name, (fn) => !isSettling(fn?.status), {
                since: mark,
                limitMs: ctx.waitMs,
            });
            const state = waited.ok ? waited.fn?.status : undefined;
            if (state !== 'Active') {
                const why = waited.ok
                    ? `the function is ${state ?? 'no longer listed'}, and the host refused the code: ${outcome.errmsg}`
                    : `the host refused the code (${outcome.errmsg}), and the list to wait on failed: ${waited.outcome.errmsg}`;
                return { ok: false, outcome: { ...outcome, errmsg: why }, ...(state ? { state } : {}) };
            }
            continue;
        }
        const delayMs = (0,net_retry/* backoffDelay */.EY)(attempt, retry.baseDelayMs, retry.random, retry.capDelayMs);
        report(outcome, delayMs);
        await ctx.sleep(delayMs);
    }
}

// EXTERNAL MODULE: ./src/clouds/cloud.ts
var clouds_cloud = __webpack_require__(5699);
// EXTERNAL MODULE: ./src/run/function-config.ts
var function_config = __webpack_require__(9640);
;// CONCATENATED MODULE: ./src/run/configure.ts
// A function's configuration, written only where it differs from what the cloud holds: the
// cloud-call permissions of its `config.json`, and the timeout and variables the step asks for.
// Each is read first, compared, and written whole (a write replaces that part). A dry run reads
// and compares, and writes nothing.


/** Settings of a function not yet created: no variables; what the cloud will default is unknown. */
const NO_SETTINGS = { environment: new Map() };
/** Why nothing is written when a merge meets variables that could not be read. */
const MERGE_UNREAD = "a merge could drop those the step does not name, so none were written; `environment-mode: replace` writes exactly the step's variables";
/**
 * Configures `name` as `ask` says. `exists` is false for a function a dry run would create: it
 * has nothing to read, and everything asked would be written.
 */
async function configure({ cloud, limiter, dryRun }, name, ask, exists) {
    const changes = [];
    let wrote = false;
    const failed = (what, outcome) => ({
        status: 'failed',
        changes,
        failure: { ...outcome, errmsg: `configuration: ${what}: ${outcome.errmsg}` },
    });
    if (ask.openapi !== undefined && cloud.setsPermissions) {
        const wanted = (0,function_config/* canonicalOpenapi */.Jj)(ask.openapi);
        let current = null;
        if (exists) {
            const read = await limiter.run(() => cloud.readPermissions(name));
            if (!read.ok)
                return failed('reading the cloud-call permissions', read.outcome);
            current = read.value;
        }
        const change = openapiChange(current, wanted);
        if (change) {
            changes.push(change);
            if (!dryRun) {
                const refused = await limiter.run(() => cloud.writePermissions(name, wanted));
                if (refused)
                    return failed('writing the cloud-call permissions', refused);
                wrote = true;
            }
        }
    }
    if (ask.settings) {
        let current = NO_SETTINGS;
        if (exists) {
            const variables = (0,function_config/* asksVariables */.SO)(ask.settings);
            const read = await limiter.run(() => cloud.readSettings(name, variables));
            if (!read.ok)
                return failed('reading the timeout and variables', read.outcome);
            current = read.value;
        }
        const merged = (0,function_config/* mergeSettings */.ss)(current, ask.settings);
        if ('unknown' in merged) {
            return failed('the variables', (0,clouds_cloud/* failure */.V)(`${merged.unknown}: ${MERGE_UNREAD}`));
        }
        const { settings, change } = merged;
        if (change) {
            changes.push(...describeChange(change));
            const bytes = (0,function_config/* environmentBytes */.lG)(settings.environment ?? new Map());
            if (bytes > function_config/* MAX_ENVIRONMENT_BYTES */.Jv) {
                const errmsg = `the variables, those in the cloud with those of the step, would take ${bytes} bytes, over the ${function_config/* MAX_ENVIRONMENT_BYTES */.Jv} a function may hold (\`environment-mode: replace\` drops the others)`;
                return failed('the variables', (0,clouds_cloud/* failure */.V)(errmsg));
            }
            if (!dryRun) {
                const refused = await limiter.run(() => cloud.writeSettings(name, settings));
                if (refused)
                    return failed('writing the timeout and variables', refused);
                wrote = true;
            }
        }
    }
    const status = wrote ? 'updated' : changes.length > 0 ? 'would-update' : 'unchanged';
    return { status, changes };
}
function openapiChange(current, wanted) {
    const had = new Set(current ?? []);
    const added = wanted.filter((api) => !had.has(api));
    const removed = [...had].filter((api) => !wanted.includes(api));
    if (current !== null && added.length === 0 && removed.length === 0)
        return '';
    const parts = [
        added.length > 0 ? `added ${added.join(', ')}` : '',
        removed.length > 0 ? `removed ${removed.join(', ')}` : '',
    ].filter(Boolean);
    return `cloud-call permissions: ${parts.join('; ') || 'none, as config.json says'}`;
}
/** What a settings change does, by name only: values are secrets. */
function describeChange(change) {
    const lines = [];
    const variables = [
        change.added.length > 0 ? `added ${change.added.join(', ')}` : '',
        change.changed.length > 0 ? `changed ${change.changed.join(', ')}` : '',
        change.removed.length > 0 ? `removed ${change.removed.join(', ')}` : '',
    ].filter(Boolean);
    if (change.unread) {
        variables.push('any others the function held removed (they could not be read)');
    }
    if (variables.length > 0)
        lines.push(`variables: ${variables.join('; ')}`);
    if (change.timeout)
        lines.push(`timeout: ${fromTo(change.timeout, 's')}`);
    if (change.memoryMb)
        lines.push(`memory: ${fromTo(change.memoryMb, 'MB')}`);
    return lines;
}
/** `3 s → 20 s`, or `set to 20 s` where the cloud did not say what it held. */
function fromTo({ from, to }, unit) {
    return from === undefined ? `set to ${to} ${unit}` : `${from} ${unit} → ${to} ${unit}`;
}

;// CONCATENATED MODULE: ./src/run/doubts.ts

/** Whether a failed create leaves a doubt that a list can settle. */
function inDoubt(attempts) {
    return attempts.unclear.length > 0 || errcodes/* HINTS_EXISTS */.YE.test(attempts.outcome.errmsg);
}
/** Decided by a list requested after the create: `fn` as it lists the function, if it does. */
function decidedByList(attempts, fn) {
    if (!fn)
        return undefined;
    const [firstUnclear] = attempts.unclear;
    const errmsg = firstUnclear !== undefined
        ? `listed after attempt ${firstUnclear}, whose answer was lost: that attempt created it`
        : 'not listed before this run, listed now: another run created it meanwhile';
    return {
        status: firstUnclear !== undefined ? 'created' : 'exists',
        errcode: 0,
        errmsg,
        note: errmsg,
    };
}
/** Decided by the wording of the last answer, when no list can be read. */
function decidedByWording(attempts) {
    if (!errcodes/* SAYS_EXISTS */.E4.test(attempts.outcome.errmsg))
        return undefined;
    const [firstUnclear] = attempts.unclear;
    // An earlier attempt of this run got no clear answer, and a later one was told it exists.
    if (firstUnclear !== undefined && firstUnclear < attempts.attempts) {
        return {
            status: 'created',
            note: `inferred: attempt ${firstUnclear} got no clear answer and a later one was told the function exists`,
        };
    }
    return { status: 'exists', note: 'inferred from the answer: the list could not be read' };
}

// EXTERNAL MODULE: ./src/run/fails.ts
var fails = __webpack_require__(9000);
;// CONCATENATED MODULE: ./src/run/limiter.ts
/**
 * At most `limit` calls of `run` in flight at once; the others wait their turn, first come first
 * served. The run's requests (creates, uploads, configuration, invocations) share one, whatever
 * stage each function has reached; the zips made before them have one of their own.
 */
class Limiter {
    limit;
    #running = 0;
    #queue = [];
    /** Who waits for the next call to end. */
    #ended = [];
    constructor(limit) {
        this.limit = limit;
    }
    /** Whether a call is in flight. */
    busy() {
        return this.#running > 0;
    }
    /** Resolves when the next call ends; at once when none is in flight. */
    ended() {
        if (this.#running === 0)
            return Promise.resolve();
        return new Promise((resolve) => this.#ended.push(resolve));
    }
    async run(fn) {
        if (this.#running >= this.limit) {
            await new Promise((resolve) => this.#queue.push(resolve));
        }
        else
            this.#running++;
        try {
            return await fn();
        }
        finally {
            // The slot passes straight to the next in line, or is freed.
            const next = this.#queue.shift();
            if (next)
                next();
            else
                this.#running--;
            const ended = this.#ended;
            this.#ended = [];
            for (const resolve of ended)
                resolve();
        }
    }
}

;// CONCATENATED MODULE: ./src/run/poller.ts
const MAX_POLL_MS = 5_000;
const NO_TRAFFIC = { busy: () => false, ended: async () => { } };
class Poller {
    list;
    clock;
    baseDelayMs;
    onRound;
    traffic;
    /** How many lists were requested so far: the number the next one gets. */
    #requested = 0;
    #latest;
    #inFlight;
    #waiters = new Set();
    #looping = false;
    /** The number of the listing the last round used: each round needs a newer one. */
    #lastRound = -1;
    #wake = new AbortController();
    constructor(list, clock, baseDelayMs, onRound = () => { }, traffic = NO_TRAFFIC) {
        this.list = list;
        this.clock = clock;
        this.baseDelayMs = baseDelayMs;
        this.onRound = onRound;
        this.traffic = traffic;
    }
    /** A mark: listings requested from now on count as news of what happened before it. */
    mark() {
        return this.#requested;
    }
    /** A listing requested at or after `mark`: the latest, the one in flight, or a new one. */
    async fresh(mark) {
        for (;;) {
            if (this.#latest && this.#latest.seq >= mark)
                return this.#latest;
            const inFlight = this.#inFlight ?? this.#request();
            const listing = await inFlight;
            if (listing.seq >= mark)
                return listing;
        }
    }
    /**
     * Waits until `done` holds for `name` in a listing requested after `since`, or `limitMs`
     * passes (then one last listing decides), or the list fails.
     */
    until(name, done, { since, limitMs }) {
        return new Promise((resolve) => {
            const now = this.clock.now();
            const waiter = {
                name,
                done,
                since,
                startedAt: now,
                limitMs,
                rounds: 0,
                nextAt: now,
                last: undefined,
                resolve: (end) => {
                    this.#waiters.delete(waiter);
                    resolve(end);
                },
            };
            if (this.#latest && this.#latest.seq >= since && this.#check(waiter, this.#latest, now)) {
                return;
            }
            this.#waiters.add(waiter);
            this.#wake.abort();
            if (!this.#looping)
                void this.#loop();
        });
    }
    #request() {
        const seq = this.#requested++;
        this.#inFlight = this.list().then((listing) => {
            const numbered = { ...listing, seq };
            if (!this.#latest || seq > this.#latest.seq)
                this.#latest = numbered;
            if (this.#inFlight === request)
                this.#inFlight = undefined;
            return numbered;
        });
        const request = this.#inFlight;
        return request;
    }
    async #loop() {
        this.#looping = true;
        try {
            while (this.#waiters.size > 0) {
                const earliest = Math.min(...[...this.#waiters].map((w) => w.since));
                const wanted = Math.max(earliest, this.#lastRound + 1);
                if (!this.#inFlight && !(this.#latest && this.#latest.seq >= wanted))
                    await this.#quiet();
                const listing = await this.fresh(wanted);
                const now = this.clock.now();
                if (!listing.ok) {
                    for (const waiter of this.#waiters)
                        waiter.resolve({ ok: false, outcome: listing.outcome });
                    return;
                }
                const numbered = listing;
                this.#lastRound = numbered.seq;
                const checked = [...this.#waiters].filter((waiter) => numbered.seq >= waiter.since);
                for (const waiter of checked)
                    this.#check(waiter, numbered, now);
                if (this.#waiters.size === 0)
                    return;
                this.#report(checked.filter((waiter) => this.#waiters.has(waiter)), now);
                const next = Math.min(...[...this.#waiters].map((w) => w.nextAt));
                this.#wake = new AbortController();
                if (next > now)
                    await this.clock.sleep(next - now, this.#wake.signal);
            }
        }
        finally {
            this.#looping = false;
        }
    }
    /** Until no request is in flight, or MAX_POLL_MS passed, looked at as each request ends. */
    async #quiet() {
        if (!this.traffic.busy())
            return;
        const start = this.clock.now();
        while (this.traffic.busy() && this.clock.now() - start < MAX_POLL_MS) {
            await this.traffic.ended();
        }
        // What the last request ended for goes on first: its function's wait joins this round.
        await new Promise((resolve) => setImmediate(resolve));
    }
    /** Settles `waiter` with `listing` if it is done or out of time; else schedules its next look. */
    #check(waiter, listing, now) {
        if (!listing.ok)
            return false;
        const fn = listing.functions.get(waiter.name);
        waiter.last = fn;
        const deadline = waiter.startedAt + waiter.limitMs;
        if (waiter.done(fn))
            waiter.resolve({ ok: true, fn, done: true });
        else if (now >= deadline)
            waiter.resolve({ ok: true, fn, done: false });
        else {
            const pause = Math.min(MAX_POLL_MS, Math.max(1, this.baseDelayMs) * 2 ** waiter.rounds++);
            waiter.nextAt = Math.min(now + pause, deadline);
            return false;
        }
        return true;
    }
    #report(waiters, now) {
        if (waiters.length === 0)
            return;
        const oldest = waiters.reduce((a, b) => (b.startedAt < a.startedAt ? b : a));
        this.onRound({
            waiting: waiters.map((w) => ({ name: w.name, state: w.last?.status ?? null })),
            elapsedMs: now - oldest.startedAt,
            limitMs: oldest.limitMs,
        });
    }
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/clouds/code-limits.ts
var code_limits = __webpack_require__(9514);
// EXTERNAL MODULE: ./src/text/text.ts
var text_text = __webpack_require__(8544);
;// CONCATENATED MODULE: ./src/run/prepare.ts
// Before the first request: every function folder zipped and its size checked, so that a function
// whose code can never be uploaded is never created without it, and a dry run predicts what the
// real run would meet. A folder that cannot be zipped fails its function only.





/** Folders zipped at once: the zip spreads its work over the cores itself. */
const ZIPS_AT_ONCE = 4;
async function prepareCode(env, names, code) {
    // Loaded only when code is deployed: the zip library costs every other run its start-up.
    const { CodeFolderError, zipFunction } = await Promise.all(/* import() */[__webpack_require__.e(36), __webpack_require__.e(741)]).then(__webpack_require__.bind(__webpack_require__, 9741));
    const limiter = new Limiter(ZIPS_AT_ONCE);
    const prepare = async (name) => {
        const folder = (0,external_node_path_.join)(code.dir, name);
        const options = {
            installDependencies: code.installDependencies,
            root: code.root,
            maxZipBytes: (0,code_limits/* maxZipBytes */.hN)(env, name),
        };
        try {
            // It stops as soon as the zip would not fit in an upload body.
            const zip = await zipFunction(folder, options);
            const engines = enginesOf(folder);
            return {
                zip: zip.zip,
                sha256: zip.sha256,
                installDependencies: code.installDependencies,
                ...(engines ? { engines } : {}),
                ...(zip.warnings.length > 0 ? { warnings: zip.warnings } : {}),
            };
        }
        catch (error) {
            const tooLarge = error instanceof CodeFolderError && error.tooLarge;
            return {
                failure: (0,text_text/* messageOf */.bD)(error),
                ...(tooLarge ? { hint: code_limits/* TOO_LARGE_HINT */.J1 } : {}),
            };
        }
    };
    const prepared = await Promise.all(names.map((name) => limiter.run(() => prepare(name))));
    return new Map(names.map((name, i) => [name, prepared[i]]));
}
/** The zips' warnings, each once: folders in one work tree share theirs. */
function zipWarnings(prepared) {
    return [...new Set([...prepared.values()].flatMap((p) => ('warnings' in p && p.warnings) || []))];
}
/** `engines.node` of a folder's package.json, when it says one. */
function enginesOf(folder) {
    try {
        const { engines } = JSON.parse((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(folder, 'package.json'), 'utf8'));
        return typeof engines?.node === 'string' ? engines.node : undefined;
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: ./src/run/runtimes.ts
var runtimes = __webpack_require__(3224);
;// CONCATENATED MODULE: ./src/run/warnings.ts



/**
 * The largest zip Tencent's own client sends inline (@cloudbase/manager-node's `packer.js`,
 * `API_MAX_SIZE`); above it, that client uploads the code to object storage instead, which this
 * action does not.
 */
const INLINE_CODE_BYTES = 1.5 * 1024 * 1024;
/** One warning naming every function whose zip is larger than Tencent's own client sends inline. */
function largeCode(prepared) {
    const large = [...prepared]
        .filter(([, code]) => 'zip' in code && code.zip.length > INLINE_CODE_BYTES)
        .map(([name, code]) => `${name} (${(0,text_text/* size */.Ej)(code.zip.length)})`);
    if (large.length === 0)
        return [];
    return [
        `Code over ${(0,text_text/* size */.Ej)(INLINE_CODE_BYTES)} zipped: ${large.join(', ')}. Tencent's own client sends code this large through object storage; this action sends it inline, up to the ${(0,text_text/* size */.Ej)(code_limits/* MAX_UPLOAD_BYTES */.hR)} of one request (base64 included). If an upload is refused or times out, leave out what the cloud does not need (node_modules/ with \`install-dependencies: true\`, files through \`.wechatignore\`).`,
    ];
}
/** What each kind of runtime problem is said as, before the functions it concerns. */
const RUNTIME_WORDS = {
    older: 'Runtimes older than the function asks for',
    'end-of-life': 'Runtimes past their end of life',
    beta: "Runtimes in public beta (CloudBase's CLI marks them 公测中)",
};
/** What to do about a runtime, naming one whose Node.js line is still supported today. */
function runtimeFix(today) {
    const supported = (0,runtimes/* supportedRuntime */.Lm)(today);
    const example = supported
        ? ` (\`${supported.runtime}\` is the oldest whose Node.js line is still supported${supported.beta ? ", in CloudBase's public beta" : ''})`
        : '';
    return `A runtime cannot be changed after creation: create the function anew with the input \`runtime\`${example}: delete it in the cloud development console, then run with \`api: tencentcloud\`, or deploy under a new name.`;
}
/**
 * One warning per kind of runtime problem, each once per run, naming every function it
 * concerns: past its end of life, in beta, or older than the function asks.
 */
function runtimeWarnings(results, prepared, today) {
    const byKind = new Map();
    for (const r of results) {
        const code = prepared.get(r.functionName);
        const engines = code && 'engines' in code ? code.engines : undefined;
        const problem = r.runtime ? (0,runtimes/* runtimeProblem */.uN)(r.runtime, engines, today) : undefined;
        if (!problem)
            continue;
        byKind.set(problem.kind, [
            ...(byKind.get(problem.kind) ?? []),
            `${r.functionName} (${problem.text})`,
        ]);
    }
    return [...byKind].map(([kind, functions]) => `${RUNTIME_WORDS[kind]}: ${functions.join(', ')}. ${runtimeFix(today)}`);
}
/** One warning per function whose config.json asks for what this run could not deploy. */
function leftBehind(plan, cloud) {
    const folders = plan.code?.folders;
    return plan.functionNames.flatMap((name) => {
        const folder = folders?.get(name);
        const warnings = [];
        if ((folder?.triggers.length ?? 0) > 0 && !cloud.setsTriggers) {
            warnings.push(`${name}: the timer triggers of its config.json were not deployed: WeChat documents no format for them in this API. Set them in WeChat DevTools or the console.`);
        }
        // An empty list asks for nothing a new function does not have already.
        if ((folder?.openapi?.length ?? 0) > 0 && !cloud.setsPermissions) {
            warnings.push(`${name}: the cloud-call permissions of its config.json were not deployed: Tencent Cloud's API has no call for them. Deploy with \`api: wechat\`, or set them in WeChat DevTools.`);
        }
        return warnings;
    });
}

;// CONCATENATED MODULE: ./src/run/deploy.ts
// The run, for every function of the step: prepare → list → judge → create → upload → configure
// → wait → invoke. What the cloud can be asked is asked: a function exists when the list shows
// it, can run when it is `Active`, and holds the code sent when the list shows the update took.
// Each function goes through the steps on its own; `parallel` bounds the requests in flight,
// whatever step each has reached, and one list at a time serves every wait. Each step gives back
// what it found, and one place folds that into the function's result.













/** Before an upload a new function must be settled: this long when `wait-timeout-seconds` is 0. */
const UPLOAD_WAIT_MS = 60_000;
/**
 * The errcode of a function the first list decided on: WeChat's listfunctions answered errcode 0;
 * Tencent Cloud's ListFunctions is no WeChat answer, so there is none.
 */
const LISTED_ERRCODE = { wechat: 0, tencentcloud: null };
/** A list that failed for a reason that lets the run go on without it. */
function fallsBack(outcome) {
    return outcome.retry || (outcome.errcode !== null && !!(0,errcodes/* errcodeInfo */.$T)(outcome.errcode).listFallback);
}
async function deploy(plan, cloud, hooks = {}) {
    const clock = { sleep: hooks.sleep ?? net_retry/* sleep */.yy, now: hooks.now ?? Date.now };
    const started = clock.now();
    const prepared = plan.code
        ? await prepareCode(plan.env, plan.functionNames, plan.code)
        : new Map();
    const stop = (outcome, from) => ({
        api: cloud.api,
        results: plan.functionNames.map((name) => ({
            ...blank(name, clock.now() - started),
            status: 'failed',
            errcode: outcome.errcode,
            errmsg: outcome.errmsg,
            ...(outcome.hint ? { hint: outcome.hint } : {}),
            note: 'not tried: nothing was sent for it',
        })),
        listed: 0,
        stopped: { outcome, ...(from ? { from } : {}) },
        warnings: [],
    });
    const refused = await cloud.connect();
    if (refused)
        return stop(refused.outcome, refused.from);
    const before = await cloud.list();
    if (!before.ok && (plan.dryRun || before.outcome.refusesAll || !fallsBack(before.outcome))) {
        return stop(before.outcome);
    }
    const listed = plan.functionNames.filter((name) => before.ok && before.functions.has(name));
    hooks.onStart?.({ api: cloud.api, env: plan.env, total: plan.functionNames.length, listed });
    const run = new Run(plan, cloud, hooks, clock, started, before);
    const results = await Promise.all(plan.functionNames.map((name) => run.deployFunction(name, prepared.get(name))));
    if (plan.invoke !== undefined && !plan.dryRun)
        await run.invokeAll(results, plan.invoke);
    if (plan.waitTimeoutMs === 0)
        await run.warnUnsettled(results);
    if (!before.ok)
        unchecked(results, before.outcome);
    // A function's status follows the step's rule: `failed` exactly when it fails the step.
    for (const r of results)
        if ((0,fails/* fails */.c)(r, plan.ifExists))
            r.status = 'failed';
    const today = hooks.today ?? new Date().toISOString().slice(0, 10);
    return {
        api: cloud.api,
        results,
        listed: listed.length,
        ...(before.ok ? {} : { listFailure: before.outcome }),
        warnings: [
            ...zipWarnings(prepared),
            ...run.warnings,
            ...largeCode(prepared),
            ...leftBehind(plan, cloud),
            ...(0,triggers/* leftAloneWarning */.zh)(results),
            ...runtimeWarnings(results, prepared, today),
        ],
    };
}
/**
 * Without a list no state was seen, so nothing is known to be runnable: what went through fails,
 * saying why, with the list's answer, so that a green step always means runnable.
 */
function unchecked(results, listFailure) {
    for (const r of results) {
        if ((0,fails/* partFailed */.v)(r))
            continue;
        Object.assign(r, {
            status: 'failed',
            errcode: listFailure.errcode,
            errmsg: `${r.status === 'created' ? 'created' : 'sent'}, but not known to be runnable: the list of functions was refused, so its state was not checked: ${listFailure.errmsg}`,
            hint: listFailure.hint,
        });
    }
}
function blank(functionName, durationMs) {
    return {
        functionName,
        status: 'failed',
        errcode: null,
        errmsg: '',
        attempts: 0,
        state: null,
        runtime: null,
        code: null,
        codeSha256: null,
        codeBytes: null,
        config: null,
        changes: [],
        triggers: null,
        invoke: null,
        durationMs,
    };
}
/** The errcode and errmsg of an answer, as a result carries them. */
function answer({ errcode, errmsg, hint }) {
    return { errcode, errmsg, hint };
}
/** The one place a step's outcome reaches the result: true when the function's run goes on. */
function fold(r, step) {
    Object.assign(r, step.set);
    return !step.end;
}
/** A step's outcome, after what the same step set before it. */
function after(set, step) {
    return { ...step, set: { ...set, ...step.set } };
}
/** The function's run ends, failed, saying why. */
function failed(errmsg, hint) {
    return { set: { status: 'failed', errcode: null, errmsg, hint }, end: true };
}
/** A function that did not become runnable: its code when it was sent, else itself. */
function failedState(afterUpload, why, hint) {
    if (!afterUpload)
        return failed(why, hint);
    return { set: { code: 'failed', errcode: null, errmsg: `code upload: ${why}`, hint }, end: true };
}
/** What a list shows of a function. */
function seen(fn) {
    return { state: fn.status, ...(fn.runtime ? { runtime: fn.runtime } : {}) };
}
/** Code that could not be prepared: a listed function exists, a missing one is not created. */
function unprepared({ failure, hint }, listed) {
    return {
        set: {
            status: listed ? 'exists' : 'failed',
            code: 'failed',
            errcode: null,
            errmsg: `code: ${failure}`,
            hint,
            note: listed ? undefined : 'not created: its code could not be prepared',
        },
        end: true,
    };
}
const WOULD_CREATE = { set: { status: 'would-create', errcode: null, errmsg: '' } };
class Run {
    plan;
    cloud;
    hooks;
    clock;
    started;
    before;
    warnings = [];
    #limiter;
    #poller;
    constructor(plan, cloud, hooks, clock, started, before) {
        this.plan = plan;
        this.cloud = cloud;
        this.hooks = hooks;
        this.clock = clock;
        this.started = started;
        this.before = before;
        this.#limiter = new Limiter(plan.parallel);
        this.#poller = new Poller(() => cloud.list(), clock, plan.retry.baseDelayMs, hooks.onWait, this.#limiter);
    }
    /** One function, from the judgement of its listed state to its configuration. */
    async deployFunction(name, code) {
        const r = blank(name, 0);
        try {
            await this.#deploy(r, code);
        }
        finally {
            r.durationMs = this.clock.now() - this.started;
        }
        return r;
    }
    /** The steps, each folded into the result in turn, until one ends the function's run. */
    async #deploy(r, code) {
        const name = r.functionName;
        const listed = this.before.ok ? this.before.functions.get(name) : undefined;
        if (listed)
            fold(r, { set: seen(listed) });
        if (code && 'failure' in code) {
            fold(r, unprepared(code, listed !== undefined));
            return;
        }
        if (code)
            fold(r, { set: { codeSha256: code.sha256, codeBytes: code.zip.length } });
        // Judge what the list shows, or create what it does not.
        const found = listed
            ? await this.#judge(listed, code !== undefined)
            : this.plan.dryRun
                ? WOULD_CREATE
                : await this.#create(name, code);
        if (!fold(r, found))
            return;
        const created = r.status === 'created';
        // Upload the code: the function must be settled to take it.
        const uploaded = await this.#upload(name, code, found.fn, created);
        if (!fold(r, uploaded))
            return;
        // Wait until what this run created or deployed can run.
        const runnable = await this.#untilRunnable(name, uploaded, created, r.code === 'deployed');
        if (!fold(r, runnable))
            return;
        // Configure, then wait again if that set the function updating.
        if (!fold(r, await this.#configure(name, created, r.status !== 'would-create')))
            return;
        fold(r, await this.#triggers(name, r.status === 'would-create'));
    }
    /**
     * A listed function, judged by its state; waited for while settling. It fails when `if-exists`
     * is `fail`, or in a state this run cannot repair.
     */
    async #judge(listed, withCode) {
        const { plan, cloud } = this;
        if (plan.ifExists === 'fail') {
            const errmsg = `already exists in ${plan.env}, and \`if-exists\` is \`fail\``;
            return { set: { status: 'failed', errcode: null, errmsg }, end: true };
        }
        const set = {
            status: 'exists',
            errcode: LISTED_ERRCODE[cloud.api],
            errmsg: 'ok',
        };
        let fn = listed;
        if (isSettling(listed.status)) {
            // Not waited for: the warning at the end names it.
            if (plan.waitTimeoutMs === 0 && !withCode)
                return { set, fn };
            const settled = (f) => !isSettling(f?.status);
            const waited = await this.#wait(listed.name, settled, -1, '', withCode);
            if (waited.end)
                return after(set, waited);
            Object.assign(set, waited.set);
            fn = waited.fn;
            if (!fn)
                return after(set, failed('no longer listed: it was deleted while this run waited'));
        }
        const verdict = judge(fn.status, fn.reason);
        if (verdict.kind === 'ready' || (verdict.kind === 'repairable' && withCode))
            return { set, fn };
        return after(set, failed(stateOf(fn), 'hint' in verdict ? verdict.hint : undefined));
    }
    /** Creates a missing function, and settles an unclear answer by listing. */
    async #create(name, code) {
        const { plan, cloud } = this;
        const settings = cloud.createCarries && plan.settings ? (0,function_config/* newSettings */.a2)(plan.settings).settings : undefined;
        const attempts = await this.#limiter.run(() => cloud.create(name, {
            ...(code ? { code } : {}),
            ...(settings ? { settings } : {}),
        }));
        const set = {
            ...answer(attempts.outcome),
            status: attempts.ok ? 'created' : 'failed',
            attempts: attempts.attempts,
        };
        // Only a function created, or found to exist, goes on.
        const found = (decided = {}, fn) => {
            const all = { ...set, ...decided };
            return { set: all, fn, end: all.status !== 'created' && all.status !== 'exists' };
        };
        if (attempts.ok || !inDoubt(attempts))
            return found();
        if (!this.before.ok)
            return found(decidedByWording(attempts));
        const listing = await this.#poller.fresh(this.#poller.mark());
        const fn = listing.ok ? listing.functions.get(name) : undefined;
        const decided = decidedByList(attempts, fn);
        if (!decided || !fn)
            return found();
        return found({ ...seen(fn), ...decided, hint: undefined }, fn);
    }
    /** Sends the code, once the function is settled to take it; a create may have carried it. */
    async #upload(name, code, fn, created) {
        if (!code || this.plan.dryRun)
            return { set: {}, fn };
        if (created && this.cloud.createCarries)
            return { set: { code: 'deployed' }, fn };
        const settled = await this.#settledForUpload(name, fn, created);
        if (settled.end)
            return settled;
        // A list requested from here on may show the upload: none can show a change it did not.
        const since = this.#poller.mark();
        const sent = await uploadCode(this.#uploadContext(), name, code, settled.fn);
        if (!sent.ok) {
            const { errcode, errmsg, hint } = sent.outcome;
            const set = { code: 'failed', errcode, errmsg: `code upload: ${errmsg}`, hint };
            return after(settled.set, {
                set: { ...set, ...(sent.state ? { state: sent.state } : {}) },
                end: true,
            });
        }
        return { set: { ...settled.set, code: 'deployed' }, fn: settled.fn, since };
    }
    /**
     * Waits, before an upload, for a function this run created (until it is listed, even with
     * `wait-timeout-seconds: 0`: it cannot take code before) or one still settling. Gives it
     * as listed; a state that cannot take code fails the code.
     */
    async #settledForUpload(name, fn, created) {
        if (!this.before.ok || (!created && !isSettling(fn?.status)))
            return { set: {}, fn };
        const done = (f) => f !== undefined && !isSettling(f.status);
        const since = created ? this.#poller.mark() : -1;
        const waited = await this.#wait(name, done, since, 'before its upload', true);
        if (waited.end || !waited.fn)
            return waited;
        const verdict = judge(waited.fn.status, waited.fn.reason);
        if (verdict.kind !== 'broken')
            return waited;
        const errmsg = `code upload: the function is ${stateOf(waited.fn)}`;
        const set = { code: 'failed', errcode: null, errmsg, hint: verdict.hint };
        return after(waited.set, {
            set: { ...set, ...(created ? { status: 'failed' } : {}) },
            end: true,
        });
    }
    /**
     * Waits until a function this run created, or sent code to, can run: `Active`, and, after an
     * upload, changed since the upload's mark (see changedSince).
     */
    async #untilRunnable(name, uploaded, created, codeTaken) {
        const afterUpload = uploaded.since !== undefined;
        if (this.plan.dryRun || !(created || afterUpload))
            return { set: {} };
        const since = uploaded.since ?? this.#poller.mark();
        if (this.plan.waitTimeoutMs === 0 || !this.before.ok)
            return { set: {} };
        const base = uploaded.fn;
        let changed = !afterUpload || base === undefined;
        const done = (f) => {
            if (base && changedSince(f, base))
                changed = true;
            return f !== undefined && changed && !isSettling(f.status);
        };
        const end = await this.#poller.until(name, done, { since, limitMs: this.plan.waitTimeoutMs });
        if (!end.ok) {
            // The code was taken: a list that fails since (keys that expired, say) does not undo that.
            return failed(`could not list the functions to see it Active${codeTaken ? ', though its code was taken' : ''}: ${end.outcome.errmsg}`, end.outcome.hint);
        }
        const set = end.fn ? seen(end.fn) : {};
        if (!end.done) {
            if (end.fn?.status === 'Active' && !changed) {
                const note = `the host took the code, but after ${this.#seconds()} s the list still shows the function as before the upload (state and mod_time unchanged)`;
                this.warnings.push(`${name}: ${note}.`);
                return { set: { ...set, note } };
            }
            const still = end.fn ? end.fn.status : 'not listed';
            const why = `still ${still} after waiting ${this.#seconds()} s for Active (wait-timeout-seconds)`;
            return after(set, failedState(afterUpload, why));
        }
        const fn = end.fn;
        const verdict = judge(fn.status, fn.reason);
        if (verdict.kind === 'ready')
            return { set };
        const hint = 'hint' in verdict ? verdict.hint : undefined;
        return after(set, failedState(afterUpload, stateOf(fn), hint));
    }
    /** Configures the function; when that set it updating, waits until it is settled again. */
    async #configure(name, created, exists) {
        const { plan, cloud } = this;
        const ask = this.#configAsk(name);
        // Permissions a route cannot set are not asked of it: a warning says so at the end.
        if (!((ask.openapi !== undefined && cloud.setsPermissions) || ask.settings))
            return { set: {} };
        const mark = this.#poller.mark();
        const carried = created && cloud.createCarries;
        const configured = await configure({ cloud, limiter: this.#limiter, dryRun: plan.dryRun }, name, carried ? { openapi: ask.openapi } : ask, exists);
        // Created with its settings: what they changed is what they are.
        const settled = carried && ask.settings ? (0,function_config/* newSettings */.a2)(ask.settings).change : undefined;
        const set = {
            changes: [...configured.changes, ...(settled ? describeChange(settled) : [])],
            config: carried && ask.settings ? 'updated' : configured.status,
        };
        if (configured.failure) {
            return { set: { ...set, ...answer(configured.failure), config: 'failed' }, end: true };
        }
        if (configured.status === 'updated' && plan.waitTimeoutMs > 0 && this.before.ok) {
            const settling = (f) => !isSettling(f?.status);
            return after(set, await this.#wait(name, settling, mark, 'after the configuration write'));
        }
        return { set };
    }
    /**
     * The timer triggers of config.json, once the function runs: each created, updated or left as
     * it is; those the folder does not name are left alone. A failure fails the configuration.
     */
    async #triggers(name, wouldCreate) {
        const { cloud, plan } = this;
        const wanted = plan.code?.folders.get(name)?.triggers ?? [];
        if (wanted.length === 0 || !cloud.readTriggers || !cloud.writeTrigger)
            return { set: {} };
        if (wouldCreate) {
            return { set: { triggers: wanted.map((t) => ({ name: t.name, action: 'would-create' })) } };
        }
        const readTriggers = cloud.readTriggers.bind(cloud);
        const writeTrigger = cloud.writeTrigger.bind(cloud);
        const fail = (what, outcome) => ({
            set: { ...answer(outcome), config: 'failed', errmsg: `triggers: ${what}: ${outcome.errmsg}` },
            end: true,
        });
        const read = await this.#limiter.run(() => readTriggers(name));
        if (!read.ok) {
            return fail('reading those held (none was written, so that none is made twice)', read.outcome);
        }
        const done = [];
        for (const { trigger, how } of (0,triggers/* planTriggers */.hR)(wanted, read.value)) {
            if (how === 'unchanged' || plan.dryRun) {
                done.push({ name: trigger.name, action: how === 'unchanged' ? how : `would-${how}` });
                continue;
            }
            const refused = await this.#limiter.run(() => writeTrigger(name, trigger, how));
            if (refused) {
                done.push({ name: trigger.name, action: 'failed' });
                const what = `${how === 'create' ? 'creating' : 'updating'} ${trigger.name}`;
                return after({ triggers: done }, fail(what, refused));
            }
            done.push({ name: trigger.name, action: how === 'create' ? 'created' : 'updated' });
        }
        const named = new Set(wanted.map((t) => t.name));
        for (const held of read.value) {
            if (!named.has(held.name))
                done.push({ name: held.name, action: 'left-alone' });
        }
        return { set: { triggers: done } };
    }
    /**
     * A wait that ends the function's run when it fails or runs out; else the function as the
     * list shows it, if it does.
     */
    async #wait(name, done, since, when, forUpload = false) {
        const limitMs = this.plan.waitTimeoutMs || (forUpload ? UPLOAD_WAIT_MS : 0);
        const end = await this.#poller.until(name, done, { since: Math.max(since, 0), limitMs });
        if (!end.ok) {
            return failed(`could not list the functions to wait ${when || 'for it'}: ${end.outcome.errmsg}`, end.outcome.hint);
        }
        const set = end.fn ? seen(end.fn) : {};
        if (!end.done) {
            const still = end.fn ? end.fn.status : 'not listed';
            return after(set, failed(`still ${still} after waiting ${limitMs / 1000} s${when ? ` ${when}` : ''} (wait-timeout-seconds)`));
        }
        return { set, fn: end.fn };
    }
    #seconds() {
        return this.plan.waitTimeoutMs / 1000;
    }
    #configAsk(name) {
        const openapi = this.plan.code?.folders.get(name)?.openapi;
        return {
            ...(openapi !== undefined ? { openapi } : {}),
            ...(this.plan.settings ? { settings: this.plan.settings } : {}),
        };
    }
    #uploadContext() {
        return {
            cloud: this.cloud,
            poller: this.#poller,
            limiter: this.#limiter,
            retry: this.plan.retry,
            sleep: this.clock.sleep,
            waitMs: this.plan.waitTimeoutMs || UPLOAD_WAIT_MS,
            onAttempt: this.hooks.onAttempt ?? (() => { }),
        };
    }
    /** The smoke test: every function that did not fail, invoked once all are done. */
    async invokeAll(results, event) {
        await Promise.all(results
            .filter((r) => !(0,fails/* fails */.c)(r, this.plan.ifExists))
            .map(async (r) => {
            fold(r, await this.#invoke(r.functionName, event));
            r.durationMs = this.clock.now() - this.started;
        }));
    }
    /** Invokes one function with the event: its answer, or why it failed. */
    async #invoke(name, event) {
        const invoked = await this.#limiter.run(() => this.cloud.invoke(name, event));
        if (invoked.ok)
            return { set: { invoke: 'ok', response: invoked.response } };
        const { outcome } = invoked;
        return { set: { ...answer(outcome), invoke: 'failed', errmsg: `invoke: ${outcome.errmsg}` } };
    }
    /**
     * Without waits, one warning names every function not `Active`; after a run that sent
     * something, one list first tells the states as they are now.
     */
    async warnUnsettled(results) {
        if (!this.plan.dryRun && this.before.ok) {
            const listing = await this.#poller.fresh(this.#poller.mark());
            for (const r of results) {
                const fn = listing.ok ? listing.functions.get(r.functionName) : undefined;
                if (fn)
                    fold(r, { set: seen(fn) });
            }
        }
        const unsettled = results
            .filter((r) => !(0,fails/* fails */.c)(r, this.plan.ifExists) && r.status !== 'would-create' && r.state !== 'Active')
            .map((r) => `${r.functionName} (${r.state ?? 'not listed'})`);
        if (unsettled.length > 0) {
            this.warnings.push(`Not Active, and not waited for (wait-timeout-seconds is 0): ${unsettled.join(', ')}.`);
        }
    }
}


/***/ })

};

//# sourceMappingURL=382.index.js.map