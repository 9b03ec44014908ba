import SerializerSelector from '@fastify/fast-json-stringify-compiler'

type Factory = SerializerSelector.SerializerFactory
type Serializer = SerializerSelector.Serializer

/**
 * The shared schemas (app.addSchema, keyed by $id) that `schema` refers to, directly or through
 * one another. fast-json-stringify validates and indexes every external schema it is given on
 * every compile; given all of them (52) for each of a few hundred routes, compiling took 28 s of
 * a process's start on this machine (2026-12-07), where each route needs a handful.
 */
export const referencedSchemas = (schema: unknown, external: Record<string, unknown> | undefined): Record<string, unknown> => {
  const used: Record<string, unknown> = {}
  if (!external) return used
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk)
      return
    }
    if (node === null || typeof node !== 'object') return
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const id = value.split('#')[0]!
        if (id !== '' && !(id in used) && id in external) {
          used[id] = external[id]
          walk(external[id])
        }
      } else {
        walk(value)
      }
    }
  }
  walk(schema)
  return used
}

/**
 * Response serializers compiled when a route first answers, not when the app starts.
 *
 * Fastify compiles every route's response schema with fast-json-stringify at `ready()`: with
 * Patron's few hundred routes that took 8 of the 9.5 seconds a process needed before it could
 * answer its first request (measured 2026-12-07), paid again by every process start and every
 * test file. Compiled on first use, a route costs its few milliseconds once, when it is called;
 * `warm()` compiles the rest in small slices after the server listens, so a running process
 * still ends up with every serializer compiled. The compiled code is fast-json-stringify's own:
 * what a response contains (extra properties dropped, types coerced) does not change.
 *
 * Request validation (Ajv, about a second) stays eager, so a route with a broken request schema
 * still fails at start.
 */
export const lazySerializers = (inner: Factory = SerializerSelector()) => {
  const pending = new Set<() => void>()
  const buildSerializer: Factory = (externalSchemas, options) => {
    const external = externalSchemas as Record<string, unknown> | undefined
    // Each route with only the shared schemas it refers to (see referencedSchemas).
    const compile = (route: Parameters<ReturnType<Factory>>[0]) => inner(referencedSchemas(route.schema, external), options)(route)
    return (route) => {
      let compiled: Serializer | undefined
      const build = () => {
        pending.delete(build)
        compiled ??= compile(route)
        return compiled
      }
      pending.add(build)
      return (doc) => (compiled ?? build())(doc)
    }
  }
  /** Compiles every serializer not yet used, yielding to requests between each; rejects afterwards if one did not compile. */
  const warm = async () => {
    const failures: unknown[] = []
    for (const build of [...pending]) {
      try {
        build()
      } catch (err) {
        failures.push(err)
      }
      await new Promise((resolve) => setImmediate(resolve))
    }
    if (failures.length) throw new AggregateError(failures, `${failures.length} response schema(s) did not compile`)
  }
  return { buildSerializer, warm, pending: () => pending.size }
}
