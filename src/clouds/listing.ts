// The whole list of an environment's functions, page by page, whichever route asks: how large a
// page is, when to stop (for a function's triggers too), and how an entry becomes a
// ListedFunction under its route's field names.

import type { Secrets } from '../secrets/secrets.js';
import { failure, type Got, type ListedFunction, type Listing } from './cloud.js';

/** Pages of this many entries, as WeChat's example and Tencent's CLI ask. */
export const PAGE_SIZE = 20;

/** A list longer than this many pages (2,000 functions, or triggers) is not believed, and fails. */
export const MAX_LIST_PAGES = 100;

/** The page that starts at `offset`, or why it could not be had. */
export type Page<T = ListedFunction> = (offset: number) => Promise<Got<T[]>>;

/** Every function, page by page (see readPages); `call` names the list call in a failure. */
export async function listAll(call: string, page: Page): Promise<Listing> {
  const errmsg = `${call} kept answering full pages: more than ${MAX_LIST_PAGES * PAGE_SIZE} functions, more than an environment holds`;
  const read = await readPages(page, errmsg);
  return read.ok ? { ok: true, functions: read.value } : read;
}

/**
 * Every entry of a list by its name: reads every page until one comes back short or adds no name
 * it has not seen, as a total count is not trusted to say when to stop. `tooMany` is the failure
 * when MAX_LIST_PAGES pages all came back full of new names.
 */
export async function readPages<T extends { name: string }>(
  page: Page<T>,
  tooMany: string,
): Promise<Got<Map<string, T>>> {
  const entries = new Map<string, T>();
  for (let pages = 0, offset = 0; pages < MAX_LIST_PAGES; pages++) {
    const got = await page(offset);
    if (!got.ok) return got;
    const before = entries.size;
    for (const entry of got.value) entries.set(entry.name, entry);
    offset += got.value.length;
    if (got.value.length < PAGE_SIZE || entries.size === before)
      return { ok: true, value: entries };
  }
  return { ok: false, outcome: failure(tooMany) };
}

/** Where a route's list entry keeps each field, and its status reasons theirs. */
export interface EntryFields {
  name: string;
  status: string;
  reasons: string;
  reasonCode: string;
  reasonMessage: string;
  runtime: string;
  modTime: string;
}

/** A page's entries; undefined when `entries` is not a list. Server text is redacted. */
export function readEntries(
  entries: unknown,
  fields: EntryFields,
  secrets: Secrets,
): ListedFunction[] | undefined {
  if (!Array.isArray(entries)) return undefined;
  const listed: ListedFunction[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null) continue;
    const field = (name: string) => (entry as Record<string, unknown>)[name];
    const name = field(fields.name);
    if (typeof name !== 'string') continue;
    const reasons = field(fields.reasons);
    const reason = Array.isArray(reasons)
      ? reasons
          .map((r) => {
            const { [fields.reasonCode]: code, [fields.reasonMessage]: message } = (r ??
              {}) as Record<string, unknown>;
            return [code, message]
              .filter((part) => typeof part === 'string' || typeof part === 'number')
              .join(': ');
          })
          .filter(Boolean)
          .join('; ')
      : '';
    const status = field(fields.status);
    const runtime = field(fields.runtime);
    const modTime = field(fields.modTime);
    listed.push({
      name,
      status: typeof status === 'string' ? status : 'unknown',
      ...(reason ? { reason: secrets.redact(reason) } : {}),
      ...(typeof runtime === 'string' ? { runtime: secrets.redact(runtime) } : {}),
      ...(typeof modTime === 'string' ? { modTime } : {}),
    });
  }
  return listed;
}
