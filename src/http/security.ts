import helmetPlugin from '@fastify/helmet'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { createRequire } from 'node:module'
import { errorBody } from './errors.js'

export interface SecurityOptions {
  /** Served over HTTPS (PATRON_SECURE_COOKIES): HSTS and upgrade-insecure-requests are sent. */
  https: boolean
  /** Origins besides the server's own that may send state-changing requests (PATRON_ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[]
}

// The console is one origin: its scripts, API calls, fonts and pictures come from this server.
// Ant Design writes its styles into <style> elements at run time, and swagger-ui (/docs) sets
// style attributes, hence 'unsafe-inline' for styles only; scripts stay 'self'.
export const helmetOptions = ({ https }: SecurityOptions) => ({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      workerSrc: ["'self'", 'blob:'],
      objectSrc: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      // On plain HTTP (a store's LAN address) upgrading would break every asset.
      ...(https ? { upgradeInsecureRequests: [] } : {}),
    },
  },
  // HSTS only means something over HTTPS; sent over HTTP it is ignored at best.
  strictTransportSecurity: https ? { maxAge: 180 * 24 * 3600, includeSubDomains: true } : false,
  frameguard: { action: 'deny' as const },
  referrerPolicy: { policy: 'same-origin' as const },
})

type RawMiddleware = (req: unknown, res: unknown, next: (err?: unknown) => void) => void
// The same helmet that @fastify/helmet wraps, resolved through it: the router's own errors
// (frameworkErrors) are answered before any hook runs, so they need the headers set directly.
const helmetMiddleware = createRequire(import.meta.resolve('@fastify/helmet'))('helmet') as (options: object) => RawMiddleware

/** Sets the security headers on a reply that no hook has seen (the router's own errors). */
export const securityHeadersSetter = (options: SecurityOptions) => {
  const middleware = helmetMiddleware(helmetOptions(options))
  return (req: FastifyRequest, reply: FastifyReply) => middleware(req.raw, reply.raw, () => {})
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Why a state-changing request must be refused as cross-origin, or null. SameSite=Strict keeps
 * the session cookie off other sites' requests; this is the second lock: a browser names the
 * page's origin in `Origin` (and `Sec-Fetch-Site`) on every POST, PUT, PATCH and DELETE, which
 * must be this server (as the browser reached it) or a configured origin. Requests without
 * either header come from tills, scripts and tests, not from a page in a browser.
 */
export const crossOriginProblem = (req: FastifyRequest, allowedOrigins: readonly string[] = []): string | null => {
  if (SAFE_METHODS.has(req.method)) return null
  const origin = req.headers.origin
  if (origin !== undefined) {
    if (allowedOrigins.includes(origin)) return null
    try {
      // Through URL both sides, so an explicit default port (localhost:80) compares equal.
      const own = new URL(`${req.protocol}://${req.host}`).host
      if (new URL(origin).host === own) return null
    } catch {
      // an Origin of "null" (a sandboxed frame, a file) or garbage: not this server
    }
    return `Origin "${origin.slice(0, 100)}" is not this server`
  }
  const site = req.headers['sec-fetch-site']
  if (site === 'cross-site' || site === 'same-site') return `a ${site} request from another page`
  return null
}

/** The field path of the first string holding a NUL character, or null. */
export const nulPath = (value: unknown, path: string, depth = 0): string | null => {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null
  if (depth > 32 || value === null || typeof value !== 'object') return null
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k
    if (k.includes('\u0000')) return at
    const found = nulPath(v, at, depth + 1)
    if (found !== null) return found
  }
  return null
}

/**
 * The HTTP edge's protections, registered before any route: security headers on every
 * response, the cross-origin check, NUL refused in every string, and no text/plain bodies.
 */
export const registerSecurity = async (app: FastifyInstance, options: SecurityOptions) => {
  await app.register(helmetPlugin, helmetOptions(options))

  app.addHook('onRequest', async (req, reply) => {
    const problem = crossOriginProblem(req, options.allowedOrigins)
    if (problem) {
      return reply.code(403).send(errorBody('CROSS_ORIGIN_REFUSED', `refused: ${problem}`, [{ field: 'origin', reason: 'is not this server' }]))
    }
  })

  // No database stores a NUL in text (PostgreSQL refuses it outright) and no person types one:
  // refused here once, for every route, in the body, the query and the path.
  app.addHook('preValidation', async (req, reply) => {
    for (const [part, value] of [['params', req.params], ['querystring', req.query], ['body', req.body]] as const) {
      const field = nulPath(value, '')
      if (field !== null) {
        return reply.code(400).send(errorBody('VALIDATION', `invalid ${part}: ${field || part} must not contain the NUL character`, [{ field: field || part, reason: 'must not contain the NUL character (\\u0000)' }]))
      }
    }
  })

  // The API takes JSON and multipart only. A text/plain body is what an HTML form on another
  // site can send without a preflight, so it is refused (415) instead of parsed.
  app.removeContentTypeParser('text/plain')
}
