// What the stand-in holds and answers with, shared by its WeChat side and its Tencent Cloud side:
// a function as held, a status reason, a Tencent Cloud error.

export interface TencentError {
  code: string;
  message: string;
}

/** A status reason, as listfunctions shows it. */
export interface Reason {
  errcode: string;
  errmsg: string;
}

/**
 * A function as the stand-in holds it; its status moves on by itself once `settles.at` passes
 * and, after an update, once a list has shown it updating (a real update takes longer than a
 * round trip).
 */
export interface HeldFunction {
  status: string;
  /** The status it takes at `at`, with the reason of a failure. */
  settles?: { at: number; status: string; reason?: Reason; listed?: boolean };
  reason?: Reason;
  runtime: string;
  addTime: string;
  modTime: string;
  /** The last code uploaded, as the zip's bytes, with InstallDependency, EnvId and Namespace as sent. */
  code?: { zip: Buffer; installDependency?: string; envId?: string; namespace?: string };
  /** Configurations by type (getfuncconfig), as the JSON text last written. */
  configs: Map<number, string>;
}
