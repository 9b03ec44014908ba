export type ErrorKind = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'payload_too_large' | 'unsupported_media_type' | 'unprocessable' | 'too_many_requests'

export interface ErrorDetail {
  field: string
  reason: string
}

const statusOf: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  too_many_requests: 429,
}

/** A failure the caller can act on: it reaches HTTP clients as `{ error: { code, message, details } }`. */
export class DomainError extends Error {
  readonly status: number
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'DomainError'
    this.status = statusOf[kind]
  }
}

const make = (kind: ErrorKind, fallback: string) =>
  (code: string, details: ErrorDetail[] = [], message?: string) =>
    new DomainError(kind, code, message ?? (details.length > 0 ? details.map((d) => `${d.field}: ${d.reason}`).join('; ') : fallback), details)

export const badRequest = make('bad_request', 'bad request')
export const unauthorized = make('unauthorized', 'authentication required')
export const forbidden = make('forbidden', 'not allowed')
export const notFound = make('not_found', 'not found')
export const conflict = make('conflict', 'conflict')
export const unprocessable = make('unprocessable', 'cannot be processed')
/** An upload larger than its limit (413). */
export const payloadTooLarge = make('payload_too_large', 'too large')
/** An upload of a type that is not taken (415). */
export const unsupportedMediaType = make('unsupported_media_type', 'unsupported media type')

export const tooManyRequests = (code: string, retryAfterSeconds: number, message = 'too many attempts; try again later') =>
  new DomainError('too_many_requests', code, message, [], { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) })

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError
