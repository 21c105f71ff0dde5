// Quoting input in messages: a file's bytes end up in terminal lines and page text, so control characters
// (which can move the cursor, recolour or clear a terminal) and invisible reordering marks are written out
// as escapes. One helper for every message that quotes what it read.

/** C0 and C1 controls, DEL, line/paragraph separators, bidirectional overrides and isolates, BOM. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control or invisible formatting character written as `\xNN` / `\uNNNN` (`\t`, `\n`, `\r`). */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** Whether the text holds a character escapeControls would rewrite. */
export function hasControls(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

/**
 * A piece of input as it may appear in a message: at most `max` characters of it (then `…`), controls
 * escaped. Cut before escaping, so the limit is on what was read, and never inside a surrogate pair.
 */
export function shown(raw: string, max = 40): string {
  let cut = raw;
  if (raw.length > max) {
    let end = max;
    const c = raw.charCodeAt(end - 1);
    if (c >= 0xd800 && c <= 0xdbff) end--;
    cut = raw.slice(0, end) + '…';
  }
  return escapeControls(cut);
}

/** The first line of an error's message: what a one-line status or note shows. */
export function errorLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
