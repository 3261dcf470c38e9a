import { defineFlow } from '../define-flow.ts'

/** A person from the team takes over: a case, and the bot waits for that case. */
export const handoff = defineFlow({
  id: 'handoff',
  specVersion: 1,
  start: 'open_case',
  steps: {
    open_case: {
      kind: 'effect',
      effect: { kind: 'createCase', topic: 'human', as: 'caseNumber' },
      next: 'created',
    },
    created: {
      kind: 'message',
      key: 'flows.handoff.created',
      vars: { caseNumber: { $effect: 'caseNumber' } },
      next: 'end',
    },
  },
})
