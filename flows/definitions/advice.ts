import { defineFlow } from '../define-flow.ts'

/** Subtopics a lawyer answers; the rest go to the technical team. */
const LEGAL_TOPICS = ['constitution', 'statutes', 'procedures', 'taxes']
const TOPICS = [
  'constitution',
  'statutes',
  'procedures',
  'taxes',
  'financing',
  'conflicts',
  'other',
]

/** The registry office differs: AFCOOP in Bolivia, IPACOOP in Panama. */
function topicQuestion(country: 'bo' | 'pa') {
  return {
    kind: 'choice' as const,
    key: 'flows.advice.topic',
    options: TOPICS.map((id) => ({
      id,
      key: id === 'procedures' ? `flows.advice.procedures_${country}` : `flows.advice.${id}`,
    })),
    saveAs: 'topic',
    next: 'describe',
  }
}

/** A legal or technical question: topic, her question in one message, a case for the staff. */
export const advice = defineFlow({
  id: 'advice',
  specVersion: 1,
  start: 'by_country',
  steps: {
    by_country: {
      kind: 'branch',
      cases: [{ when: { path: 'contact.country', op: 'eq', value: 'PA' }, next: 'topic_panama' }],
      else: 'topic_bolivia',
    },
    topic_bolivia: topicQuestion('bo'),
    topic_panama: topicQuestion('pa'),
    describe: {
      kind: 'input',
      key: 'flows.advice.describe',
      validator: { kind: 'text', min: 3, max: 2000 },
      saveAs: 'question',
      next: 'route',
    },
    route: {
      kind: 'branch',
      cases: [{ when: { path: 'var.topic', op: 'in', value: LEGAL_TOPICS }, next: 'legal_case' }],
      else: 'technical_case',
    },
    legal_case: {
      kind: 'effect',
      effect: {
        kind: 'createCase',
        topic: 'legal',
        subtopic: { $var: 'topic' },
        text: { $var: 'question' },
        as: 'caseNumber',
      },
      next: 'created',
    },
    technical_case: {
      kind: 'effect',
      effect: {
        kind: 'createCase',
        topic: 'technical',
        subtopic: { $var: 'topic' },
        text: { $var: 'question' },
        as: 'caseNumber',
      },
      next: 'created',
    },
    created: {
      kind: 'message',
      key: 'flows.advice.created',
      vars: { caseNumber: { $effect: 'caseNumber' } },
      next: 'end',
    },
  },
})
