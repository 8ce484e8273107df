// Which cloud API the run goes through, built from the inputs: WeChat's, with a token, or
// Tencent Cloud's, with keys (given, or exchanged for the WeChat token).

import type { Inputs } from '../inputs/inputs.js';
import type { Cloud, Remotes } from './cloud.js';
import { TencentCloud } from './tencentcloud/tencent-cloud.js';
import { ScfClient } from './wechat/scf-client.js';
import { WeChatClient } from './wechat/wechat-client.js';
import { WeChatCloud } from './wechat/wechat-cloud.js';

export function cloudFor(inputs: Inputs, remotes: Remotes): Cloud {
  const { transport, secrets, retry, onAttempt } = remotes;
  const wechat =
    inputs.wechat &&
    new WeChatClient({
      baseUrl: inputs.apiBaseUrl,
      transport,
      credentials: inputs.wechat,
      retry,
      secrets,
      onAttempt,
    });
  if (inputs.api === 'tencentcloud') {
    return new TencentCloud({
      ...remotes,
      ...inputs.tencentcloud,
      env: inputs.env,
      ...(inputs.keys ? { keys: inputs.keys } : {}),
      ...(wechat ? { wechat } : {}),
    });
  }
  // The inputs give the WeChat route its credentials.
  if (!wechat) throw new Error('the WeChat route needs a WeChat token');
  const scf = new ScfClient({ transport, secrets, apiBaseUrl: inputs.apiBaseUrl });
  return new WeChatCloud(wechat, scf, inputs.env);
}
