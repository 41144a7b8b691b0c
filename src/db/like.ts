/** `%` and `_` match anything in LIKE; the backslash escapes them (and itself) so that user text matches literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
