import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Express } from 'express'
import fc from 'fast-check'
import { adminTestApp, createCase, createStaff, signIn } from '../../admin/admin-test-kit.ts'
import { ROOT } from '../support/prisma-cli.ts'
import { fuzzText } from './fuzz-text.ts'

export type Route = { method: 'get' | 'post'; path: string }

/**
 * Every route the panel mounts, read from the Express router itself, so a route another
 * feature adds tomorrow is fuzzed without touching this file.
 */
export function adminRoutes(app: Express): Route[] {
  const out: Route[] = []
  type Layer = {
    route?: { path: string; methods: Record<string, boolean> }
    handle?: { stack?: Layer[] }
    rawPath?: unknown
  }
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method === 'get' || method === 'post')
            out.push({ method, path: `${prefix}${layer.route.path}` })
        }
      } else if (layer.handle?.stack) {
        const mount =
          typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''
        walk(layer.handle.stack, prefix + mount)
      }
    }
  }
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '')
  return out
}

/** The field names the panel's forms use (every `name="…"` in the views), plus query keys. */
export function adminFieldNames(): string[] {
  const names = new Set(['cursor', 'page', 'tab', 'lang', 'saved', 'mine', 'unassigned', 'id'])
  names.add('sla_legal').add('sla_general').add('sla_training')
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(file)
      else if (entry.name.endsWith('.eta')) {
        for (const m of readFileSync(file, 'utf8').matchAll(/name="([\w-]+)"/g)) names.add(m[1]!)
      }
    }
  }
  walk(path.join(ROOT, 'admin', 'views'))
  names.delete('_csrf')
  names.delete('viewport')
  return [...names].sort()
}

// Routes that would end the fuzzing session itself rather than test input handling.
const SKIP = new Set(['post /admin/login', 'post /admin/logout', 'post /admin/account/password'])

export type AdminFuzz = Awaited<ReturnType<typeof startAdminFuzz>>

/** The panel on a fresh database with a case, a canned reply and staff; signed in as admin. */
export async function startAdminFuzz() {
  const kit = await adminTestApp()
  const { db } = kit
  const caseId = await createCase(db, { regionId: 'BO-LP' })
  const agentId = await createStaff(db, 'agent@test.local', 'agent', ['BO-LP'])
  const admin = await signIn(kit.app, 'admin@test.local')
  const csrf = await admin.csrf()
  const self = await db.staff.findFirstOrThrow({ where: { email: 'admin@test.local' } })
  const routes = adminRoutes(kit.app).filter((r) => !SKIP.has(`${r.method} ${r.path}`))
  const fields = adminFieldNames()
  const ids = async () => {
    const [broadcasts, canned, cases] = await Promise.all([
      db.broadcast.findMany({ select: { id: true }, take: 5 }),
      db.cannedReply.findMany({ select: { id: true }, take: 5 }),
      db.case.findMany({ select: { id: true }, take: 5 }),
    ])
    return [
      String(caseId),
      agentId,
      ...cases.map((c) => String(c.id)),
      ...broadcasts.map((b) => String(b.id)),
      ...canned.map((c) => String(c.id)),
    ]
  }
  return { kit, routes, fields, admin, csrf, selfId: self.id, ids, cleanup: kit.cleanup }
}

const value = fc.oneof(
  { weight: 4, arbitrary: fuzzText },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '', '0', '-1', '1', '1e309', 'NaN', 'Infinity', '99999999999999999999', '0x10', '1.5',
      'true', 'false', 'null', 'undefined', '[]', '{}', '__proto__', 'constructor',
      'open', 'pending', 'closed', 'high', 'urgent', 'admin', 'agent', 'viewer', 'es', 'en', 'qu',
      'BO', 'PA', 'BO-LP', 'PA-8', 'web', 'telegram', 'whatsapp', 'legal', 'now', 'later',
      '2026-13-45', '2026-03-02', '2026-03-02T25:61', '23:59', '24:00', '9999-12-31T23:59',
      'America/La_Paz', 'Mars/Olympus', 'a@b', 'admin@test.local', '%00', '\u0000', '../../etc',
    ), // prettier-ignore
  },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.constant('x'.repeat(5000)) },
)

/** `key=value` pairs, with repeated keys (Express turns them into arrays) and odd keys. */
function pairs(fields: string[]) {
  const key = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...fields) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.constantFrom('a[b]', '__proto__', 'a.b', '[]', '') },
  )
  return fc.array(fc.tuple(key, value), { maxLength: 8 })
}

function encode(list: [string, string][]): string {
  // a lone surrogate cannot be percent-encoded: a browser would send U+FFFD instead
  const e = (s: string) =>
    encodeURIComponent(
      s.replace(
        /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
        '\uFFFD',
      ),
    )
  return list.map(([k, v]) => `${e(k)}=${e(v)}`).join('&')
}

export type FuzzRequest = { route: Route; id: string; pairs: [string, string][]; json: boolean }

export function requestArbitrary(f: AdminFuzz, ids: string[]): fc.Arbitrary<FuzzRequest> {
  return fc.record({
    route: fc.constantFrom(...f.routes),
    id: fc.oneof(fc.constantFrom(...ids), fc.constantFrom('0', '-1', 'x', '1e3', '%2e%2e', '')),
    pairs: pairs(f.fields),
    json: fc.boolean(),
  })
}

/** Sends one fuzzed request; returns its status and body text. */
export async function send(f: AdminFuzz, r: FuzzRequest) {
  // never disable or reset the signed-in admin: later requests would stop testing anything
  const target = r.route.path.startsWith('/admin/staff/') && r.id === f.selfId ? 'x' : r.id
  const url = r.route.path.replace(/:\w+/g, encodeURIComponent(target) || 'x')
  const body = encode(r.pairs)
  const accept = r.json ? 'application/json' : 'text/html'
  const res =
    r.route.method === 'get'
      ? await f.admin.agent.get(body ? `${url}?${body}` : url).set('accept', accept)
      : await f.admin.agent
          .post(url)
          .type('form')
          .set('accept', accept)
          .send(body ? `_csrf=${encodeURIComponent(f.csrf)}&${body}` : `_csrf=${f.csrf}`)
  return { status: res.status, text: res.text, url, body }
}

/** The property: any route, any query string or form body, signed in as admin: below 500. */
export async function checkAdminRoutes(
  f: AdminFuzz,
  params: { numRuns: number; seed?: number },
): Promise<number> {
  const ids = await f.ids()
  let sent = 0
  await fc.assert(
    fc.asyncProperty(requestArbitrary(f, ids), async (r) => {
      const res = await send(f, r)
      sent++
      if (res.status >= 500) {
        throw new Error(`${res.status} for ${r.route.method} ${res.url} ${res.body.slice(0, 300)}`)
      }
      // a fuzzed request must not sign the admin out: later ones would test nothing
      if (res.status === 302 || res.status === 303) {
        if (/\/admin\/login/.test(res.text)) throw new Error(`signed out by ${res.url}`)
      }
    }),
    params,
  )
  return sent
}
