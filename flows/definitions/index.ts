import type { FlowDefinition } from '../define-flow.ts'
import { advice } from './advice.ts'
import { coop } from './coop.ts'
import { faq } from './faq.ts'
import { formation } from './formation.ts'
import { group, join } from './group.ts'
import { handoff } from './handoff.ts'
import { info } from './info.ts'
import { menu } from './menu.ts'
import { mycases } from './mycases.ts'
import { onboarding } from './onboarding.ts'
import { erase, help, optin, optout } from './privacy.ts'
import { requirements } from './requirements.ts'
import { country, language, mydata } from './settings.ts'
import { trainings } from './trainings.ts'

/** Every flow Minka runs; `loadFlows` validates and checks them at start-up. */
export const flowDefinitions: readonly FlowDefinition[] = [
  onboarding,
  info,
  menu,
  advice,
  handoff,
  language,
  country,
  mydata,
  optout,
  optin,
  erase,
  help,
  group,
  join,
  requirements,
  trainings,
  mycases,
  coop,
  formation,
  faq,
]
