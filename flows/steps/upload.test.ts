import { describe, expect, it } from 'vitest'
import type { FlowDefinition } from '../define-flow.ts'
import { inviteCodeIn, isInviteShape, newInviteCode } from '../invite-code.ts'
import { smallConversation } from '../testing/small-world.ts'

const strings = {
  't.send': 'Envíe una foto',
  't.error': 'Necesito una foto',
  't.got': 'Archivo {{file}} texto {{words}}',
}

function uploading(textAs?: string): FlowDefinition {
  return {
    id: 'menu',
    specVersion: 1,
    start: 'ask',
    steps: {
      ask: {
        kind: 'upload',
        key: 't.send',
        saveAs: 'file',
        ...(textAs && { textAs }),
        error: 't.error',
        next: 'got',
      },
      got: {
        kind: 'message',
        key: 't.got',
        vars: { file: { $var: 'file' }, ...(textAs && { words: { $var: textAs } }) },
        next: 'end',
      },
    },
  } as FlowDefinition
}

const photo = { kind: 'media' as const, mediaKind: 'image' as const, ref: 'files/a.jpg' }

describe('upload step', () => {
  it('takes a file, with its caption', () => {
    const c = smallConversation([uploading('words')], strings)
    expect(c.send('hola')).toEqual(['Envíe una foto'])
    expect(c.send({ ...photo, text: 'el acta' })).toEqual(['Archivo files/a.jpg texto el acta'])
  })

  it('refuses words where only a file will do, and takes words when allowed', () => {
    const c = smallConversation([uploading()], strings)
    c.send('hola')
    expect(c.send('aquí está')).toEqual(['Necesito una foto'])
    expect(c.send(photo)).toEqual(['Archivo files/a.jpg texto '])
    const t = smallConversation([uploading('words')], strings)
    t.send('hola')
    expect(t.send('ok')).toEqual(['Necesito una foto'])
    expect(t.send('x'.repeat(2001))[0]).toContain('menos de 2000')
    expect(t.send('nuestra duda')).toEqual(['Archivo  texto nuestra duda'])
  })
})

describe('invite codes', () => {
  it('are read from UNIRME, join, /start or alone, but not from words', () => {
    expect(inviteCodeIn('UNIRME k7m2qx', false)).toBe('K7M2QX')
    expect(inviteCodeIn('/start K7M2QX', false)).toBe('K7M2QX')
    expect(inviteCodeIn('join DEMO-PA1', false)).toBe('DEMO-PA1')
    expect(inviteCodeIn(' k7m2qx ', true)).toBe('K7M2QX')
    expect(inviteCodeIn('k7m2qx', false)).toBeNull()
    expect(inviteCodeIn('FLORES', true)).toBeNull()
    expect(inviteCodeIn('123456', true)).toBeNull()
    expect(inviteCodeIn('quiero unirme al grupo', true)).toBeNull()
  })

  it('are generated with letters and digits from the unambiguous alphabet', () => {
    let seed = 1
    for (let i = 0; i < 200; i++) {
      const code = newInviteCode((n) => (seed = (seed * 48271) % 2147483647) % n)
      expect(isInviteShape(code)).toBe(true)
      expect(code).not.toMatch(/[01IOL]/)
    }
    expect(isInviteShape(newInviteCode(() => 0))).toBe(true)
  })
})
