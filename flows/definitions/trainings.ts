import { defineFlow } from '../define-flow.ts'
import { yesNoOptions } from './common.ts'

const training = { $var: 'trainingId' }
const loadTraining = { load: 'training', loadArgs: { id: training } }
/** What reminders say: the training's name, day, time and place or link. */
const about = {
  title: { $data: 'training.title' },
  date: { $data: 'training.date' },
  time: { $data: 'training.time' },
  where: { $data: 'training.where' },
  modality: { $data: 'training.modality' },
  country: { $data: 'training.country' },
}

function reminder(at: string, key: string, next: string) {
  return {
    kind: 'effect' as const,
    effect: {
      kind: 'schedule',
      at: { $data: `training.${at}` },
      originId: training,
      output: { kind: 'text', key, vars: about },
    },
    next,
  }
}

/**
 * Journey 7: trainings staff scheduled for her country, region and sector (dates and places
 * are staff data, PRG-90): see one, register, cancel, "mis capacitaciones". Registering
 * schedules reminders 24 h and 1 h before and, after it, an invitation to rate it here.
 */
export const trainings = defineFlow({
  id: 'trainings',
  specVersion: 1,
  start: 'options',
  steps: {
    options: {
      kind: 'choice',
      key: 'trainings.options',
      options: [
        { id: 'upcoming', key: 'trainings.upcoming', next: 'upcoming' },
        { id: 'mine', key: 'trainings.mine', next: 'mine' },
        { id: 'menu', key: 'trainings.back_menu', next: 'menu' },
      ],
    },
    menu: { kind: 'flow', flow: 'menu', next: 'end' },
    upcoming: {
      kind: 'choice',
      key: 'trainings.upcoming_list',
      optionsFrom: 'upcomingTrainings',
      empty: 'none',
      saveAs: 'trainingId',
      next: 'detail',
    },
    none: { kind: 'message', key: 'trainings.none', next: 'options' },
    mine: {
      kind: 'choice',
      key: 'trainings.mine_list',
      optionsFrom: 'myTrainings',
      empty: 'mine_none',
      saveAs: 'trainingId',
      next: 'detail',
    },
    mine_none: { kind: 'message', key: 'trainings.mine_none', next: 'options' },
    detail: {
      kind: 'branch',
      ...loadTraining,
      cases: [{ when: { path: 'data.training', op: 'exists' }, next: 'show' }],
      else: 'options',
    },
    show: {
      kind: 'message',
      key: 'trainings.detail',
      vars: { ...about, seats: { $data: 'training.seats' } },
      next: 'state',
    },
    state: {
      kind: 'branch',
      cases: [
        { when: { path: 'data.training.state', op: 'eq', value: 'open' }, next: 'ask_register' },
        { when: { path: 'data.training.state', op: 'eq', value: 'full' }, next: 'full' },
        {
          when: { path: 'data.training.state', op: 'eq', value: 'registered' },
          next: 'ask_cancel',
        },
        { when: { path: 'data.training.state', op: 'eq', value: 'attended' }, next: 'attended' },
      ],
      else: 'unavailable',
    },
    full: { kind: 'message', key: 'trainings.full', next: 'options' },
    unavailable: { kind: 'message', key: 'trainings.unavailable', next: 'options' },
    ask_register: {
      kind: 'choice',
      key: 'trainings.ask_register',
      options: yesNoOptions('recheck', 'options'),
    },
    // staff may have cancelled it, or the last seat gone, while she was reading (issue 9)
    recheck: {
      kind: 'branch',
      ...loadTraining,
      cases: [
        { when: { path: 'data.training.state', op: 'eq', value: 'open' }, next: 'register' },
        { when: { path: 'data.training.state', op: 'eq', value: 'full' }, next: 'full' },
      ],
      else: 'unavailable',
    },
    register: {
      kind: 'effect',
      ...loadTraining,
      effect: { kind: 'registerTraining', trainingId: training },
      next: 'remind_day',
    },
    // a reminder whose time has passed (a training tomorrow morning) is simply not scheduled
    remind_day: reminder('remind24At', 'trainings.reminder_day', 'remind_hour'),
    remind_hour: reminder('remind1At', 'trainings.reminder_hour', 'survey'),
    survey: {
      kind: 'effect',
      effect: {
        kind: 'schedule',
        at: { $data: 'training.surveyAt' },
        originId: training,
        output: {
          kind: 'text',
          key: 'trainings.survey',
          vars: { title: { $data: 'training.title' } },
        },
      },
      next: 'registered',
    },
    registered: {
      kind: 'message',
      key: 'trainings.registered',
      vars: { title: { $data: 'training.title' } },
      next: 'end',
    },
    ask_cancel: {
      kind: 'choice',
      key: 'trainings.ask_cancel',
      options: yesNoOptions('cancel', 'options'),
    },
    cancel: {
      kind: 'effect',
      effect: { kind: 'cancelRegistration', trainingId: training },
      next: 'cancelled',
    },
    cancelled: { kind: 'message', key: 'trainings.cancelled', next: 'end' },
    attended: {
      kind: 'branch',
      cases: [{ when: { path: 'data.training.rated', op: 'eq', value: true }, next: 'rated' }],
      else: 'ask_rating',
    },
    rated: { kind: 'message', key: 'trainings.rated', next: 'options' },
    ask_rating: {
      kind: 'input',
      key: 'trainings.ask_rating',
      validator: { kind: 'integer', min: 1, max: 5 },
      saveAs: 'score',
      next: 'rate',
    },
    rate: {
      kind: 'effect',
      effect: { kind: 'rateTraining', trainingId: training, score: { $var: 'score' } },
      next: 'thanks',
    },
    thanks: { kind: 'message', key: 'trainings.thanks', next: 'end' },
  },
})
