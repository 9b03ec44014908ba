import { Type, type TSchema } from 'typebox'

// Null first: with type coercion on, ajv would otherwise turn null into "" to satisfy a string.
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema])

export const ErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Array(Type.Object({ field: Type.String(), reason: Type.String() })),
  }),
}, { $id: 'Error' })

/** The error responses a route can give, for the OpenAPI document. */
export const errors = (...codes: Array<400 | 401 | 403 | 404 | 409 | 422 | 429>) =>
  Object.fromEntries(codes.map((c) => [c, Type.Ref('Error')]))

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

export const Page = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) })

export const CursorQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
}

export const IsoDateTime = Type.String({ format: 'date-time' })
export const DateOnly = Type.String({ format: 'date' })
