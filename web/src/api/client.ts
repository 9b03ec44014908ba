import createClient from 'openapi-fetch'
import type { paths } from './schema.js'

/** The typed API client: paths, parameters and bodies come from the server's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' })

export interface FieldError {
  field: string
  reason: string
}

/** A failed API call: `code` is the server's error code (translated as errors.<CODE>). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
  ) {
    super(message)
  }
  get isNetwork() {
    return this.status === 0
  }
  get isServer() {
    return this.status >= 500
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: FieldError[] }
}

/**
 * Unwraps an openapi-fetch result: the data, or an ApiError carrying the server's code and
 * field details. A fetch that never reached the server becomes status 0 (network).
 */
export const call = async <T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> => {
  let result: { data?: T; error?: unknown; response: Response }
  try {
    result = await request
  } catch (err) {
    throw new ApiError(0, 'NETWORK', (err as Error).message)
  }
  if (result.response.ok) return result.data as T
  const body = (result.error ?? {}) as ErrorBody
  if (result.response.status === 401 && body.error?.code === 'AUTH_REQUIRED') window.dispatchEvent(new Event('patron:signed-out'))
  throw new ApiError(result.response.status, body.error?.code ?? (result.response.status >= 500 ? 'INTERNAL' : 'unknown'), body.error?.message ?? result.response.statusText, body.error?.details ?? [])
}

export type Schemas = import('./schema.js').components['schemas']
