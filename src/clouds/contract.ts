// Every call each route makes, and the source its fields rest on: an official SDK model, an
// official client's code, or WeChat's page. The clients take their service, version and action
// from here; test/clouds/contract.test.ts holds the fields to the models, and docs/contract.md is
// written from this table.

export type Service = 'tcb' | 'scf' | 'sts';

export interface TencentCall {
  service: Service;
  version: string;
  action: string;
  /**
   * Where the fields come from: an SDK model file (a path under
   * tencentcloud-sdk-nodejs/tencentcloud/services/), or an official client's file (a path under
   * node_modules).
   */
  source: { model: string } | { client: string };
  /** Top-level request fields the action may send. */
  sends: readonly string[];
  /** Answer fields the action reads, as paths: 'Functions[].Status', 'Timeout'. */
  reads: readonly string[];
  /** Fields read or sent that the model lacks, each with the written reason. */
  unmodelled?: Readonly<Record<string, string>>;
}

export interface WeChatCall {
  /** The path under WeChat's API origin, or the host the call goes to. */
  path: string;
  source: { doc: string } | { client: string };
  /** The Tencent Cloud call it is, when WeChat signs it for the action. */
  signed?: TencentCall;
}

const TCB = { service: 'tcb', version: '2018-06-08' } as const;
const TCB_MODEL = { model: 'tcb/v20180608/tcb_models.d.ts' } as const;
const SCF = { service: 'scf', version: '2018-04-16' } as const;
const SCF_MODEL = { model: 'scf/v20180416/scf_models.d.ts' } as const;

const STS = { service: 'sts', version: '2018-08-13' } as const;

/** What CreateFunction and UpdateFunctionCode both send: the function, its handler and code. */
const CODE_FIELDS = [
  'EnvId',
  'FunctionName',
  'Handler',
  'InstallDependency',
  'Code',
  'CodeSource',
] as const;

/** The Tencent Cloud route (`api: tencentcloud`): CloudBase's API, and SCF for the variables. */
export const TENCENT_CALLS = {
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
} as const satisfies Record<string, TencentCall>;

const OPEN_API = 'https://developers.weixin.qq.com/doc/oplatform/openApi/cloudbase-common';

/** WeChat's route (`api: wechat`), and the WeChat calls of the Tencent Cloud route. */
export const WECHAT_CALLS = {
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
        CodeSecret:
          "WeChat's page for the upload lists it, and miniprogram-ci sends it: the key of the mini program's code, which WeChat's signature is made for",
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
} as const satisfies Record<string, WeChatCall>;
