// The code as a cloud takes it, whichever route: the body that carries a function's zip, and
// the 10 MiB a signed request may carry, which bounds the zip on both routes.
import { createHash } from 'node:crypto';
import { size } from '../text/text.js';
import { failure, type Outcome } from './cloud.js';

/** What to do about code too large for one signed request. */
export const TOO_LARGE_HINT =
  'An upload may carry 10 MiB, the zip in base64 included (about 7.5 MiB of zip), and the cloud takes 500 MiB unzipped. Leave out what the cloud does not need: node_modules/ with `install-dependencies: true` (the cloud installs from package.json), and other files through the folder’s `.wechatignore`.';

/** The handler every function of this action has: `main` of the folder's index.js. */
export const HANDLER = 'index.main';

/** Tencent Cloud's limit for a signed POST body (10 MiB): the base64 zip must fit in it. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Why a body of `bytes` cannot be sent at all: over the 10 MiB of a signed request. */
export function oversized(bytes: number, hint = TOO_LARGE_HINT): Outcome | undefined {
  if (bytes <= MAX_UPLOAD_BYTES) return undefined;
  return failure(
    `the request body is ${size(bytes)} (${bytes} bytes), over the 10 MiB a signed request may carry`,
    hint,
  );
}

interface CodeUpload {
  codeSecret: string;
  env: string;
  functionName: string;
  zip: Buffer;
  installDependencies: boolean;
}

export interface UploadBody {
  /** The JSON text, sent exactly as hashed. */
  text: string;
  bytes: number;
  /** Lowercase hex SHA-256 of `text`: the `hashed_payload` to sign. */
  sha256: string;
}

/**
 * The body of the upload, in WeChat's documented field order. The environment goes in both
 * `EnvId` (WeChat's page) and `Namespace` (what WeChat's own CI package sends; SCF documents
 * both), with the same value.
 */
export function uploadBody(upload: CodeUpload): UploadBody {
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
    sha256: createHash('sha256').update(text).digest('hex'),
  };
}

/** The bytes of a body around its zip, a code secret of up to 256 characters included. */
function bodyOverhead(env: string, functionName: string): number {
  return Buffer.byteLength(
    uploadBody({
      codeSecret: 'x'.repeat(256),
      env,
      functionName,
      zip: Buffer.alloc(0),
      installDependencies: false,
    }).text,
  );
}

/** The largest zip whose upload body fits in MAX_UPLOAD_BYTES, base64 and all. */
export function maxZipBytes(env: string, functionName: string): number {
  return Math.floor((MAX_UPLOAD_BYTES - bodyOverhead(env, functionName)) / 4) * 3;
}
