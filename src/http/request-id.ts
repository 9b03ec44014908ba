import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

// A proxy's id is believed only from a trusted proxy (PATRON_TRUST_PROXY), and only when it is a
// plain token: anyone else's would let a client write what it likes into the logs.
const PLAIN = /^[A-Za-z0-9._:-]{1,128}$/

/** Fastify's genReqId: the trusted proxy's X-Request-Id when it is plain, else a new UUID. */
export const requestIdFrom = (trustProxy: string | number | boolean) => (req: IncomingMessage): string => {
  const given = req.headers['x-request-id']
  if (trustProxy !== false && typeof given === 'string' && PLAIN.test(given)) return given
  return randomUUID()
}
