import { defineFlow } from '../define-flow.ts'

const chosen = { $var: 'caseId' }

/**
 * Journey 8, "mis consultas": her cases with their status and last update; she can open one
 * and add a message, a photo or a voice note to it (it reopens a case waiting for her).
 */
export const mycases = defineFlow({
  id: 'mycases',
  specVersion: 1,
  start: 'list',
  steps: {
    list: {
      kind: 'choice',
      key: 'mycases.list',
      optionsFrom: 'myCases',
      empty: 'none',
      saveAs: 'caseId',
      next: 'detail',
    },
    none: { kind: 'message', key: 'mycases.none', next: 'end' },
    detail: {
      kind: 'branch',
      load: 'caseDetail',
      loadArgs: { id: chosen },
      cases: [
        { when: { path: 'data.caseDetail', op: 'missing' }, next: 'list' },
        { when: { path: 'data.caseDetail.reply', op: 'exists' }, next: 'with_reply' },
      ],
      else: 'without_reply',
    },
    with_reply: {
      kind: 'choice',
      load: 'caseDetail',
      loadArgs: { id: chosen },
      key: 'mycases.detail_reply',
      vars: { $data: 'caseDetail' },
      options: [
        { id: 'add', key: 'mycases.add', next: 'write' },
        { id: 'list', key: 'mycases.back_list', next: 'list' },
      ],
    },
    without_reply: {
      kind: 'choice',
      load: 'caseDetail',
      loadArgs: { id: chosen },
      key: 'mycases.detail',
      vars: { $data: 'caseDetail' },
      options: [
        { id: 'add', key: 'mycases.add', next: 'write' },
        { id: 'list', key: 'mycases.back_list', next: 'list' },
      ],
    },
    write: {
      kind: 'upload',
      key: 'mycases.write',
      saveAs: 'media',
      textAs: 'text',
      error: 'mycases.write_error',
      next: 'append',
    },
    append: {
      kind: 'effect',
      effect: {
        kind: 'appendToCase',
        caseId: chosen,
        text: { $var: 'text' },
        mediaRef: { $var: 'media' },
      },
      next: 'added',
    },
    added: { kind: 'message', key: 'mycases.added', next: 'end' },
  },
})
