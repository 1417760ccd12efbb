import { Hono, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import { secureHeaders } from 'hono/secure-headers'
import { isProduction } from './config'
import type { Deps } from './deps'
import { noClientIp, type ClientIp } from './http/client-ip'
import { runDetached, type Defer } from './http/defer'
import type { AppEnv } from './http/env'
import { holdForTwoStepSetup, loadSession } from './http/guards'
import { pickLocale } from './http/locale'
import { pageLayout, pageMessagesOf, renderMessage } from './http/render'
import { isDatabaseBusy } from './db-busy'
import { requestLog } from './http/request-log'
import { recordCsrfRefusal, recordRefusedAccess } from './http/security-events'
import { healthzRoutes } from './routes/healthz'
import { activityRoutes } from './routes/activity'
import { authRoutes } from './routes/auth'
import { devOutboxRoutes } from './routes/dev-outbox'
import { inviteRoutes } from './routes/invite'
import { loginEmailRoutes } from './routes/login-email'
import { passwordResetRoutes } from './routes/password-reset'
import { portalRoutes } from './routes/portal'
import { practiceSettingsRoutes } from './routes/practice-settings'
import { staffRoutes } from './routes/staff'
import { IMPORT_PATH } from './routes/staff/import'
import { twoStepRoutes } from './routes/two-step'
import { loginSecondStepRoutes } from './routes/login-second-step'
import { passkeyLoginRoutes } from './routes/passkey-login'

export const MAX_BODY_BYTES = 64 * 1024

/** What differs between hosts: how static files are served and which client address to trust. */
export interface HostAdapters {
  assets?: MiddlewareHandler
  clientIp?: ClientIp
  /** Runs work after the response (waitUntil on Workers), so its time does not show in it. */
  defer?: Defer
}

const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
}

export function createApp(deps: Deps, host: HostAdapters = {}) {
  const clientIp = host.clientIp ?? noClientIp
  const defer = host.defer ?? runDetached(deps.logger)
  const appOrigin = new URL(deps.config.APP_URL).origin
  const app = new Hono<AppEnv>()

  app.use(requestLog(deps.logger))
  app.use(
    secureHeaders({
      contentSecurityPolicy: CONTENT_SECURITY_POLICY,
      strictTransportSecurity: 'max-age=31536000; includeSubDomains',
      // Not no-referrer: under it browsers send `Origin: null` on every form post (Fetch spec), and
      // the CSRF check accepts only APP_URL's origin. same-origin still sends no Referer to any
      // other site, so links with tokens never leave the app.
      referrerPolicy: 'same-origin',
      xFrameOptions: 'DENY',
    }),
  )
  if (host.assets) app.use(host.assets)

  app.use(async (c, next) => {
    c.set('deps', deps)
    c.set('ip', clientIp(c))
    await next()
    // Every page here is personal or carries a token: no shared or browser cache may keep it.
    // (On the response's own headers: c.header() after next() rebuilds the Response, which
    // costs the Node host its fast path for string bodies.)
    c.res.headers.set('Cache-Control', 'no-store')
  })
  app.use(pageLayout)
  // Only a request that can change something carries a body to limit or needs its origin
  // checked (GET, HEAD and OPTIONS never change state here): pages skip both.
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => renderMessage(c, pageMessagesOf(c).pages.tooLarge, 413),
  })
  // Exactly APP_URL's origin: not the Host the request names (any client can set both), and
  // never Sec-Fetch-Site alone (a header only browsers are trusted to set, and not all send).
  const checkOrigin = csrf({ origin: appOrigin, secFetchSite: () => false })
  app.use(async (c, next) => {
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next()
    // Work a change can leave until after its answer (a notice's delivery) goes through the host's defer.
    c.set('deps', { ...deps, later: (task) => defer(c, task) })
    // Import Staff takes a 2 MB file: its route sets its own limit, after the admin guard.
    if (c.req.path === IMPORT_PATH) return checkOrigin(c, next)
    return limitBody(c, async () => {
      // csrf() refuses by throwing (answered by onError below), so it never returns a response.
      await checkOrigin(c, next)
    })
  })
  app.use(loadSession(defer))
  app.use(pickLocale)
  app.use(recordRefusedAccess(defer))
  app.use(holdForTwoStepSetup)

  app.route('/healthz', healthzRoutes())
  app.route('/login/two-step', loginSecondStepRoutes())
  app.route('/login/passkey', passkeyLoginRoutes())
  app.route('/', authRoutes())
  app.route('/staff', staffRoutes(defer))
  app.route('/settings', practiceSettingsRoutes())
  app.route('/invite', inviteRoutes())
  app.route('/login-email', loginEmailRoutes())
  app.route('/activity', activityRoutes())
  app.route('/portal', portalRoutes(defer))
  app.route('/account/two-step', twoStepRoutes())
  app.route('/', passwordResetRoutes(defer))
  if (deps.devMailbox && !isProduction(deps.config)) app.route('/dev', devOutboxRoutes(deps.devMailbox))

  app.notFound((c) => {
    const words = pageMessagesOf(c).pages
    return renderMessage(c, { ...words.notFound, link: { href: '/', label: words.goHome } }, 404)
  })
  app.onError(async (error, c) => {
    if (error instanceof HTTPException && error.status === 403) {
      await recordCsrfRefusal(c).catch((failure: unknown) =>
        deps.logger.error('security event not recorded', { error: failure instanceof Error ? failure.name : typeof failure }),
      )
      return renderMessage(c, pageMessagesOf(c).pages.refused, 403)
    }
    if (error instanceof HTTPException) return error.getResponse()
    // Another connection held the write lock past the busy timeout: nothing was saved, and trying
    // again in a moment works. Not a 500: the app is fine.
    if (isDatabaseBusy(error)) {
      deps.logger.error('database busy', { path: c.req.routePath, method: c.req.method })
      c.header('Retry-After', '5')
      return renderMessage(c, pageMessagesOf(c).pages.busy, 503)
    }
    // Name and code only: a query error's message repeats its parameters, which may be personal data.
    const cause = error instanceof Error && error.cause && typeof error.cause === 'object' ? (error.cause as { code?: unknown }) : {}
    deps.logger.error('unhandled error', {
      path: c.req.routePath,
      method: c.req.method,
      error: error instanceof Error ? error.name : typeof error,
      code: typeof cause.code === 'string' ? cause.code : undefined,
    })
    return renderMessage(c, pageMessagesOf(c).pages.error, 500)
  })
  return app
}

export type App = ReturnType<typeof createApp>
