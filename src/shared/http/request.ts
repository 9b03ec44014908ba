import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Actor } from '../actor.js'
import type { Permission } from '../permissions.js'

// What a module's route plugin may use of the HTTP edge. It lives here, not in src/http, so
// that a module's *.routes.ts never imports the adapter that registers it (src/http/app.ts
// imports every plugin; the reverse import would be a cycle).

/** The Fastify instance a route plugin receives: TypeBox schemas type params, body and replies. */
export type TypedApp = ReturnType<typeof typedApp>
export const typedApp = (app: FastifyInstance) => app.withTypeProvider<TypeBoxTypeProvider>()

export const SESSION_COOKIE = 'patron_session'
/** The member's page's session cookie: apart from staff's (a staff cookie opens no /me route, a member's no staff route). */
export const MEMBER_COOKIE = 'patron_member'

/** The signed-in member of a member's-page request (their id from the session, never from the request). */
export interface MemberOfRequest {
  memberId: string
  sessionId: string
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null
    member: MemberOfRequest | null
  }
  interface FastifyContextConfig {
    /** The permission a route needs; checked by src/http/auth.ts, never in handlers. */
    permission?: Permission
    /** Any signed-in actor may call it (their own session, logout). */
    authenticated?: boolean
    /** No sign-in at all (login, health). */
    public?: boolean
    /** The member's own page: a signed-in member (their cookie), no staff or till. */
    member?: boolean
  }
}

/** The signed-in member of a `member` route. */
export const memberOf = (req: FastifyRequest): MemberOfRequest => {
  if (!req.member) throw new Error(`route ${req.routeOptions.url} used memberOf without a member`)
  return req.member
}

/** The signed-in actor of a request that passed the permission check. */
export const actorOf = (req: FastifyRequest): Actor => {
  if (!req.actor) throw new Error(`route ${req.routeOptions.url} used actorOf without authentication`)
  return req.actor
}
