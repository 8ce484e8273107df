// Which cloud API the run goes through, built from the inputs: WeChat's, with a token, or
// Tencent Cloud's, with keys (given, exchanged for the WeChat token, or for GitHub's OIDC token).

import type { Cloud, Remotes } from './clouds/cloud.js';
import { oidcExchange, STS_KEYS } from './clouds/tencentcloud/oidc-keys.js';
import { TencentCloud } from './clouds/tencentcloud/tencent-cloud.js';
import { ScfClient } from './clouds/wechat/scf-client.js';
import { WeChatClient } from './clouds/wechat/wechat-client.js';
import { WeChatCloud } from './clouds/wechat/wechat-cloud.js';
import type { Inputs } from './inputs/inputs.js';

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
  if (!wechat) throw new Error('the WeChat route needs a WeChat token');
  const scf = new ScfClient({ transport, secrets, apiBaseUrl: inputs.apiBaseUrl });
  return new WeChatCloud(wechat, scf, inputs.env);
}
