import cookie from '@fastify/cookie'
import multipart from '@fastify/multipart'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { databaseAnswers } from '../db/ping.js'
import type { Services } from '../services.js'
import { registerAuth } from './auth.js'
import { registerConsoleAndNotFound } from './console.js'
import { frameworkErrorHandler, registerErrorHandling } from './errors.js'
import { registerSecurity, securityHeadersSetter } from './security.js'
import { formatsPlugin, registerSchemaBounds } from './schema-bounds.js'
import { lazySerializers } from './lazy-serializers.js'
import { registerMetrics } from './metrics.js'
import { requestIdFrom } from './request-id.js'
import { ErrorSchema } from '../shared/http/schemas.js'
import { typedApp, type TypedApp } from '../shared/http/request.js'
import { UPLOAD_LIMITS } from '../shared/http/upload.js'
import { analyticsRoutes } from '../modules/analytics/analytics.routes.js'
import { analyticsJobsRoutes, forecastRoutes, insightRoutes, predictionsRoutes, recommendationsRoutes, rulesRoutes } from '../modules/analytics/index.js'
import { classesRoutes } from '../modules/analytics/index.js'
import { tagsRoutes } from '../modules/analytics/index.js'
import { segmentsRoutes } from '../modules/analytics/index.js'
import { kpisRoutes } from '../modules/analytics/index.js'
import { auditRoutes } from '../modules/audit/audit.routes.js'
import { authRoutes } from '../modules/auth/auth.routes.js'
import { catalogRoutes } from '../modules/catalog/catalog.routes.js'
import { memberImportRoutes } from '../modules/members/member-import.routes.js'
import { membersRoutes } from '../modules/members/members.routes.js'
import { orgRoutes } from '../modules/org/org.routes.js'
import { outboxRoutes } from '../modules/outbox/index.js'
import { loyaltyRoutes } from '../modules/loyalty/loyalty.routes.js'
import { couponsRoutes, drawsRoutes, giftsRoutes, rebatesRoutes } from '../modules/rewards/index.js'
import { receiptImportRoutes } from '../modules/transactions/receipt-import.routes.js'
import { receiptsRoutes } from '../modules/transactions/receipts.routes.js'
import { suggestionsRoutes, surveysRoutes, ticketsRoutes } from '../modules/service/index.js'
import { campaignsRoutes, channelsRoutes, templatesRoutes } from '../modules/marketing/index.js'
import { memberEventsRoutes } from '../modules/marketing/index.js'
import { journeysRoutes } from '../modules/marketing/index.js'
import { privacyRoutes } from '../modules/privacy/index.js'
import { portalRoutes } from '../modules/portal/index.js'
import { portalRewardsRoutes } from '../modules/portal/index.js'
import { portalEngageRoutes } from '../modules/portal/index.js'
import { operationsRoutes } from '../modules/operations/index.js'

export type App = FastifyInstance
export type { TypedApp }

/** What the route plugins are given: every service, and the few settings of the edge they need. */
type RouteDeps = Services & { secureCookies: boolean }

// Every module's route plugin, registered alike under /api/v1. Each is typed by the services it
// uses only, so a module never imports services.ts or this file.
const ROUTES: ReadonlyArray<(app: TypedApp, deps: RouteDeps) => void> = [
  authRoutes,
  orgRoutes,
  auditRoutes,
  membersRoutes,
  memberImportRoutes,
  analyticsRoutes,
  insightRoutes,
  predictionsRoutes,
  rulesRoutes,
  recommendationsRoutes,
  forecastRoutes,
  analyticsJobsRoutes,
  classesRoutes,
  tagsRoutes,
  segmentsRoutes,
  kpisRoutes,
  catalogRoutes,
  receiptsRoutes,
  receiptImportRoutes,
  loyaltyRoutes,
  couponsRoutes,
  giftsRoutes,
  rebatesRoutes,
  drawsRoutes,
  outboxRoutes,
  ticketsRoutes,
  suggestionsRoutes,
  surveysRoutes,
  channelsRoutes,
  templatesRoutes,
  campaignsRoutes,
  memberEventsRoutes,
  journeysRoutes,
  privacyRoutes,
  operationsRoutes,
  portalRoutes,
  portalRewardsRoutes,
  portalEngageRoutes,
]

export interface AppOptions {
  services: Services
  config: Pick<Config, 'secureCookies' | 'logLevel'> & Partial<Pick<Config, 'trustProxy' | 'allowedOrigins' | 'metricsToken'>>
  /** An existing pino logger to share, or false for none; default a new one at config.logLevel. */
  logger?: FastifyBaseLogger | false
  /** Where the built console is (default dist/web). */
  consoleDir?: string
}

