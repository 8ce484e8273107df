// A function the list shows is judged by its state, before anything is sent to it and again when
// a wait ends: the states the cloud documents [doc, SCF: "function status"] and those Tencent's
// own clients wait through (@cloudbase/manager-node's `constant.js`, miniprogram-ci's
// `cloud-api`: `UpdatingAndPublishing`), and what each means for a run. A state not in this table
// is never taken for a success.
import type { ListedFunction } from '../clouds/cloud.js';

export type Verdict =
  /** Runnable as it is. */
  | { kind: 'ready' }
  /** On its way somewhere: wait, then judge the state it reaches. */
  | { kind: 'settling' }
  /** Failed, and nothing this run can send repairs it. */
  | { kind: 'broken'; hint: string }
  /** Its last code failed to deploy: a new upload repairs it; without one it fails. */
  | { kind: 'repairable'; hint: string };

/** A hint for a state, where the reason the list gives for it says more. */
interface Cause {
  reason: RegExp;
  hint: string;
}

const DELETE_IN_CONSOLE =
  'This API has no call that deletes a function: delete it in the cloud development console, then run again to create it anew.';

/** Why a state was reached, by the words of its reason: the first that matches gives the hint. */
const CAUSES: Readonly<Record<string, readonly Cause[]>> = {
  UpdateFailed: [
    {
      // The cloud ran `npm install` from package.json, and it failed: the same code fails again.
      reason: /InstallDependency|npm (ERR|error)|\bE404\b/i,
      hint: 'The cloud could not install the dependencies of `package.json`: check that every package and version in it exists on npm (and its lock file), or upload `node_modules/` with `install-dependencies: false`.',
    },
  ],
};

export const STATES: Readonly<Record<string, Verdict>> = {
  Active: { kind: 'ready' },
  Creating: { kind: 'settling' },
  Updating: { kind: 'settling' },
  Publishing: { kind: 'settling' },
  UpdatingAndPublishing: { kind: 'settling' },
  CreateFailed: { kind: 'broken', hint: DELETE_IN_CONSOLE },
  UpdateFailed: {
    kind: 'repairable',
    hint: 'The code in the cloud is not the code last sent: deploy the code again (`code-dir`).',
  },
  PublishFailed: {
    kind: 'broken',
    hint: 'Publishing a version failed: publish it again, or delete it, in the cloud development console.',
  },
  Deleting: {
    kind: 'broken',
    hint: 'The function is being deleted: run again once it is gone, to create it anew.',
  },
  DeleteFailed: { kind: 'broken', hint: DELETE_IN_CONSOLE },
};

/** What a state means, its hint told by the reason where that says more; an unknown one is broken. */
export function judge(state: string, reason = ''): Verdict {
  if (Object.hasOwn(STATES, state)) {
    const verdict = STATES[state];
    const cause = CAUSES[state]?.find((c) => c.reason.test(reason));
    return cause && 'hint' in verdict ? { ...verdict, hint: cause.hint } : verdict;
  }
  return {
    kind: 'broken',
    hint: `The state ${JSON.stringify(state)} is not one the action knows (${Object.keys(STATES).join(', ')}): check the function in the cloud development console.`,
  };
}

/** A listed function's state, and why it is in it when the list says: `CreateFailed: …`. */
export function stateOf(fn: ListedFunction): string {
  return fn.reason ? `${fn.status}: ${fn.reason}` : fn.status;
}

export function isSettling(state: string | undefined): boolean {
  return state !== undefined && judge(state).kind === 'settling';
}
