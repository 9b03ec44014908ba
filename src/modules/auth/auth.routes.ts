import { Type } from 'typebox'
import { SESSION_COOKIE, actorOf, type TypedApp } from '../../shared/http/request.js'
import { IdParams, errors } from '../../shared/http/schemas.js'
import { can } from '../../shared/actor.js'
import { PERMISSIONS } from '../../shared/permissions.js'
import {
  ChangePasswordBody, CreatePosKeyBody, CreateUserBody, CreatedPosKeySchema, ListUsersQuery, LoginBody, PosKeySchema,
  ResetPasswordBody, SessionSchema, StaffUserSchema, UpdateUserBody,
} from './auth.schemas.js'
import type { AuthService } from './auth.service.js'

export const authRoutes = (app: TypedApp, { auth, secureCookies = false }: { auth: AuthService; secureCookies?: boolean }) => {
  const tags = ['auth']
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: secureCookies }

  app.post('/auth/login', {
    schema: { tags, summary: 'Sign in; sets the session cookie', body: LoginBody, response: { 200: SessionSchema, ...errors(400, 401, 429) }, security: [] },
    config: { public: true },
  }, async (req, reply) => {
    const { token, user, expiresAt } = await auth.login({ ...req.body, ip: req.ip, userAgent: req.headers['user-agent'] ?? null })
    // A browser-session cookie: the server ends idle sessions itself (12 h, extended while in use).
    void reply.setCookie(SESSION_COOKIE, token, cookieOptions)
    const actor = { kind: 'staff' as const, userId: user.id, username: user.username, role: user.role, storeId: user.storeId }
    return { user, permissions: PERMISSIONS.filter((p) => can(actor, p)), expiresAt }
  })

  app.post('/auth/logout', {
    schema: { tags, summary: 'Sign out', response: { 204: Type.Null(), ...errors(401) } },
    config: { authenticated: true },
  }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE]
    if (token) await auth.logout(token, actorOf(req))
    // The same flags as when it was set: a bare clearing cookie would be sent as a non-HttpOnly,
    // SameSite-less cookie, and a browser may keep the original under other attributes.
    void reply.clearCookie(SESSION_COOKIE, cookieOptions)
    return reply.code(204).send(null)
  })

  app.get('/auth/me', {
    schema: { tags, summary: 'The signed-in staff user and what they may do', response: { 200: SessionSchema, ...errors(401) } },
    config: { authenticated: true },
  }, async (req) => {
    const actor = actorOf(req)
    return { user: await auth.me(actor), permissions: PERMISSIONS.filter((p) => can(actor, p)) }
  })

  app.post('/auth/password', {
    schema: { tags, summary: 'Change my password (ends my other sessions)', body: ChangePasswordBody, response: { 204: Type.Null(), ...errors(400, 401, 422) } },
    config: { authenticated: true },
  }, async (req, reply) => {
    await auth.changePassword(actorOf(req), req.body, req.cookies[SESSION_COOKIE])
    return reply.code(204).send(null)
  })

  const staffTags = ['staff']
  app.get('/staff', {
    schema: { tags: staffTags, summary: 'List staff users (store managers: their store)', querystring: ListUsersQuery, response: { 200: Type.Array(StaffUserSchema), ...errors(400, 401, 403) } },
    config: { permission: 'staff.read' },
  }, async (req) => auth.listUsers(actorOf(req), req.query))

  app.post('/staff', {
    schema: { tags: staffTags, summary: 'Create a staff user', body: CreateUserBody, response: { 201: StaffUserSchema, ...errors(400, 401, 403, 409, 422) } },
    config: { permission: 'staff.manage' },
  }, async (req, reply) => reply.code(201).send(await auth.createUser(actorOf(req), req.body)))

  app.patch('/staff/:id', {
    schema: { tags: staffTags, summary: 'Change role, store, name or status (disable / enable)', params: IdParams, body: UpdateUserBody, response: { 200: StaffUserSchema, ...errors(400, 401, 403, 404, 422) } },
    config: { permission: 'staff.manage' },
  }, async (req) => auth.updateUser(actorOf(req), req.params.id, req.body))

  app.post('/staff/:id/password', {
    schema: { tags: staffTags, summary: "Reset a user's password (ends their sessions)", params: IdParams, body: ResetPasswordBody, response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 422) } },
    config: { permission: 'staff.manage' },
  }, async (req, reply) => {
    await auth.resetPassword(actorOf(req), req.params.id, req.body.password)
    return reply.code(204).send(null)
  })

  const keyTags = ['pos keys']
  app.get('/pos-keys', {
    schema: { tags: keyTags, summary: 'List POS API keys', querystring: Type.Object({ storeId: Type.Optional(Type.String()) }, { additionalProperties: false }), response: { 200: Type.Array(PosKeySchema), ...errors(401, 403) } },
    config: { permission: 'pos_keys.manage' },
  }, async (req) => auth.listPosKeys(actorOf(req), req.query.storeId))

  app.post('/pos-keys', {
    schema: { tags: keyTags, summary: 'Create a POS API key for a store (the key is returned once)', body: CreatePosKeyBody, response: { 201: CreatedPosKeySchema, ...errors(400, 401, 403, 422) } },
    config: { permission: 'pos_keys.manage' },
  }, async (req, reply) => reply.code(201).send(await auth.createPosKey(actorOf(req), req.body)))

  app.post('/pos-keys/:id/revoke', {
    schema: { tags: keyTags, summary: 'Revoke a POS API key', params: IdParams, response: { 200: PosKeySchema, ...errors(401, 403, 404) } },
    config: { permission: 'pos_keys.manage' },
  }, async (req) => auth.revokePosKey(actorOf(req), req.params.id))
}
