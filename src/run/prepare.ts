// Before the first request: every function folder zipped and its size checked, so that a function
// whose code can never be uploaded is never created without it, and a dry run predicts what the
// real run would meet. A folder that cannot be zipped fails its function only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { maxZipBytes, TOO_LARGE_HINT } from '../clouds/code-limits.js';
import { messageOf } from '../text/text.js';
import { Limiter } from './limiter.js';
import type { Prepared } from './result.js';

interface CodePlan {
  dir: string;
  installDependencies: boolean;
  root: string;
}

/** Folders zipped at once: the zip spreads its work over the cores itself. */
const ZIPS_AT_ONCE = 4;

export async function prepareCode(
  env: string,
  names: readonly string[],
  code: CodePlan,
): Promise<Map<string, Prepared>> {
  // Loaded only when code is deployed: the zip library costs every other run its start-up.
  const { CodeFolderError, zipFunction } = await import('../zip/code-zip.js');
  const limiter = new Limiter(ZIPS_AT_ONCE);
  const prepare = async (name: string): Promise<Prepared> => {
    const folder = join(code.dir, name);
    const options = {
      installDependencies: code.installDependencies,
      root: code.root,
      maxZipBytes: maxZipBytes(env, name),
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
    } catch (error) {
      const tooLarge = error instanceof CodeFolderError && error.tooLarge;
      return {
        failure: messageOf(error),
        ...(tooLarge ? { hint: TOO_LARGE_HINT } : {}),
      };
    }
  };
  const prepared = await Promise.all(names.map((name) => limiter.run(() => prepare(name))));
  return new Map(names.map((name, i) => [name, prepared[i]]));
}

/** The zips' warnings, each once: folders in one work tree share theirs. */
export function zipWarnings(prepared: ReadonlyMap<string, Prepared>): string[] {
  return [...new Set([...prepared.values()].flatMap((p) => ('warnings' in p && p.warnings) || []))];
}

/** `engines.node` of a folder's package.json, when it says one. */
function enginesOf(folder: string): string | undefined {
  try {
    const { engines } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    return typeof engines?.node === 'string' ? engines.node : undefined;
  } catch {
    return undefined;
  }
}
