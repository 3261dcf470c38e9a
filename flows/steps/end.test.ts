import { describe, expect, it } from 'vitest'
import { smallConversation } from '../testing/small-world.ts'

describe('end step', () => {
  it('ends the flow: back to the caller, or out of any flow', () => {
    const c = smallConversation(
      [
        {
          id: 'menu',
          specVersion: 1,
          start: 'call',
          steps: {
            call: { kind: 'flow', flow: 'inner', next: 'after' },
            after: { kind: 'message', key: 't.after', next: 'stop' },
            stop: { kind: 'end' },
          },
        },
        {
          id: 'inner',
          specVersion: 1,
          start: 'say',
          steps: {
            say: { kind: 'message', key: 't.inner', next: 'done' },
            done: { kind: 'end' },
          },
        },
      ],
      { 't.after': 'after', 't.inner': 'inner' },
    )
    expect(c.send('hola')).toEqual(['inner', 'after'])
    expect(c.session?.stack).toEqual([])
  })
})
