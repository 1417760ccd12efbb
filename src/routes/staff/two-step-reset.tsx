import { Hono } from 'hono'
import { actorOf, type AppContext, type AppEnv } from '../../http/env'
import { readForm } from '../../http/form'
import { fullName } from '../../text/format'
import { resetTwoStep } from '../../two-step/two-step'
import { askToConfirm, isConfirmed } from '../confirm'
import { answer, info, onTab, staffIdOf, staffOf, TAB } from './portal-tab'
import { notFound } from './shared'

// Reset Two-Step Sign-In on the Staff Portal tab, for a person who lost every factor.

const twoStepResetQuestion = (c: AppContext, person: { firstName: string; lastName: string }) =>
  onTab(c, {
    question: `Reset Two-Step Sign-In for ${fullName(person)}?`,
    consequence:
      'Their authenticator app, passkeys and recovery codes are removed, and they are signed out everywhere. They are emailed about it, and log in next with their password alone (then set up two-step sign-in again). Do this only once you are sure it is them asking.',
    label: 'Reset Two-Step Sign-In',
    fields: [],
    tone: 'danger',
  })

/** The confirmation as a page of its own, for a link or a form without script. */
async function showTwoStepReset(c: AppContext) {
  const profile = await staffOf(c)
  if (!profile?.account) return notFound(c)
  return askToConfirm(c, { ...twoStepResetQuestion(c, profile.staff), action: c.req.path })
}

async function postTwoStepReset(c: AppContext) {
  if (!isConfirmed(await readForm(c))) {
    const profile = await staffOf(c)
    if (!profile?.account) return notFound(c)
    return askToConfirm(c, twoStepResetQuestion(c, profile.staff))
  }
  const actor = actorOf(c)
  const result = await resetTwoStep(c.get('deps'), { admin: actor, staffId: staffIdOf(c), ip: actor.ip })
  if (!result.ok) return notFound(c)
  return answer(c, {
    message: info('Two-step sign-in was reset: their factors and recovery codes are gone and they were signed out. We emailed them.'),
  })
}

export function twoStepResetRoutes() {
  const app = new Hono<AppEnv>()
  app.get(`${TAB}/two-step/reset`, showTwoStepReset)
  app.post(`${TAB}/two-step/reset`, postTwoStepReset)
  return app
}
