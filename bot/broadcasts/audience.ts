import { z } from 'zod'
import { Prisma } from '../../generated/sqlite/index.js'
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
  /** Group.municipality of one of her groups (exact names, as the groups page shows them). */
  municipalities: z.array(z.string().trim().min(1).max(120)).max(200).default([]),
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
  if (audience.regionIds.length > 0) {
    // her own region, or the region of one of her groups ("one region's groups")
    and.push({
      OR: [
        { regionId: { in: audience.regionIds } },
        { memberships: { some: { group: { regionId: { in: audience.regionIds } } } } },
      ],
    })
  }
  if (audience.channel) and.push({ channel: audience.channel })
  if (
    audience.rubroIds.length > 0 ||
    audience.phaseIds.length > 0 ||
    audience.municipalities.length > 0 ||
    audience.groupRole
  ) {
    // one membership must match every group filter (not one group per filter)
    const group: Prisma.GroupWhereInput = {}
    if (audience.rubroIds.length > 0) group.rubroId = { in: audience.rubroIds }
    if (audience.phaseIds.length > 0) group.currentPhaseId = { in: audience.phaseIds }
    if (audience.municipalities.length > 0) group.municipality = { in: audience.municipalities }
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

/**
 * The same segment as a SQL condition on `"Contact" c`, for the count and for materialising
 * with INSERT … SELECT (no contact list passes through the process). Built with Prisma.sql
 * (one runtime) so it works on both clients; the tests check it against audienceWhere.
 */
export function audienceSql(audience: Audience): Prisma.Sql {
  const and: Prisma.Sql[] = [
    Prisma.sql`c."optedOutAt" IS NULL AND c."erasedAt" IS NULL AND c."unreachableAt" IS NULL AND c."consentAt" IS NOT NULL`,
  ]
  const member = (conditions: Prisma.Sql[]) =>
    Prisma.sql`EXISTS (SELECT 1 FROM "GroupMember" m JOIN "Group" g ON g."id" = m."groupId"
      WHERE m."contactId" = c."id" AND ${Prisma.join(conditions, ' AND ')})`
  if (audience.country) and.push(Prisma.sql`c."country" = ${audience.country}`)
  if (audience.regionIds.length > 0) {
    const regions = Prisma.join(audience.regionIds)
    and.push(
      Prisma.sql`(c."regionId" IN (${regions}) OR ${member([Prisma.sql`g."regionId" IN (${regions})`])})`,
    )
  }
  if (audience.channel) and.push(Prisma.sql`c."channel" = ${audience.channel}`)
  const group: Prisma.Sql[] = []
  if (audience.groupRole) group.push(Prisma.sql`m."role" = ${audience.groupRole}`)
  if (audience.rubroIds.length > 0)
    group.push(Prisma.sql`g."rubroId" IN (${Prisma.join(audience.rubroIds)})`)
  if (audience.phaseIds.length > 0)
    group.push(Prisma.sql`g."currentPhaseId" IN (${Prisma.join(audience.phaseIds)})`)
  if (audience.municipalities.length > 0)
    group.push(Prisma.sql`g."municipality" IN (${Prisma.join(audience.municipalities)})`)
  if (group.length > 0) and.push(member(group))
  if (audience.trainingId) {
    and.push(Prisma.sql`EXISTS (SELECT 1 FROM "TrainingRegistration" t
      WHERE t."contactId" = c."id" AND t."trainingId" = ${audience.trainingId} AND t."status" = 'registered')`)
  }
  if (audience.onlyWhoWrote) {
    and.push(Prisma.sql`(c."channel" <> 'whatsapp' OR c."lastInboundAt" IS NOT NULL)`)
  }
  return Prisma.join(and, ' AND ')
}

/** Reads a stored audience (Broadcast.audience). */
export function parseAudience(json: string): Audience {
  return audienceSchema.parse(JSON.parse(json))
}
