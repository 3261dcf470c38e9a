import { describe, expect, it } from 'vitest'
import {
  validateAnswer,
  validateDate,
  validateInteger,
  validatePhone,
  validateText,
  validateYesNo,
} from './answer-validators.ts'

// 2026-03-02 22:30 in Bolivia (UTC−4) is already the 3rd in UTC.
const lateEvening = { now: new Date('2026-03-03T02:30:00Z'), country: 'BO' as const }

describe('validateText', () => {
  it('trims and checks the length in characters', () => {
    expect(validateText('  hola  ', 3, 10)).toEqual({ ok: true, value: 'hola' })
    expect(validateText('ñandú', 5, 5)).toEqual({ ok: true, value: 'ñandú' })
    expect(validateText('no', 3, 10)).toEqual({ ok: false, reason: 'tooShort' })
    expect(validateText('x'.repeat(11), 3, 10)).toEqual({ ok: false, reason: 'tooLong' })
  })
  it('refuses nothing but spaces or emoji', () => {
    expect(validateText('   ', 1, 10)).toEqual({ ok: false, reason: 'empty' })
    expect(validateText('🙂🙂🙂🙂', 1, 10)).toEqual({ ok: false, reason: 'empty' })
  })
})

describe('validateInteger', () => {
  it.each([
    ['12', 12],
    [' 0 ', 0],
    ['-3', -3],
    ['doce', null],
    ['cinco', 5],
    ['five', 5],
  ])('%j', (text, value) => {
    const result = validateInteger(text, -5, 20)
    expect(result).toEqual(
      value === null ? { ok: false, reason: 'notInteger' } : { ok: true, value },
    )
  })
  it('checks the range', () => {
    expect(validateInteger('21', 0, 20)).toEqual({ ok: false, reason: 'outOfRange' })
    expect(validateInteger('9'.repeat(30), 0, 20)).toEqual({ ok: false, reason: 'notInteger' })
  })
})

describe('validateDate', () => {
  it.each([
    ['25/03/2026', '2026-03-25'],
    ['5/3/26', '2026-03-05'],
    ['05-03-2026', '2026-03-05'],
    ['2026-03-25', '2026-03-25'],
    ['hoy', '2026-03-02'],
    ['Mañana', '2026-03-03'],
    ['today', '2026-03-02'],
    ['tomorrow', '2026-03-03'],
  ])('%j is %s', (text, iso) => {
    expect(validateDate(text, lateEvening)).toEqual({ ok: true, value: iso })
  })
  it.each(['31/02/2026', '2026-13-01', 'el martes', '', '12/12'])('%j is no date', (text) => {
    expect(validateDate(text, lateEvening)).toEqual({ ok: false, reason: 'notDate' })
  })
})

describe('validatePhone', () => {
  it('reads a national number with her country, and an international one', () => {
    expect(validatePhone('71234567', 'BO')).toEqual({ ok: true, value: '+59171234567' })
    expect(validatePhone('+507 6123-4567', null)).toEqual({ ok: true, value: '+50761234567' })
    expect(validatePhone('123', 'BO')).toEqual({ ok: false, reason: 'notPhone' })
    expect(validatePhone('hola', null)).toEqual({ ok: false, reason: 'notPhone' })
  })
})

describe('validateYesNo', () => {
  it.each([
    ['Sí', true],
    ['si', true],
    ['sí, claro', true],
    ['YES', true],
    ['no', false],
    ['No.', false],
    ['nope', false],
  ])('%j is %s', (text, value) => {
    expect(validateYesNo(text)).toEqual({ ok: true, value })
  })
  it.each(['no sé', 'tal vez', 'si no'])('%j is no answer', (text) => {
    expect(validateYesNo(text)).toEqual({ ok: false, reason: 'notYesNo' })
  })
})

describe('validateAnswer', () => {
  it('dispatches on the validator kind', () => {
    expect(validateAnswer('hoy', { kind: 'date' }, lateEvening)).toEqual({
      ok: true,
      value: '2026-03-02',
    })
    expect(validateAnswer('71234567', { kind: 'phone' }, lateEvening)).toEqual({
      ok: true,
      value: '+59171234567',
    })
    expect(validateAnswer('', { kind: 'text' }, lateEvening)).toEqual({
      ok: false,
      reason: 'empty',
    })
  })
})
