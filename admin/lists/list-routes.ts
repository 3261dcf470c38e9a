import { randomUUID } from 'node:crypto'
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import type { Db } from '../../app/db/open.ts'
import { HttpError } from '../../app/http/http-error.ts'
import { renderPage } from '../admin-context.ts'
import { adminOnly, currentStaff } from '../auth/access.ts'
import { audit } from '../audit/audit.ts'
import {
  LIST_PAGE_SIZE,
  listKindSchema,
  newRubroId,
  partnerForm,
  partnerKinds,
  referencesTo,
  regionCreateForm,
  regionForm,
  regionKinds,
  rubroForm,
  seededIds,
  type ListKind,
} from './list-kinds.ts'

const ENTITY: Record<ListKind, string> = { rubros: 'Rubro', regions: 'Region', partners: 'Partner' }
const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) })
const activeBody = z.object({ active: z.enum(['0', '1']) })

/**
 * The editable lists (issue 9): rubros, regions and partner institutions, admins only. An entry
 * something points at (a group, a case, a referral…) is deactivated instead of deleted: the bot
 * and the forms stop offering it, the records keep their meaning.
 */
export function listRoutes(deps: { db: Db; now: () => Date }): Router {
  const { db, now } = deps
  const router = Router()
  router.use('/lists', adminOnly)

  const kindOf = (req: Request): ListKind => {
    const kind = listKindSchema.safeParse(req.params.kind)
    if (!kind.success) throw new HttpError(404, 'admin.errors.not_found')
    return kind.data
  }

  const rowsOf = async (kind: ListKind, skip: number) => {
    const page = { skip, take: LIST_PAGE_SIZE + 1 }
    switch (kind) {
      case 'rubros':
        return db.rubro.findMany({ orderBy: { nameEs: 'asc' }, ...page })
      case 'regions':
        return db.region.findMany({ orderBy: [{ country: 'asc' }, { name: 'asc' }], ...page })
      case 'partners':
        return db.partner.findMany({ orderBy: [{ country: 'asc' }, { name: 'asc' }], ...page })
    }
  }

  const show = async (res: Response, kind: ListKind, page: number, error?: string) => {
    const rows = await rowsOf(kind, (page - 1) * LIST_PAGE_SIZE)
    const more = rows.length > LIST_PAGE_SIZE
    renderPage(
      res,
      'lists/lists',
      {
        kind,
        rows: rows.slice(0, LIST_PAGE_SIZE),
        page,
        more,
        seeded: seededIds(kind),
        regionKinds,
        partnerKinds,
        error,
        done: typeof res.req.query.done === 'string' ? res.req.query.done : undefined,
      },
      error ? 400 : 200,
    )
  }

  router.get('/lists', (_req, res) => res.redirect(303, '/admin/lists/rubros'))

  router.get('/lists/:kind', async (req, res) => {
    await show(res, kindOf(req), pageQuery.parse(req.query).page)
  })

  router.post('/lists/:kind', async (req, res) => {
    const staff = currentStaff(res.locals)
    const kind = kindOf(req)
    const entry = await newEntry(db, kind, req.body)
    if (typeof entry === 'string') return show(res, kind, 1, entry)
    await db.$transaction(async (tx) => {
      if (entry.kind === 'rubros') await tx.rubro.create({ data: entry.data })
      else if (entry.kind === 'regions') await tx.region.create({ data: entry.data })
      else await tx.partner.create({ data: entry.data })
      await audit(
        tx,
        {
          staff,
          action: 'list.create',
          entity: ENTITY[kind],
          entityId: entry.data.id,
          after: entry.data,
          ip: req.ip,
        },
        now(),
      )
    })
    res.redirect(303, `/admin/lists/${kind}?done=created`)
  })

  router.post('/lists/:kind/:id', async (req, res) => {
    const staff = currentStaff(res.locals)
    const kind = kindOf(req)
    const id = String(req.params.id)
    if (seededIds(kind).has(id)) throw new HttpError(409, 'admin-groups.lists.seeded')
    const before = await find(db, kind, id)
    const schema = kind === 'rubros' ? rubroForm : kind === 'regions' ? regionForm : partnerForm
    const form = schema.safeParse(req.body)
    if (!form.success) return show(res, kind, 1, 'admin-groups.lists.invalid')
    await db.$transaction(async (tx) => {
      if (kind === 'rubros') {
        await tx.rubro.update({ where: { id }, data: form.data as z.infer<typeof rubroForm> })
      } else if (kind === 'regions') {
        await tx.region.update({ where: { id }, data: form.data as z.infer<typeof regionForm> })
      } else {
        await tx.partner.update({ where: { id }, data: form.data as z.infer<typeof partnerForm> })
      }
      await audit(
        tx,
        {
          staff,
          action: 'list.update',
          entity: ENTITY[kind],
          entityId: id,
          before,
          after: form.data,
          ip: req.ip,
        },
        now(),
      )
    })
    res.redirect(303, `/admin/lists/${kind}?done=saved`)
  })

  router.post('/lists/:kind/:id/active', async (req, res) => {
    const staff = currentStaff(res.locals)
    const kind = kindOf(req)
    const id = String(req.params.id)
    const before = await find(db, kind, id)
    const active = activeBody.parse(req.body).active === '1'
    await db.$transaction(async (tx) => {
      await setActive(tx, kind, id, active)
      await audit(
        tx,
        {
          staff,
          action: active ? 'list.activate' : 'list.deactivate',
          entity: ENTITY[kind],
          entityId: id,
          before: { active: before.active },
          after: { active },
          ip: req.ip,
        },
        now(),
      )
    })
    res.redirect(303, `/admin/lists/${kind}?done=${active ? 'activated' : 'deactivated'}`)
  })

  router.post('/lists/:kind/:id/delete', async (req, res) => {
    const staff = currentStaff(res.locals)
    const kind = kindOf(req)
    const id = String(req.params.id)
    const before = await find(db, kind, id)
    const used = await referencesTo(db, kind, id)
    // the seed would bring a deleted content row back at the next start: switch it off instead
    const keep = used > 0 || seededIds(kind).has(id)
    await db.$transaction(async (tx) => {
      if (keep) await setActive(tx, kind, id, false)
      else if (kind === 'rubros') await tx.rubro.delete({ where: { id } })
      else if (kind === 'regions') await tx.region.delete({ where: { id } })
      else await tx.partner.delete({ where: { id } })
      await audit(
        tx,
        {
          staff,
          action: keep ? 'list.deactivate' : 'list.delete',
          entity: ENTITY[kind],
          entityId: id,
          before,
          after: keep ? { active: false, references: used } : null,
          ip: req.ip,
        },
        now(),
      )
    })
    res.redirect(303, `/admin/lists/${kind}?done=${keep ? 'deactivated' : 'deleted'}`)
  })

  return router
}

