import { sql, type RawBuilder } from 'kysely';

/** `%` and `_` match anything in LIKE; the backslash escapes them (and itself) so that user text matches literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The LIKE pattern for "contains `text`", the text's own `%` and `_` taken literally. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** `column` matches a pattern made by containsPattern, ignoring case (the pattern is a bound value, so it can be prepared). */
export function likeIgnoringCase(column: string, pattern: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${sql.ref(column)}) like lower(${pattern}) escape '\\'`;
}

/** `column` contains `text`, ignoring case, with the text's own `%` and `_` taken literally: the lists' fuzzy match. */
export function containsIgnoringCase(column: string, text: string): RawBuilder<boolean> {
  return likeIgnoringCase(column, containsPattern(text));
}
