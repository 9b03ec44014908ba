import type { FastifyError, FastifyInstance } from 'fastify'
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
  413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'TOO_MANY_REQUESTS',
}
const clientCodeOf = (err: FastifyError, status: number) => (err.code && FRAMEWORK_CODES[err.code]) ?? STATUS_CODES[status] ?? 'BAD_REQUEST'

export const errorBody = (code: string, message: string, details: ErrorDetail[] = []) => ({ error: { code, message, details } })

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
    const status = err.statusCode ?? 500
    if (status >= 400 && status < 500) {
      return reply.code(status).send(errorBody(clientCodeOf(err, status), err.message))
    }
    req.log.error({ err }, 'unhandled error')
    return reply.code(500).send(errorBody('INTERNAL', 'something went wrong on our side; it has been logged'))
  })
}
