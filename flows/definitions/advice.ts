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

/**
 * A legal or technical question: topic, her question in one message (words, a voice note or a
 * photo), a case for the staff. Someone with cases may first choose "mis consultas".
 */
export const advice = defineFlow({
  id: 'advice',
  specVersion: 2,
  start: 'has_cases',
  steps: {
    has_cases: {
      kind: 'branch',
      load: 'myCases',
      cases: [{ when: { path: 'data.myCases', op: 'exists' }, next: 'choose' }],
      else: 'by_country',
    },
    choose: {
      kind: 'choice',
      key: 'flows.advice.choose',
      options: [
        { id: 'new', key: 'flows.advice.new', next: 'by_country' },
        { id: 'mine', key: 'flows.advice.mine', next: 'mine' },
      ],
    },
    mine: { kind: 'flow', flow: 'mycases', next: 'end' },
    by_country: {
      kind: 'branch',
      cases: [{ when: { path: 'contact.country', op: 'eq', value: 'PA' }, next: 'topic_panama' }],
      else: 'topic_bolivia',
    },
    topic_bolivia: topicQuestion('bo'),
    topic_panama: topicQuestion('pa'),
    describe: {
      kind: 'upload',
      key: 'flows.advice.describe',
      textAs: 'question',
      saveAs: 'media',
      error: 'flows.advice.describe_error',
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
        mediaRef: { $var: 'media' },
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
        mediaRef: { $var: 'media' },
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
