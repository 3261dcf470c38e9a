import { describe, expect, it } from 'vitest'
import { storableText } from './storable-text.ts'
import { isTransientDbError } from './transient-error.ts'

describe('isTransientDbError', () => {
  it('knows the database away or busy, through Prisma and driver-adapter wrappings', () => {
    const adapter = Object.assign(new Error('SocketTimeout'), {
      cause: { kind: 'SocketTimeout', originalCode: 'SQLITE_BUSY', originalMessage: 'database is locked' },
    }) // prettier-ignore
    expect(isTransientDbError(adapter)).toBe(true)
    expect(isTransientDbError(Object.assign(new Error('x'), { code: 'P1001' }))).toBe(true)
    expect(isTransientDbError(new Error('Connection terminated unexpectedly'))).toBe(true)
    expect(isTransientDbError(Object.assign(new Error('x'), { cause: { code: 'ECONNREFUSED' } }))).toBe(true) // prettier-ignore
    expect(isTransientDbError(Object.assign(new Error('x'), { meta: { driverAdapterError: { kind: 'DatabaseNotReachable' } } }))).toBe(true) // prettier-ignore
  })

  it('leaves a message’s own failures to the apology', () => {
    expect(isTransientDbError(new TypeError('cannot read properties of undefined'))).toBe(false)
    expect(isTransientDbError(Object.assign(new Error('Unique constraint'), { code: 'P2002' }))).toBe(false) // prettier-ignore
    expect(isTransientDbError(undefined)).toBe(false)
  })
})

describe('storableText', () => {
  it('replaces lone surrogates and NUL with U+FFFD and keeps everything else', () => {
    expect(storableText('a\udfffb\ud800')).toBe('a\ufffdb\ufffd')
    expect(storableText('hola\u0000')).toBe('hola\ufffd')
    expect(storableText('👩🏽‍🌾 مرحبا\t1️⃣')).toBe('👩🏽‍🌾 مرحبا\t1️⃣')
    expect(storableText('a🙂'.repeat(3).slice(0, 5))).toBe('a🙂a\ufffd')
  })
})