type NewEntry =
  | { kind: 'rubros'; data: { id: string; nameEs: string; nameEn: string } }
  | { kind: 'regions'; data: { id: string; country: string; kind: string; name: string } }
  | { kind: 'partners'; data: { id: string; country: string; kind: string; name: string } }

/** The posted form as a new row, or the message key of what is wrong with it. */
async function newEntry(db: Db, kind: ListKind, body: unknown): Promise<NewEntry | string> {
  if (kind === 'rubros') {
    const form = rubroForm.safeParse(body)
    if (!form.success) return 'admin-groups.lists.invalid'
    return { kind, data: { id: await newRubroId(db, form.data.nameEs), ...form.data } }
  }
  if (kind === 'regions') {
    const form = regionCreateForm.safeParse(body)
    if (!form.success) return 'admin-groups.lists.invalid'
    if (await db.region.findUnique({ where: { id: form.data.id } })) {
      return 'admin-groups.lists.exists'
    }
    return { kind, data: { ...form.data, country: form.data.id.slice(0, 2) } }
  }
  const form = partnerForm.safeParse(body)
  if (!form.success) return 'admin-groups.lists.invalid'
  return { kind, data: { id: randomUUID(), ...form.data } }
}

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0]

async function find(db: Db, kind: ListKind, id: string): Promise<{ active: boolean }> {
  const row =
    kind === 'rubros'
      ? await db.rubro.findUnique({ where: { id } })
      : kind === 'regions'
        ? await db.region.findUnique({ where: { id } })
        : await db.partner.findUnique({ where: { id } })
  if (!row) throw new HttpError(404, 'admin.errors.not_found')
  return row
}

async function setActive(tx: Tx, kind: ListKind, id: string, active: boolean): Promise<void> {
  if (kind === 'rubros') await tx.rubro.update({ where: { id }, data: { active } })
  else if (kind === 'regions') await tx.region.update({ where: { id }, data: { active } })
  else await tx.partner.update({ where: { id }, data: { active } })
}
