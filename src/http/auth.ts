import type { FastifyInstance } from 'fastify'
import type { AuthService } from '../modules/auth/index.js'
import type { PortalAuthService } from '../modules/portal/index.js'
import { can } from '../shared/actor.js'
import { MEMBER_COOKIE, SESSION_COOKIE } from '../shared/http/request.js'
import { errorBody } from './errors.js'

/**
 * Central authentication and authorisation: every /api route must declare `permission`,
 * `authenticated`, `member` or `public`, or the server refuses to start. A member's route reads
 * only the member's cookie, every other route only staff's (or a till's key).
 */
export const registerAuth = (app: FastifyInstance, services: { auth: AuthService; portalAuth: PortalAuthService }) => {
  app.decorateRequest('actor', null)
  app.decorateRequest('member', null)

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return
    const c = route.config as { permission?: string; authenticated?: boolean; public?: boolean; member?: boolean } | undefined
    if (!c?.permission && !c?.authenticated && !c?.public && !c?.member) {
      throw new Error(`route ${route.method} ${route.url} declares no permission`)
    }
    if (c?.member && (c.permission || c.authenticated || c.public)) throw new Error(`route ${route.method} ${route.url}: a member's route is for members only`)
  })

  app.addHook('onRequest', async (req, reply) => {
    const config = req.routeOptions.config
    if (!req.routeOptions.url?.startsWith('/api/') || config.public) return
    if (config.member) {
      const token = req.cookies[MEMBER_COOKIE]
      req.member = token ? await services.portalAuth.authenticate(token) : null
      if (!req.member) return reply.code(401).send(errorBody('AUTH_MEMBER_REQUIRED', 'sign in on the member page first'))
      return
    }
    const ip = req.ip ?? null
    const auth = req.headers.authorization
    if (auth?.startsWith('Bearer ')) {
      req.actor = await services.auth.authenticatePosKey(auth.slice(7).trim(), ip)
      if (!req.actor) return reply.code(401).send(errorBody('AUTH_INVALID_KEY', 'the API key is unknown or revoked'))
    } else {
      const token = req.cookies[SESSION_COOKIE]
      req.actor = token ? await services.auth.authenticateSession(token, ip) : null
      if (!req.actor) return reply.code(401).send(errorBody('AUTH_REQUIRED', 'sign in first'))
    }
    // Required to set up two-factor sign-in first: only their own account's routes are open.
    if (req.actor.kind === 'staff' && req.actor.twoFactorSetupRequired && !config.authenticated) {
      return reply.code(403).send(errorBody('AUTH_TWO_FACTOR_SETUP_REQUIRED', 'the chain requires two-factor sign-in: set it up first (POST /api/v1/auth/two-factor/setup)'))
    }
    if (config.permission && !can(req.actor, config.permission)) {
      return reply.code(403).send(errorBody('FORBIDDEN', `your role may not ${config.permission}`))
    }
  })
}
