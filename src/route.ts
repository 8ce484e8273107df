// Which cloud API the run goes through, built from the inputs: WeChat's, with a token, or
// Tencent Cloud's, with keys.
import type { Cloud } from './cloud.js';
import type { Transport } from './http-transport.js';
import type { Inputs } from './inputs.js';
import type { RetryPolicy } from './retry.js';
import { ScfClient } from './scf-client.js';
import type { Secrets } from './secrets.js';
import { type AttemptEvent, WeChatClient } from './wechat-client.js';
import { WeChatCloud } from './wechat-cloud.js';

export interface Remotes {
  transport: Transport;
  secrets: Secrets;
  retry: RetryPolicy;
  onAttempt: (event: AttemptEvent) => void;
}

export function cloudFor(inputs: Inputs, { transport, secrets, retry, onAttempt }: Remotes): Cloud {
  if (!inputs.wechat) throw new Error('the Tencent Cloud route is not built yet');
  const wechat = new WeChatClient({
    baseUrl: inputs.apiBaseUrl,
    transport,
    credentials: inputs.wechat,
    retry,
    secrets,
    onAttempt,
  });
  const scf = new ScfClient({ transport, secrets, apiBaseUrl: inputs.apiBaseUrl });
  return new WeChatCloud(wechat, scf, inputs.env);
}
