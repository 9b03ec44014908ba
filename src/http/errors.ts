import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isDataError } from '../db/errors.js'
import { isDomainError, type ErrorDetail } from '../shared/errors.js'

interface AjvIssue {
  instancePath?: string
  keyword?: string
  params?: Record<string, unknown>
  message?: string
}

const fieldOf = (issue: AjvIssue, context: string | undefined): string => {
  const path = (issue.instancePath ?? '').replace(/^\//, '').split('/').filter(Boolean).join('.')
  const extra = (issue.params?.missingProperty ?? issue.params?.additionalProperty) as string | undefined
  const field = [path, extra].filter(Boolean).join('.')
  return field || context || 'body'
}

const reasonOf = (issue: AjvIssue): string => {
  if (issue.keyword === 'additionalProperties') return 'is not a known field'
  if (issue.keyword === 'required') return 'is required'
  if (issue.keyword === 'enum' && Array.isArray(issue.params?.allowedValues)) return `must be one of ${(issue.params.allowedValues as unknown[]).join(', ')}`
  return issue.message ?? 'is invalid'
}

// A nullable field is a union: besides the real reason ("must be string") a bad value also
// fails "must be null" and "must match a schema in anyOf", which only confuse the reader.
const isUnionNoise = (issue: AjvIssue) =>
  issue.keyword === 'anyOf' || issue.keyword === 'oneOf' || (issue.keyword === 'type' && issue.params?.type === 'null')

// The framework's own codes (FST_ERR_…) mean nothing to the console, which translates `code`.
const FRAMEWORK_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
}
const STATUS_CODES: Record<number, string> = {
  401: 'AUTH_REQUIRED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 406: 'NOT_ACCEPTABLE',
  413: 'PAYLOAD_TOO_LARGE', 414: 'URI_TOO_LONG', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'TOO_MANY_REQUESTS',
}
const clientCodeOf = (err: FastifyError, status: number) => (err.code && FRAMEWORK_CODES[err.code]) ?? STATUS_CODES[status] ?? 'BAD_REQUEST'

export const errorBody = (code: string, message: string, details: ErrorDetail[] = []) => ({ error: { code, message, details } })

// busboy (under @fastify/multipart) throws plain Errors for a body it cannot read: no
// boundary, a cut-off body, a broken part header. They are the client's, not ours.
const MALFORMED_MULTIPART = /^(Multipart: Boundary not found|Unexpected end of (form|multipart data)|Malformed (part header|urlencoded form)|Unsupported content type)/

/**
 * The router's own refusals (a `%ZZ` in the path, a path parameter longer than the router
 * keeps) reach the client through Fastify's `frameworkErrors`, before any route or hook:
 * they get the one error shape too. `decorate` adds what every response carries (headers).
 */
export const frameworkErrorHandler = (decorate: (req: FastifyRequest, reply: FastifyReply) => void) =>
  (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    decorate(req, reply)
    if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
      return reply.code(414).send(errorBody('URI_TOO_LONG', 'a part of the path is too long', [{ field: 'url', reason: 'a path segment is too long' }]))
    }
    if (err.code === 'FST_ERR_BAD_URL') {
      return reply.code(400).send(errorBody('BAD_URL', 'the path is not valid URL encoding', [{ field: 'url', reason: 'is not valid percent-encoding' }]))
    }
    return reply.code(400).send(errorBody('BAD_REQUEST', 'the request could not be routed'))
  }

/** One error shape for every failure; nothing the client sent becomes a 500. */
export const registerErrorHandling = (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError & { validationContext?: string }, req, reply) => {
    if (isDomainError(err)) {
      for (const [k, v] of Object.entries(err.headers)) void reply.header(k, v)
      return reply.code(err.status).send(errorBody(err.code, err.message, err.details))
    }
    if (err.validation) {
      const issues = (err.validation as AjvIssue[]).map((issue) => ({ field: fieldOf(issue, err.validationContext), reason: reasonOf(issue), noise: isUnionNoise(issue) }))
      const details = issues
        .filter((d) => !d.noise || !issues.some((o) => !o.noise && o.field === d.field))
        .map(({ field, reason }) => ({ field, reason }))
      const unique = details.filter((d, i) => details.findIndex((o) => o.field === d.field && o.reason === d.reason) === i)
      return reply.code(400).send(errorBody('VALIDATION', `invalid ${err.validationContext ?? 'request'}: ${unique.map((d) => `${d.field} ${d.reason}`).join('; ')}`, unique))
    }
    // A backstop under the schemas: whatever value still reaches the database and is refused
    // there (a NUL in text, a number out of range, text that is no number) is a 400, not a 500.
    if (isDataError(err)) {
      req.log.warn({ err: { code: (err as { code?: string }).code, message: err.message } }, 'the database refused a value')
      return reply.code(400).send(errorBody('INVALID_VALUE', 'a value sent is not valid (refused by the database)'))
    }
    if (!err.statusCode && MALFORMED_MULTIPART.test(err.message ?? '')) {
      return reply.code(400).send(errorBody('MALFORMED_MULTIPART', `the upload is not valid multipart/form-data: ${err.message}`, [{ field: 'file', reason: err.message }]))
    }
    const status = err.statusCode ?? 500
    if (status >= 400 && status < 500) {
      return reply.code(status).send(errorBody(clientCodeOf(err, status), err.message))
    }
    req.log.error({ err }, 'unhandled error')
    return reply.code(500).send(errorBody('INTERNAL', 'something went wrong on our side; it has been logged'))
  })
}
