/**
 * Every failure the client reports: an AICC error envelope (`resCode` and `resMsg` as the server sent them), an
 * OAuth2 error of the token call (`resCode` is its `error`, e.g. `invalid_client`), a reply that is not JSON, or no
 * reply at all (`httpStatus` 0, the network error as `cause`).
 */
export class OpencaseError extends Error {
  override readonly name = 'OpencaseError';

  constructor(
    /** The server's `resCode` ("401002", "404001"…), the OAuth2 `error` of the token call, or "" when there was none. */
    readonly resCode: string,
    readonly resMsg: string,
    /** The HTTP status of the reply; 0 when no reply came. */
    readonly httpStatus: number,
    options?: { cause?: unknown },
  ) {
    super(`${resCode ? `${resCode}: ` : ''}${resMsg}${httpStatus ? ` (HTTP ${httpStatus})` : ''}`, options);
  }
}
