// Bundled in place of undici, which @actions/http-client and @actions/github import only for
// fetch-based requests (getAgentDispatcher, Octokit's fetch). This action sends every request
// through HttpClient's node:http path, so undici (~450 KB) would be loaded on every run for
// nothing; tsconfig `paths` points the bundler here instead (see BENCHMARKS.md).
// @actions/github builds a ProxyAgent at import when a proxy is set, so that must construct;
// sending anything through these throws.
const notBundled = (what: string) => new Error(`${what} is not bundled with this action`);

export class ProxyAgent {
  dispatch(): never {
    throw notBundled('undici.ProxyAgent');
  }
}

export function fetch(): never {
  throw notBundled('undici.fetch');
}
