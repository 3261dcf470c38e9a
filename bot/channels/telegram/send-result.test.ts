import { GrammyError, HttpError } from 'grammy'
import { describe, expect, it } from 'vitest'
import { sendFailure } from './send-result.ts'

const apiError = (error_code: number, description: string, retry_after?: number) =>
  new GrammyError(
    `Call to 'sendMessage' failed! (${error_code}: ${description})`,
    { ok: false, error_code, description, ...(retry_after && { parameters: { retry_after } }) },
    'sendMessage',
    {},
  )

describe('sendFailure', () => {
  it('passes 429 retry_after on to the dispatcher', () => {
    expect(sendFailure(apiError(429, 'Too Many Requests: retry after 7', 7))).toEqual({
      ok: false,
      permanent: false,
      reason: '429: Too Many Requests: retry after 7',
      retryAfterMs: 7000,
    })
  })

  it.each([
    'Forbidden: bot was blocked by the user',
    'Forbidden: user is deactivated',
    "Forbidden: bot can't initiate conversation with a user",
  ])('marks her unreachable on 403 %s', (description) => {
    expect(sendFailure(apiError(403, description))).toMatchObject({
      permanent: true,
      unreachable: true,
    })
  })

  it('fails a bad request for good, with the description', () => {
    const r = sendFailure(apiError(400, 'Bad Request: message text is empty'))
    expect(r).toEqual({
      ok: false,
      permanent: true,
      reason: '400: Bad Request: message text is empty',
    })
    expect(sendFailure(apiError(400, 'Bad Request: chat not found')).unreachable).toBe(true)
  })

  it('lets server errors, network errors and a revoked token be retried', () => {
    expect(sendFailure(apiError(500, 'Internal Server Error')).permanent).toBe(false)
    expect(sendFailure(apiError(401, 'Unauthorized')).permanent).toBe(false)
    expect(sendFailure(new HttpError('Network request failed', new Error('ECONNRESET')))).toEqual({
      ok: false,
      permanent: false,
      reason: 'Network request failed',
    })
  })
})
