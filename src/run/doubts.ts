// A create that ended in doubt, decided. WeChat documents no answer for a function that exists,
// and a lost answer says nothing at all: so a create whose attempts got no clear answer, or whose
// answer so much as hints at an existing function, is decided by a list requested after it. Only
// when no list can be read is the answer's wording taken at its word.
import type { CreateAttempts, ListedFunction } from '../clouds/cloud.js';
import { HINTS_EXISTS, SAYS_EXISTS } from '../clouds/wechat/errcodes.js';

/** What decides a doubtful create: the status and what the result says of it. */
interface Decided {
  status: 'created' | 'exists';
  /** Set when a list decided: its answer is the one the result carries. */
  errcode?: 0;
  errmsg?: string;
  note: string;
}

/** Whether a failed create leaves a doubt that a list can settle. */
export function inDoubt(attempts: CreateAttempts): boolean {
  return attempts.unclear.length > 0 || HINTS_EXISTS.test(attempts.outcome.errmsg);
}

/** Decided by a list requested after the create: `fn` as it lists the function, if it does. */
export function decidedByList(
  attempts: CreateAttempts,
  fn: ListedFunction | undefined,
): Decided | undefined {
  if (!fn) return undefined;
  const [firstUnclear] = attempts.unclear;
  const errmsg =
    firstUnclear !== undefined
      ? `listed after attempt ${firstUnclear}, whose answer was lost: that attempt created it`
      : 'not listed before this run, listed now: another run created it meanwhile';
  return {
    status: firstUnclear !== undefined ? 'created' : 'exists',
    errcode: 0,
    errmsg,
    note: errmsg,
  };
}

/** Decided by the wording of the last answer, when no list can be read. */
export function decidedByWording(attempts: CreateAttempts): Decided | undefined {
  if (!SAYS_EXISTS.test(attempts.outcome.errmsg)) return undefined;
  const [firstUnclear] = attempts.unclear;
  // An earlier attempt of this run got no clear answer, and a later one was told it exists.
  if (firstUnclear !== undefined && firstUnclear < attempts.attempts) {
    return {
      status: 'created',
      note: `inferred: attempt ${firstUnclear} got no clear answer and a later one was told the function exists`,
    };
  }
  return { status: 'exists', note: 'inferred from the answer: the list could not be read' };
}
