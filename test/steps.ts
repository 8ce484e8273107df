// The `with:` block of a step against the stand-in, with fast retries: the two kinds of
// credentials, and whatever a test adds.
import type { StandIn } from '../stand-in/server.js';

export const ENV = 'test-777bb9';
export const FAST = { 'retry-delay-ms': '1', 'request-timeout-ms': '300' };

export function withToken(standIn: StandIn, inputs: Record<string, string> = {}) {
  return {
    env: ENV,
    'function-name': 'login',
    'access-token': standIn.accessToken,
    'api-base-url': standIn.url,
    ...FAST,
    ...inputs,
  };
}

export function withApp(standIn: StandIn, inputs: Record<string, string> = {}) {
  return {
    env: ENV,
    'function-name': 'login',
    'app-id': standIn.appId,
    'app-secret': standIn.appSecret,
    'api-base-url': standIn.url,
    ...FAST,
    ...inputs,
  };
}
