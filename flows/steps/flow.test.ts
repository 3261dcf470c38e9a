import { describe, expect, it } from 'vitest'
import { STACK_LIMIT } from '../session.ts'
import { smallConversation } from '../testing/small-world.ts'

const strings = {
  't.q': 'Pregunta',
  't.a': 'A',
  't.b': 'B',
  't.after': 'después',
  't.one': 'Uno',
  't.two': 'Dos',
}

describe('flow step', () => {
  it('runs another flow and comes back to next', () => {
    const c = smallConversation(
      [
        {
          id: 'menu',
          specVersion: 1,
          start: 'call',
          steps: {
            call: { kind: 'flow', flow: 'inner', next: 'after' },
            after: { kind: 'message', key: 't.after', next: 'end' },
          },
        },
        {
          id: 'inner',
          specVersion: 1,
          start: 'q',
          steps: {
            q: { kind: 'input', key: 't.q', validator: { kind: 'text' }, saveAs: 'x', next: 'end' },
          },
        },
      ],
      strings,
    )
    expect(c.send('hola')).toEqual(['Pregunta'])
    expect(c.session?.stack.map((f) => [f.flowId, f.stepId, f.returnTo])).toEqual([
      ['menu', 'call', 'after'],
      ['inner', 'q', undefined],
    ])
    expect(c.send('algo')).toEqual(['después'])
    expect(c.session?.stack).toEqual([])
  })

  it('can enter the other flow at a given step', () => {
    const c = smallConversation(
      [
        {
          id: 'menu',
          specVersion: 1,
          start: 'call',
          steps: { call: { kind: 'flow', flow: 'inner', at: 'b', next: 'end' } },
        },
        {
          id: 'inner',
          specVersion: 1,
          start: 'a',
          steps: {
            a: { kind: 'message', key: 't.a', next: 'b' },
            b: { kind: 'message', key: 't.b', next: 'end' },
          },
        },
      ],
      strings,
    )
    expect(c.send('hola')).toEqual(['B'])
  })

  it('replaces the caller when it would only end afterwards, so menus do not pile up', () => {
    const c = smallConversation(
      [
        {
          id: 'menu',
          specVersion: 1,
          start: 'pick',
          steps: {
            pick: {
              kind: 'choice',
              key: 't.q',
              options: [
                { id: 'one', key: 't.one', next: 'again' },
                { id: 'two', key: 't.two', next: 'end' },
              ],
            },
            again: { kind: 'flow', flow: 'menu', next: 'end' },
          },
        },
      ],
      strings,
    )
    c.send('hola')
    for (let i = 0; i < STACK_LIMIT + 5; i++) c.send('1')
    expect(c.session?.stack).toHaveLength(1)
  })
})
