import { z } from 'zod'
import type { Prisma } from '../../generated/sqlite/index.js'
import { channelSchema } from '../messages.ts'

export const groupRoleSchema = z.enum(['presidenta', 'secretaria', 'tesorera', 'miembro'])
export const countrySchema = z.enum(['BO', 'PA'])

/**
 * A broadcast's segment: every filter narrows it (AND); a list filter matches any of its values.
 * Stored as JSON in Broadcast.audience.
 */
export const audienceSchema = z.object({
  country: countrySchema.optional(),
  regionIds: z.array(z.string().min(1).max(40)).max(200).default([]),
  rubroIds: z.array(z.string().min(1).max(80)).max(200).default([]),
  phaseIds: z.array(z.string().min(1).max(80)).max(200).default([]),
  channel: channelSchema.optional(),
  trainingId: z.string().min(1).max(80).optional(),
  groupRole: groupRoleSchema.optional(),
  /**
   * WhatsApp contacts only: send only to women who have written to Minka before. Minka runs on
   * an ordinary WhatsApp account, not the Business API; WhatsApp bans numbers that mass-message
   * people who never wrote to them (they report it as spam). On by default; turning it off is a
   * deliberate staff choice. Telegram bots cannot write first anyway, so it changes nothing there.
   */
  onlyWhoWrote: z.boolean().default(true),
})
export type Audience = z.infer<typeof audienceSchema>

/**
 * The contacts a segment reaches. Whatever the filters say, it ALWAYS leaves out women who said
 * BAJA, were erased, cannot be reached, or never gave consent.
 */
export function audienceWhere(audience: Audience): Prisma.ContactWhereInput {
  const and: Prisma.ContactWhereInput[] = [
    { optedOutAt: null, erasedAt: null, unreachableAt: null, consentAt: { not: null } },
  ]
  if (audience.country) and.push({ country: audience.country })
  if (audience.regionIds.length > 0) and.push({ regionId: { in: audience.regionIds } })
  if (audience.channel) and.push({ channel: audience.channel })
  if (audience.rubroIds.length > 0 || audience.phaseIds.length > 0 || audience.groupRole) {
    // one membership must match every group filter (not one group per filter)
    const group: Prisma.GroupWhereInput = {}
    if (audience.rubroIds.length > 0) group.rubroId = { in: audience.rubroIds }
    if (audience.phaseIds.length > 0) group.currentPhaseId = { in: audience.phaseIds }
    and.push({
      memberships: {
        some: { ...(audience.groupRole ? { role: audience.groupRole } : {}), group },
      },
    })
  }
  if (audience.trainingId) {
    and.push({
      registrations: { some: { trainingId: audience.trainingId, status: 'registered' } },
    })
  }
  if (audience.onlyWhoWrote) {
    and.push({ OR: [{ channel: { not: 'whatsapp' } }, { lastInboundAt: { not: null } }] })
  }
  return { AND: and }
}

/** Reads a stored audience (Broadcast.audience). */
export function parseAudience(json: string): Audience {
  return audienceSchema.parse(JSON.parse(json))
}
