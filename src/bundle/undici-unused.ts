// Bundled in place of undici, which @actions/http-client and @actions/github import only for
// fetch-based helpers (getAgentDispatcher, octokit's fetch). This action sends every request
// through HttpClient's node:http path, so undici's ~450 KB would be loaded on every run for
// nothing; tsconfig `paths` points the bundler here instead (see BENCHMARKS.md).
const unused = (name: string) => () => {
  throw new Error(`undici.${name} is not bundled with this action`);
};

export const ProxyAgent = unused('ProxyAgent');
export const fetch = unused('fetch');
