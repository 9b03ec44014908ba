// The member page's API client: the console's typed client (openapi-fetch over the server's
// OpenAPI document), whose paths under /api/v1/me are the only ones this page calls.
import { api, ApiError, call } from '../../src/api/client.js'
import type { paths } from '../../src/api/schema.js'

export { api, ApiError, call }

/** The JSON body of a path's 200 (or 201) answer. */
type Ok<R> = R extends { 200: { content: { 'application/json': infer B } } } ? B
  : R extends { 201: { content: { 'application/json': infer B } } } ? B : never
export type GetOk<P extends keyof paths> = paths[P] extends { get: { responses: infer R } } ? Ok<R> : never
export type PostOk<P extends keyof paths> = paths[P] extends { post: { responses: infer R } } ? Ok<R> : never

export type Me = GetOk<'/api/v1/me'>
export type Schemas = import('../../src/api/schema.js').components['schemas']

/** A fresh key for one tap of a button that must act once (a redemption): resent as it is on retry. */
export const requestKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`)
