/**
 * The error a request's body stream fails with when its client hangs up mid-body (Node's connResetException
 * 'aborted': ECONNRESET with no syscall), or when its stream closes early. Not the server's fault: it was logged as a
 * database failure (ECONNRESET is also pg's), a 503 and an error line each, 997 of them for one probe's aborted calls.
 * The database's own resets come from a socket call and carry its `syscall` ('read ECONNRESET').
 */
export function isClientAbort(error: Error): boolean {
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  if (code === 'ECONNRESET') return error.message === 'aborted' && syscall === undefined;
  return code === 'ERR_STREAM_PREMATURE_CLOSE';
}
