import type { Response } from 'express'
import type { Broadcast } from '../../generated/sqlite/index.js'
import type { Db } from '../../app/db/open.ts'
import { HttpError } from '../../app/http/http-error.ts'
import type { CurrentStaff } from '../admin-context.ts'
import { currentStaff, regionScope } from '../auth/access.ts'
import { parseAudience, type Audience } from '../../bot/broadcasts/audience.ts'

/** Agents and viewers work only on their regions: a broadcast must name only those. */
export function inScope(staff: CurrentStaff, audience: Audience): boolean {
  const scope = regionScope(staff)
  if (!scope) return true
  return audience.regionIds.length > 0 && audience.regionIds.every((r) => scope.includes(r))
}

/** The broadcast named in the URL, if this staff member may see it (else 404). */
export async function loadBroadcast(db: Db, res: Response, id: string): Promise<Broadcast> {
  const b = await db.broadcast.findUnique({ where: { id } })
  if (!b || !inScope(currentStaff(res.locals), parseAudience(b.audience))) {
    throw new HttpError(404, 'admin.errors.not_found')
  }
  return b
}