// Long digit runs in URLs are phones, cards or ID numbers: logs keep only their shape.
const maskDigits = (url: string) => url.replace(/\d{7,}/g, (d) => `${d.slice(0, 3)}***${d.slice(-2)}`)

export const loggerOptions = (level: string) => ({
  level,
  redact: {
    paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.phone', '*.idNumber', '*.name', '*.email', '*.address'],
    censor: '[redacted]',
  },
  serializers: {
    req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: maskDigits(req.url), ip: req.ip }),
  },
})

/** One log line per request, when it is answered (Fastify writes two: "incoming request" and "request completed"). */
export class OneLinePerRequest extends LogController {
  override incomingRequest() {}
  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply) {
    const line = { req, res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime) }
    if (error) reply.log.error({ ...line, err: error }, 'request errored')
    else reply.log.info(line, 'request')
  }
}

const warmers = new WeakMap<App, () => Promise<void>>()
/**
 * Compiles the response serializers no request has needed yet (see lazy-serializers.ts); call once
 * the server listens. /readyz answers 503 from the call until they are compiled.
 */
export const warmSerializers = (app: App) => warmers.get(app)?.() ?? Promise.resolve()

export const buildApp = async ({ services, config, logger, consoleDir }: AppOptions): Promise<App> => {
  const security = { https: config.secureCookies, allowedOrigins: config.allowedOrigins ?? [] }
  const serializers = lazySerializers()
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: logger === false ? false : loggerOptions(config.logLevel) }),
    // X-Forwarded-For is believed only from the proxies configured (PATRON_TRUST_PROXY), none by
    // default: from anyone else it would let a client pick its address and slip the login throttle.
    // (A hop count is valid at run time; Fastify's type omits it.)
    trustProxy: (config.trustProxy ?? false) as string | boolean,
    logController: new OneLinePerRequest(),
    frameworkErrors: frameworkErrorHandler(securityHeadersSetter(security)),
    bodyLimit: 2 * 1024 * 1024,
    // Every request has an id: in each of its log lines (reqId) and in the X-Request-Id header of
    // its answer. A proxy's X-Request-Id is kept when the proxy is trusted; otherwise a new one.
    requestIdHeader: false,
    genReqId: requestIdFrom(config.trustProxy ?? false),
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true }, plugins: [formatsPlugin] },
    schemaController: { compilersFactory: { buildSerializer: serializers.buildSerializer } },
  }) as unknown as FastifyInstance
  // Until the serializers are compiled (serve starts it once it listens), /readyz says 503: the
  // process answers requests, but a balancer sends it traffic only once it runs at full speed (the
  // compiling takes several seconds of the only thread a request has).
  let warming: Promise<void> | null = null
  let warmed = false
  warmers.set(app, () => (warming ??= serializers.warm().finally(() => { warmed = true })))

  registerErrorHandling(app)
  app.addHook('onRequest', async (req, reply) => { reply.header('x-request-id', req.id) })
  // Shutting down: the answers still being written close their connections, so the server ends
  // as soon as the last one is sent instead of waiting out idle keep-alive connections (72 s).
  let closing = false
  app.addHook('preClose', async () => { closing = true })
  app.addHook('onSend', async (_req, reply) => { if (closing) void reply.header('connection', 'close') })
  await registerSecurity(app, security)
  registerSchemaBounds(app)
  await app.register(cookie)
  await app.register(multipart, { limits: UPLOAD_LIMITS })
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Patron API', version: '1', description: 'CRM and loyalty for retail chains. Staff sign in with POST /api/v1/auth/login (cookie session); tills send `Authorization: Bearer pos_…`.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'patron_session' }, posKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ session: [] }, { posKey: [] }],
    },
    // Shared schemas keep their $id as the component name (Member, Error), not def-0, def-1:
    // the console's API types are generated from this document.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.addSchema(ErrorSchema)
  registerAuth(app, services)

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }))
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    if (warming && !warmed) return reply.code(503).send({ status: 'unavailable', reason: 'warming up: compiling response serializers' })
    if (await databaseAnswers(services.db)) return { status: 'ok' }
    return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' })
  })
  registerMetrics(app, { database: services.database, health: services.health, token: config.metricsToken ?? null })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  await app.register(async (api) => {
    const t = typedApp(api)
    const deps: RouteDeps = { ...services, secureCookies: config.secureCookies }
    for (const routes of ROUTES) routes(t, deps)
  }, { prefix: '/api/v1' })

  await registerConsoleAndNotFound(app, consoleDir)

  return app
}
