import { sql, type RawBuilder } from 'kysely';

/** `%` and `_` match anything in LIKE; the backslash escapes them (and itself) so that user text matches literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `column` contains `text`, ignoring case, with the text's own `%` and `_` taken literally: the lists' fuzzy match. */
export function containsIgnoringCase(column: string, text: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${sql.ref(column)}) like lower(${`%${escapeLike(text)}%`}) escape '\\'`;
}
