import { ApiError } from './errors.js';

/**
 * AICC spells some fields two ways (its tables `isStrctOrder`, `tempalteId`, `isAtuoAssigned`; its captured examples
 * and clients `isStrictOrder`, `templateId`, `isAutoAssigned`): either is taken. Both at once must agree, else the
 * request says two things and is refused rather than one of them silently winning.
 */
export function eitherSpelling<T, K extends keyof T & string, L extends keyof T & string>(
  input: T, spelling: K, other: L, prefix = '',
): T[K] | T[L] | undefined {
  const first = input[spelling];
  const second = input[other];
  if (first !== undefined && second !== undefined && first !== (second as unknown)) {
    throw new ApiError('invalidRequest', `${prefix}${spelling} and ${prefix}${other} are two spellings of one field and must not differ: send one`);
  }
  return first !== undefined ? first : second;
}
