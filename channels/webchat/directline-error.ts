/**
 * Codes of the errors the Direct Line endpoint and its adapter raise. Those Direct Line itself
 * defines (`BadArgument`, `BadToken`, `TokenExpired`, `NotFound`, `MessageSizeTooBig`, ...) keep
 * its spelling, so clients written for Microsoft's service understand them.
 */
export type DirectLineErrorCode =
  | 'BadArgument'
  | 'BadToken'
  | 'TokenExpired'
  | 'NotFound'
  | 'NotSupported'
  | 'MessageTooLong'
  | 'MessageSizeTooBig'
  | 'TooManyRequests'
  | 'ServiceError'
  | 'TurnTimeout'
  | 'HistoryConflict';

/**
 * A refusal with an HTTP status and a Direct Line error code. Routes answer it as
 * `{ "error": { "code", "message" } }`; the adapter throws it to the bot for misuse (an unknown
 * conversation, an activity it cannot update).
 */
export class DirectLineError extends Error {
  override readonly name = 'DirectLineError';
  /** Extra response headers, such as `Retry-After`. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly status: number,
    readonly code: DirectLineErrorCode,
    message: string,
    options?: { readonly cause?: unknown; readonly headers?: Readonly<Record<string, string>> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.headers = options?.headers ?? {};
  }

  /** The JSON body of the HTTP answer. */
  toBody(): { error: { code: DirectLineErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}
