// Text that reaches the runner: what came from a server is untrusted, so it is put on one line
// and shortened before it is logged or set as an output, and HTML-escaped in the job summary:
// it can neither issue a workflow command nor forge an output or markup.
export const MAX_TEXT = 500;

/** What a thrown value says: its message, or the value itself. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One line, no control characters, at most `max` characters. */
export function oneLine(text: string, max = MAX_TEXT): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return clip(flat, max);
}

/** How much of what a function answered its invocation is kept. */
export const MAX_RESPONSE_CHARS = 4096;

/** `text` cut to `max` characters, `…` marking the cut; line breaks kept. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Our own text for the summary: escaped, with its `code` spans as <code>. */
export function html(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** How the summary marks a failure. */
export const MARK_FAILED = '❌';

/** HTML blocks, a blank line between them: Markdown inside one is never read as Markdown. */
export function blocks(...parts: string[]): string {
  return `${parts.join('\n\n')}\n`;
}

/** `text` as a sentence: a period at its end, unless it ends one already. */
export function sentence(text: string): string {
  return /[.!?。…]$/.test(text) ? text : `${text}.`;
}

/** A size as people read it: `812 B`, `12.4 KiB`, `1.2 MiB`. */
export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
