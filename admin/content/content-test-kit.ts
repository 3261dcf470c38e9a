import type { i18n } from 'i18next'
import request from 'supertest'
import { createHttpApp } from '../../app/http/server.ts'
import { createI18n } from '../../app/i18n.ts'
import { startTestBot, type TestBot } from '../../test/support/test-bot.ts'
import { adminRouter } from '../admin-router.ts'
import { createStaff, signIn } from '../admin-test-kit.ts'

export type Role = 'admin' | 'agent' | 'viewer'
type Session = Awaited<ReturnType<typeof signIn>>

/**
 * The admin panel and the bot on one seeded database and one i18next instance, as
 * `npm start` runs them: what staff change in the panel is what she reads next. Staff of
 * every role (the agent and the viewer work in BO-LP).
 */
export async function contentTestApp() {
  const i18n: i18n = await createI18n()
  const bot: TestBot = await startTestBot({ runtime: { i18n } })
  const db = bot.database.db
  const app = createHttpApp(
    [
      adminRouter({
        db,
        i18n,
        logger: bot.logger,
        wakeDispatcher: () => undefined,
        channelHealth: () => ({ web: { state: 'up' } }),
        attachments: { read: async () => Buffer.from('') },
        sessionIdleMinutes: 60,
      }),
    ],
    bot.logger,
  )
  await createStaff(db, 'agent@test.local', 'agent', ['BO-LP'])
  await createStaff(db, 'viewer@test.local', 'viewer', ['BO-LP'])
  const as = {} as Record<Role, Session>
  for (const role of ['admin', 'agent', 'viewer'] as const) {
    as[role] = await signIn(app, `${role}@test.local`)
  }
  const post = async (who: Role, path: string, body: Record<string, unknown>) =>
    as[who].agent
      .post(path)
      .type('form')
      .send({ _csrf: await as[who].csrf(), ...body })
  const get = (who: Role, path: string) => as[who].agent.get(path)
  /** A woman past onboarding: consent, Spanish (or `language`), her country. */
  const onboard = async (userId: string, country: 'BO' | 'PA' = 'BO', language = '1') => {
    await bot.say(userId, 'hola')
    await bot.say(userId, '1')
    await bot.say(userId, language)
    await bot.say(userId, country === 'BO' ? '1' : '2')
  }
  return {
    app,
    db,
    i18n,
    bot,
    as,
    post,
    get,
    onboard,
    anonymous: () => request.agent(app),
    close: () => bot.close(),
  }
}
