import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminTestApp, createStaff, csrfOf, PASSWORD, signIn } from '../admin-test-kit.ts'

let kit: Awaited<ReturnType<typeof adminTestApp>>
beforeAll(async () => {
  kit = await adminTestApp({ loginLimits: { perAccount: 4, perIp: 50, lockAfter: 100 } })
  await createStaff(kit.db, 'agent@test.local', 'agent', ['BO-LP'])
})
afterAll(() => kit.cleanup())

const cookieOf = (res: request.Response) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('minka.sid='))

describe('admin sign-in', () => {
  it('sends visitors to the sign-in page, in Spanish, with a strict CSP', async () => {
    const res = await request(kit.app).get('/admin/cases')
    expect(res.status).toBe(303)
    expect(res.headers.location).toMatch(/^\/admin\/login/)
    const page = await request(kit.app).get('/admin/login')
    expect(page.text).toContain('Ingresar a Minka')
    const csp = page.headers['content-security-policy'] as string
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
  })

  it('rotates the session id at sign-in; the cookie is HttpOnly and SameSite=Lax', async () => {
    const agent = request.agent(kit.app)
    const page = await agent.get('/admin/login')
    const before = cookieOf(page)!
    expect(before).toMatch(/HttpOnly/)
    expect(before).toMatch(/SameSite=Lax/)
    const res = await agent
      .post('/admin/login')
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: ' ADMIN@test.local ', password: PASSWORD })
    expect(res.status).toBe(303)
    const after = cookieOf(res)!
    expect(after.split(';')[0]).not.toBe(before.split(';')[0])
    expect((await agent.get('/admin/cases')).status).toBe(200)
    const audit = await kit.db.auditLog.findFirst({ where: { action: 'auth.login' } })
    expect(audit?.actor).toBe('admin@test.local')
  })

  it('rejects a state-changing request without the CSRF token', async () => {
    const { agent } = await signIn(kit.app, 'admin@test.local')
    const res = await agent.post('/admin/account/locale').type('form').send({ locale: 'en' })
    expect(res.status).toBe(403)
    const login = await request(kit.app)
      .post('/admin/login')
      .type('form')
      .send({ email: 'admin@test.local', password: PASSWORD })
    expect(login.status).toBe(403)
  })

  it('audits a failed sign-in and rate-limits an account with a clear message', async () => {
    const agent = request.agent(kit.app)
    const token = csrfOf((await agent.get('/admin/login')).text)
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) {
      const res = await agent
        .post('/admin/login')
        .type('form')
        .send({ _csrf: token, email: 'agent@test.local', password: 'wrong-password-123' })
      statuses.push(res.status)
      if (i === 4) expect(res.text).toContain('Demasiados intentos')
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429])
    const failed = await kit.db.auditLog.count({
      where: { action: 'auth.login_failed', actor: 'agent@test.local' },
    })
    expect(failed).toBe(4)
  })

  it('locks an account after repeated failures (Staff.lockedUntil)', async () => {
    const locked = await adminTestApp({ loginLimits: { lockAfter: 2, perAccount: 100 } })
    try {
      await createStaff(locked.db, 'v@test.local', 'viewer', [])
      const agent = request.agent(locked.app)
      const token = csrfOf((await agent.get('/admin/login')).text)
      const send = (password: string) =>
        agent
          .post('/admin/login')
          .type('form')
          .send({ _csrf: token, email: 'v@test.local', password })
      expect((await send('nope-nope-nope')).status).toBe(401)
      expect((await send('nope-nope-nope')).status).toBe(401)
      const res = await send(PASSWORD)
      expect(res.status).toBe(429)
      expect(res.text).toContain('bloqueada')
    } finally {
      await locked.cleanup()
    }
  })

  it('signs out and changes a password', async () => {
    const { agent, csrf } = await signIn(kit.app, 'admin@test.local')
    const bad = await agent
      .post('/admin/account/password')
      .type('form')
      .send({ _csrf: await csrf(), current: PASSWORD, password: 'short', confirm: 'short' })
    expect(bad.status).toBe(400)
    const out = await agent
      .post('/admin/logout')
      .type('form')
      .send({ _csrf: await csrf() })
    expect(out.status).toBe(303)
    expect((await agent.get('/admin/cases')).status).toBe(303)
  })
})
