import { defineFlow } from '../define-flow.ts'
import { yesNoOptions } from './common.ts'

/** Her role in the group; labels are `group.role_<id>`. */
const ROLE_OPTIONS = ['presidenta', 'secretaria', 'tesorera', 'miembro'].map((id) => ({
  id,
  key: `group.role_${id}`,
}))

/** The department (Bolivia) or province or comarca (Panama), from the seeded list. */
function regionQuestion(key: string, next: string, empty: string) {
  return {
    kind: 'choice' as const,
    key,
    optionsFrom: 'regionOptions',
    empty,
    saveAs: 'regionId',
    next,
  }
}

function byCountry(bolivia: string, panama: string) {
  return {
    kind: 'branch' as const,
    cases: [{ when: { path: 'contact.country', op: 'eq' as const, value: 'PA' }, next: panama }],
    else: bolivia,
  }
}

const setField = (field: string, value: string, next: string) => ({
  kind: 'effect' as const,
  effect: { kind: 'setGroupField', field, value: { $var: value } },
  next,
})

/**
 * Journey 5, "our group": register it (name, place, sector, members, her role) and get an
 * invite code for the other members; or see it, with its phase, and change what changed.
 */
export const group = defineFlow({
  id: 'group',
  specVersion: 1,
  start: 'check',
  steps: {
    check: {
      kind: 'branch',
      load: 'myGroup',
      cases: [{ when: { path: 'data.myGroup', op: 'exists' }, next: 'show' }],
      else: 'intro',
    },
    intro: {
      kind: 'choice',
      key: 'group.intro',
      options: [
        { id: 'register', key: 'group.register', next: 'has_country' },
        { id: 'join', key: 'group.join', next: 'join' },
        { id: 'menu', key: 'group.back_menu', next: 'menu' },
      ],
    },
    join: { kind: 'flow', flow: 'join', at: 'ask_code', next: 'end' },
    menu: { kind: 'flow', flow: 'menu', next: 'end' },

    // ——— registering (the requirements journey enters here too) ———
    has_country: {
      kind: 'branch',
      cases: [{ when: { path: 'contact.country', op: 'in', value: ['BO', 'PA'] }, next: 'name' }],
      else: 'set_country',
    },
    set_country: { kind: 'flow', flow: 'country', next: 'name' },
    name: {
      kind: 'input',
      key: 'group.name',
      validator: { kind: 'text', min: 2, max: 80 },
      saveAs: 'name',
      next: 'region',
    },
    region: byCountry('region_bolivia', 'region_panama'),
    region_bolivia: regionQuestion('group.region_bolivia', 'municipality', 'municipality'),
    region_panama: regionQuestion('group.region_panama', 'municipality', 'municipality'),
    municipality: {
      kind: 'input',
      key: 'group.municipality',
      validator: { kind: 'text', min: 2, max: 80 },
      saveAs: 'municipality',
      next: 'rubro',
    },
    rubro: {
      kind: 'choice',
      key: 'group.rubro',
      optionsFrom: 'rubroOptions',
      empty: 'members',
      saveAs: 'rubroId',
      next: 'members',
    },
    members: {
      kind: 'input',
      key: 'group.members',
      validator: { kind: 'integer', min: 1, max: 500 },
      saveAs: 'memberCount',
      next: 'role',
    },
    role: {
      kind: 'choice',
      key: 'group.role',
      options: ROLE_OPTIONS,
      saveAs: 'role',
      next: 'create',
    },
    create: {
      kind: 'effect',
      effect: {
        kind: 'createGroup',
        name: { $var: 'name' },
        regionId: { $var: 'regionId' },
        municipality: { $var: 'municipality' },
        rubroId: { $var: 'rubroId' },
        memberCount: { $var: 'memberCount' },
        role: { $var: 'role' },
        as: 'inviteCode',
      },
      next: 'created',
    },
    created: {
      kind: 'message',
      key: 'group.created',
      load: 'firstPhase',
      vars: {
        name: { $var: 'name' },
        order: { $data: 'firstPhase.phaseOrder' },
        total: { $data: 'firstPhase.phaseTotal' },
        phase: { $data: 'firstPhase.phaseName' },
        next: { $data: 'firstPhase.nextPhase' },
      },
      next: 'invite',
    },
    invite: {
      kind: 'message',
      key: 'group.invite',
      vars: { code: { $effect: 'inviteCode' } },
      next: 'end',
    },

    // ——— her group ———
    show: {
      kind: 'branch',
      cases: [{ when: { path: 'data.myGroup.nextPhase', op: 'exists' }, next: 'summary' }],
      else: 'summary_last',
    },
    summary: {
      kind: 'message',
      key: 'group.summary',
      vars: { $data: 'myGroup' },
      next: 'update',
    },
    summary_last: {
      kind: 'message',
      key: 'group.summary_last',
      vars: { $data: 'myGroup' },
      next: 'update',
    },
    update: {
      kind: 'choice',
      key: 'group.update',
      options: [
        { id: 'name', key: 'group.change_name', next: 'new_name' },
        { id: 'place', key: 'group.change_place', next: 'new_region' },
        { id: 'rubro', key: 'group.change_rubro', next: 'new_rubro' },
        { id: 'members', key: 'group.change_members', next: 'new_members' },
        { id: 'role', key: 'group.change_role', next: 'new_role' },
        { id: 'menu', key: 'group.back_menu', next: 'menu' },
      ],
    },
    new_name: {
      kind: 'input',
      key: 'group.name',
      validator: { kind: 'text', min: 2, max: 80 },
      saveAs: 'name',
      next: 'set_name',
    },
    set_name: setField('name', 'name', 'updated'),
    new_region: byCountry('new_region_bolivia', 'new_region_panama'),
    new_region_bolivia: regionQuestion('group.region_bolivia', 'set_region', 'new_municipality'),
    new_region_panama: regionQuestion('group.region_panama', 'set_region', 'new_municipality'),
    set_region: setField('regionId', 'regionId', 'new_municipality'),
    new_municipality: {
      kind: 'input',
      key: 'group.municipality',
      validator: { kind: 'text', min: 2, max: 80 },
      saveAs: 'municipality',
      next: 'set_municipality',
    },
    set_municipality: setField('municipality', 'municipality', 'updated'),
    new_rubro: {
      kind: 'choice',
      key: 'group.rubro',
      optionsFrom: 'rubroOptions',
      empty: 'updated',
      saveAs: 'rubroId',
      next: 'set_rubro',
    },
    set_rubro: setField('rubroId', 'rubroId', 'updated'),
    new_members: {
      kind: 'input',
      key: 'group.members',
      validator: { kind: 'integer', min: 1, max: 500 },
      saveAs: 'memberCount',
      next: 'set_members',
    },
    set_members: setField('memberCount', 'memberCount', 'updated'),
    new_role: {
      kind: 'choice',
      key: 'group.role',
      options: ROLE_OPTIONS,
      saveAs: 'role',
      next: 'set_role',
    },
    set_role: {
      kind: 'effect',
      effect: { kind: 'setMemberRole', role: { $var: 'role' } },
      next: 'updated',
    },
    updated: { kind: 'message', key: 'group.updated', next: 'more' },
    more: { kind: 'choice', key: 'group.more', options: yesNoOptions('update', 'menu') },
  },
})

