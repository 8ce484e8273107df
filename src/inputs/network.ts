// The network and retry numbers, and the URLs requests go to: where credentials may travel.

import { LOOPBACK, TENCENT_HOST } from '../net/hosts.js';
import { DEFAULTS, type Get, InputError, integer, quote } from './read.js';

export interface NetworkAsk {
  parallel: number;
  apiBaseUrl: string;
  maxAttempts: number;
  retryDelayMs: number;
  requestTimeoutMs: number;
}

export function parseNetwork(get: Get): NetworkAsk {
  return {
    parallel: integer(get, 'parallel', 1, 10),
    apiBaseUrl: parseBaseUrl(get('api-base-url'), 'api-base-url'),
    maxAttempts: integer(get, 'max-attempts', 1, 20),
    retryDelayMs: integer(get, 'retry-delay-ms', 0, 30_000),
    requestTimeoutMs: integer(get, 'request-timeout-ms', 100, 300_000),
  };
}

export function parseBaseUrl(text: string, name: 'api-base-url' | 'tencentcloud-endpoint'): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(
      name,
      `must be an http(s) URL such as ${DEFAULTS[name]}; got ${quote(withoutUserinfo(text))}`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(name, `must be an http(s) URL; got the scheme ${quote(url.protocol)}`);
  }
  const loopback = LOOPBACK.test(url.hostname);
  if (url.protocol === 'http:' && !loopback) {
    throw new InputError(
      name,
      `uses plain http to ${quote(url.hostname)}: credentials would travel in clear text. Use https (plain http is allowed only to loopback)`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(name, 'must not carry credentials, a query or a fragment');
  }
  // The keys sign every request, and a signature carries the code and the variables with it.
  if (name === 'tencentcloud-endpoint' && !loopback && !TENCENT_HOST.test(url.hostname)) {
    throw new InputError(
      name,
      `names the host ${quote(url.hostname)}: Tencent Cloud keys go only to Tencent Cloud's API, a host under tencentcloudapi.com (or a loopback address, for a local stand-in)`,
    );
  }
  if (name === 'tencentcloud-endpoint' && !loopback && url.port !== '') {
    throw new InputError(
      name,
      `names the port ${url.port}: Tencent Cloud's API takes https on 443`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * A URL that did not parse, without what may be a user and password: everything between the
 * scheme and the last `@`.
 */
function withoutUserinfo(text: string): string {
  const at = text.lastIndexOf('@');
  if (at === -1) return text;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:(\/\/)?/.exec(text)?.[0] ?? '';
  return `${scheme}…${text.slice(at)}`;
}
