/** The one error type HTTP handlers throw; the central handler renders it (STYLE.md, point 7). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly messageKey: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(messageKey)
  }
}
