import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fuzzParams, NPM_TEST_SEED } from './fuzz-text.ts'
import { checkAdminRoutes, send, startAdminFuzz, type AdminFuzz } from './admin-fuzz.ts'

// A few hundred requests here; the fault suite sends 10,000 (test/faults/fuzz.test.ts).
let f: AdminFuzz
beforeAll(async () => {
  f = await startAdminFuzz()
})
afterAll(() => f.cleanup())

describe('admin forms and query strings, fuzzed', () => {
  it('finds the panel’s routes, forms included', () => {
    const names = f.routes.map((r) => `${r.method} ${r.path}`)
    expect(names).toContain('get /admin/cases')
    expect(names).toContain('post /admin/cases/:id/reply')
    expect(names).toContain('post /admin/broadcasts')
    expect(f.fields).toContain('text_es')
  })

  it('names the invalid field in a 400, as HTML and as JSON', async () => {
    const reply = f.routes.find((r) => r.path === '/admin/cases/:id/reply')!
    const [caseId] = await f.ids()
    const html = await send(f, { route: reply, id: caseId!, pairs: [], json: false })
    expect(html.status).toBe(400)
    expect(html.text).toContain('Revise estos datos del formulario: text.')
    const json = await send(f, { route: reply, id: caseId!, pairs: [['text', ''], ['text', 'a']], json: true }) // prettier-ignore
    expect(json.status).toBe(400)
    expect(JSON.parse(json.text)).toEqual({
      error: 'admin.errors.invalid_fields',
      fields: ['text'],
    })
    const status = f.routes.find((r) => r.path === '/admin/cases/:id/status')!
    const bad = await send(f, { route: status, id: caseId!, pairs: [['status', 'nonsense']], json: true }) // prettier-ignore
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.text).fields).toEqual(['status'])
    // the inbox's filters fall back to "no filter" by design: a bad query string is no error
    const inbox = f.routes.find((r) => r.path === '/admin/cases')!
    const query = await send(f, { route: inbox, id: '', pairs: [['status', 'nonsense']], json: false }) // prettier-ignore
    expect(query.status).toBe(200)
  })

  it('answers every route, any query string or form body, below 500', async () => {
    const params = fuzzParams(200, NPM_TEST_SEED)
    expect(await checkAdminRoutes(f, params)).toBeGreaterThanOrEqual(params.numRuns)
  }, 120_000)
})
