import { defineFlow } from '../define-flow.ts'
import { yesNoOptions } from './common.ts'

const item = { $var: 'requirementId' }

/** What she can do with a checklist item; the order is the same whatever its status. */
function actions(withoutPhoto: boolean) {
  return [
    { id: 'evidence', key: 'requirements.send_evidence', next: 'ask_evidence' },
    ...(withoutPhoto ? [{ id: 'done', key: 'requirements.mark_done', next: 'mark_done' }] : []),
    { id: 'list', key: 'requirements.back_list', next: 'overview' },
  ]
}

/**
 * Journey 6: the group's checklist for its country (steps and documents), what is done and
 * what is missing. She can mark an item as done and send a photo or document as evidence,
 * which staff review. Items whose fact is still to be confirmed say so and offer a person.
 */
export const requirements = defineFlow({
  id: 'requirements',
  specVersion: 1,
  start: 'check',
  steps: {
    check: {
      kind: 'branch',
      load: 'myGroup',
      cases: [{ when: { path: 'data.myGroup', op: 'exists' }, next: 'overview' }],
      else: 'no_group',
    },
    no_group: {
      kind: 'choice',
      key: 'requirements.no_group',
      options: yesNoOptions('register', 'menu'),
    },
    register: { kind: 'flow', flow: 'group', at: 'has_country', next: 'end' },
    menu: { kind: 'flow', flow: 'menu', next: 'end' },
    overview: {
      kind: 'choice',
      key: 'requirements.overview',
      load: 'myGroup',
      vars: {
        name: { $data: 'myGroup.name' },
        done: { $data: 'myGroup.done' },
        submitted: { $data: 'myGroup.submitted' },
        total: { $data: 'myGroup.total' },
      },
      options: [
        { id: 'steps', key: 'requirements.steps', next: 'steps' },
        { id: 'documents', key: 'requirements.documents', next: 'documents' },
        { id: 'menu', key: 'requirements.back_menu', next: 'menu' },
      ],
    },
    steps: {
      kind: 'choice',
      key: 'requirements.steps_list',
      optionsFrom: 'checklist',
      loadArgs: { kind: 'step' },
      empty: 'overview',
      saveAs: 'requirementId',
      next: 'detail',
    },
    documents: {
      kind: 'choice',
      key: 'requirements.documents_list',
      optionsFrom: 'checklist',
      loadArgs: { kind: 'document' },
      empty: 'overview',
      saveAs: 'requirementId',
      next: 'detail',
    },
    detail: {
      kind: 'branch',
      load: 'requirementDetail',
      loadArgs: { id: item },
      cases: [
        { when: { path: 'data.requirementDetail', op: 'missing' }, next: 'overview' },
        {
          when: { path: 'data.requirementDetail.confidence', op: 'eq', value: 'por_confirmar' },
          next: 'unconfirmed',
        },
        {
          when: { path: 'data.requirementDetail.confidence', op: 'eq', value: 'secundario' },
          next: 'secondary',
        },
      ],
      else: 'confirmed',
    },
    confirmed: {
      kind: 'message',
      key: 'requirements.detail_confirmed',
      vars: { $data: 'requirementDetail' },
      next: 'status',
    },
    secondary: {
      kind: 'message',
      key: 'requirements.detail_secondary',
      vars: { $data: 'requirementDetail' },
      next: 'status',
    },
    // [por confirmar]: never shown as fact, only the standard note and the offer of a person
    unconfirmed: {
      kind: 'choice',
      load: 'requirementDetail',
      loadArgs: { id: item },
      key: 'requirements.detail_unconfirmed',
      vars: { title: { $data: 'requirementDetail.title' } },
      options: yesNoOptions('ask_person', 'status_again'),
    },
    ask_person: {
      kind: 'effect',
      effect: { kind: 'createCase', topic: 'human', subtopic: item, as: 'caseNumber' },
      next: 'person',
    },
    person: {
      kind: 'message',
      key: 'flows.handoff.created',
      vars: { caseNumber: { $effect: 'caseNumber' } },
      next: 'end',
    },
    status_again: {
      kind: 'message',
      key: 'requirements.status_intro',
      load: 'requirementDetail',
      loadArgs: { id: item },
      vars: { title: { $data: 'requirementDetail.title' } },
      next: 'status',
    },
    status: {
      kind: 'branch',
      cases: [
        { when: { path: 'data.requirementDetail.status', op: 'eq', value: 'done' }, next: 'done' },
        {
          when: { path: 'data.requirementDetail.status', op: 'eq', value: 'submitted' },
          next: 'submitted',
        },
        {
          when: { path: 'data.requirementDetail.status', op: 'eq', value: 'rejected' },
          next: 'rejected',
        },
      ],
      else: 'pending',
    },
    pending: { kind: 'choice', key: 'requirements.status_pending', options: actions(true) },
    submitted: { kind: 'choice', key: 'requirements.status_submitted', options: actions(false) },
    rejected: {
      kind: 'choice',
      load: 'requirementDetail',
      loadArgs: { id: item },
      key: 'requirements.status_rejected',
      vars: { reason: { $data: 'requirementDetail.reason' } },
      options: actions(true),
    },
    done: {
      kind: 'choice',
      key: 'requirements.status_done',
      options: [
        { id: 'list', key: 'requirements.back_list', next: 'overview' },
        { id: 'menu', key: 'requirements.back_menu', next: 'menu' },
      ],
    },
    ask_evidence: {
      kind: 'upload',
      key: 'requirements.ask_evidence',
      saveAs: 'evidence',
      error: 'requirements.evidence_error',
      next: 'save_evidence',
    },
    save_evidence: {
      kind: 'effect',
      effect: {
        kind: 'setRequirement',
        requirementId: item,
        status: 'done',
        evidenceRef: { $var: 'evidence' },
      },
      next: 'evidence_saved',
    },
    evidence_saved: { kind: 'message', key: 'requirements.evidence_saved', next: 'after' },
    mark_done: {
      kind: 'effect',
      effect: { kind: 'setRequirement', requirementId: item, status: 'done' },
      next: 'marked',
    },
    marked: { kind: 'message', key: 'requirements.marked', next: 'after' },
    after: {
      kind: 'choice',
      key: 'requirements.after',
      options: [
        { id: 'list', key: 'requirements.back_list', next: 'overview' },
        { id: 'menu', key: 'requirements.back_menu', next: 'menu' },
      ],
    },
  },
})