/**
 * Joining another member's group with its invite code. The engine starts this flow with
 * `inviteCode` set when she sends "UNIRME ABC123", the code alone or Telegram's "/start ABC123".
 */
export const join = defineFlow({
  id: 'join',
  specVersion: 1,
  start: 'member_check',
  steps: {
    member_check: {
      kind: 'branch',
      load: 'myGroup',
      cases: [{ when: { path: 'data.myGroup', op: 'exists' }, next: 'already' }],
      else: 'check_code',
    },
    already: {
      kind: 'message',
      key: 'group.already_member',
      vars: { name: { $data: 'myGroup.name' } },
      next: 'end',
    },
    check_code: {
      kind: 'branch',
      load: 'groupByCode',
      loadArgs: { code: { $var: 'inviteCode' } },
      cases: [{ when: { path: 'data.groupByCode', op: 'exists' }, next: 'confirm' }],
      else: 'unknown',
    },
    unknown: { kind: 'message', key: 'group.code_unknown', next: 'ask_code' },
    ask_code: {
      kind: 'input',
      key: 'group.ask_code',
      validator: { kind: 'text', min: 4, max: 20 },
      saveAs: 'inviteCode',
      next: 'check_code',
    },
    confirm: {
      kind: 'choice',
      load: 'groupByCode',
      loadArgs: { code: { $var: 'inviteCode' } },
      key: 'group.join_confirm',
      vars: {
        name: { $data: 'groupByCode.name' },
        region: { $data: 'groupByCode.region' },
        municipality: { $data: 'groupByCode.municipality' },
      },
      options: yesNoOptions('do_join', 'declined'),
    },
    do_join: {
      kind: 'effect',
      load: 'groupByCode',
      loadArgs: { code: { $var: 'inviteCode' } },
      effect: { kind: 'joinGroup', groupId: { $data: 'groupByCode.id' } },
      next: 'joined',
    },
    joined: {
      kind: 'message',
      key: 'group.joined',
      vars: { name: { $data: 'groupByCode.name' } },
      next: 'end',
    },
    declined: { kind: 'message', key: 'group.join_declined', next: 'end' },
  },
})
