import { ApiError } from '../wire/errors.js';
import { MAX_START } from '../wire/schema.js';

/** The same bounds as every AICC list: start ≥ 0, limit 1 to 100; out of range is a 400, never silently clamped. */
export function pageOf(query: { start?: string; limit?: string }, defaultLimit = 20): { start: number; limit: number } {
  const start = Number(query.start ?? 0);
  const limit = Number(query.limit ?? defaultLimit);
  if (limit < 1) throw new ApiError('invalidRequest', 'limit must be at least 1');
  if (limit > 100) throw new ApiError('invalidRequest', 'limit must be at most 100');
  if (start > MAX_START) throw new ApiError('invalidRequest', `start must be at most ${MAX_START}`);
  return { start, limit };
}
