import { Type } from 'typebox'
import { SESSION_COOKIE, actorOf, type TypedApp } from '../../shared/http/request.js'
import { IdParams, errors } from '../../shared/http/schemas.js'
import { can } from '../../shared/actor.js'
import { PERMISSIONS } from '../../shared/permissions.js'
import {
  ChangePasswordBody, CodeBody, CreatePosKeyBody, CreateUserBody, CreatedPosKeySchema, DisableTwoFactorBody, ListUsersQuery, LoginBody, PasswordBody, PosKeySchema,
  ResetPasswordBody, SecuritySettingsBody, SecuritySettingsSchema, SessionSchema, StaffUserSchema, TwoFactorSetupSchema, TwoFactorStatusSchema, UpdateUserBody,
} from './auth.schemas.js'
import type { AuthService } from './auth.service.js'

export const authRoutes = (app: TypedApp, { auth, secureCookies = false }: { auth: AuthService; secureCookies?: boolean }) => {
  const tags = ['auth']
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: secureCookies }

  app.post('/auth/login', {
    schema: { tags, summary: 'Sign in; sets the session cookie', body: LoginBody, response: { 200: SessionSchema, ...errors(400, 401, 429) }, security: [] },
    config: { public: true },
  }, async (req, reply) => {
    const { token, user, expiresAt, twoFactorSetupRequired } = await auth.login({ ...req.body, ip: req.ip, userAgent: req.headers['user-agent'] ?? null })
    // A browser-session cookie: the server ends sessions itself (the chain's idle and absolute limits).
    void reply.setCookie(SESSION_COOKIE, token, cookieOptions)
    const actor = { kind: 'staff' as const, userId: user.id, username: user.username, role: user.role, storeId: user.storeId }
    return { user, permissions: twoFactorSetupRequired ? [] : PERMISSIONS.filter((p) => can(actor, p)), expiresAt, twoFactorSetupRequired }
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
    const setup = actor.kind === 'staff' && actor.twoFactorSetupRequired === true
    return { user: await auth.me(actor), permissions: setup ? [] : PERMISSIONS.filter((p) => can(actor, p)), twoFactorSetupRequired: setup }
  })

  app.get('/auth/two-factor', {
    schema: { tags, summary: 'Whether my account signs in with a code from an authenticator app, and whether the chain requires it', response: { 200: TwoFactorStatusSchema, ...errors(401) } },
    config: { authenticated: true },
  }, async (req) => auth.twoFactorStatus(actorOf(req)))

  app.post('/auth/two-factor/setup', {
    schema: { tags, summary: 'Start setting up two-factor sign-in (my password): a new secret and its otpauth:// address for the QR', body: PasswordBody, response: { 200: TwoFactorSetupSchema, ...errors(400, 401, 409, 422) } },
    config: { authenticated: true },
  }, async (req) => auth.startTwoFactor(actorOf(req), req.body))

  app.post('/auth/two-factor/confirm', {
    schema: { tags, summary: 'Turn two-factor sign-in on with the first code the app shows', body: CodeBody, response: { 200: TwoFactorStatusSchema, ...errors(400, 401, 409, 422) } },
    config: { authenticated: true },
  }, async (req) => auth.confirmTwoFactor(actorOf(req), req.body))

  app.post('/auth/two-factor/disable', {
    schema: { tags, summary: 'Turn my two-factor sign-in off (my password and a current code; not when the chain requires it)', body: DisableTwoFactorBody, response: { 200: TwoFactorStatusSchema, ...errors(400, 401, 409, 422) } },
    config: { authenticated: true },
  }, async (req) => auth.disableTwoFactor(actorOf(req), req.body))

  app.get('/security-settings', {
    schema: { tags, summary: "The chain's sign-in policy: session limits and two-factor sign-in for HQ administrators", response: { 200: SecuritySettingsSchema, ...errors(401, 403) } },
    config: { permission: 'chain.manage' },
  }, async (req) => auth.securitySettings(actorOf(req)))

  app.put('/security-settings', {
    schema: { tags, summary: "Change the chain's sign-in policy (applies to open sessions at once)", body: SecuritySettingsBody, response: { 200: SecuritySettingsSchema, ...errors(400, 401, 403, 409, 422) } },
    config: { permission: 'chain.manage' },
  }, async (req) => auth.updateSecuritySettings(actorOf(req), req.body))

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

  app.post('/staff/:id/two-factor/reset', {
    schema: { tags: staffTags, summary: "Clear a user's two-factor sign-in (a lost phone) and end their sessions; they set it up again", params: IdParams, response: { 200: StaffUserSchema, ...errors(400, 401, 403, 404, 409) } },
    config: { permission: 'staff.manage' },
  }, async (req) => auth.resetTwoFactor(actorOf(req), req.params.id))

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
