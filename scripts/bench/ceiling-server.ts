// The lookup ceiling for `npm run bench`: a bare Fastify route that does what a phone lookup
// must (blind-index the phone, one indexed SELECT) and nothing else, in its own process like
// the server it is compared with. BENCH_DB is a SQLite file or a PostgreSQL URL.
import Fastify from 'fastify'
import pg from 'pg'
import { loadKeyring } from '../../src/shared/pii.js'
import { openSqlite } from './ceiling.js'

const target = process.env.BENCH_DB!
const keyring = loadKeyring(process.env.PATRON_KEY_FILE!)
const SELECT = 'select id, card_no, status, registration_store_id, registered_at from members where phone_bidx = '

let find: (bidx: string) => Promise<unknown>
if (target.startsWith('postgres')) {
  const pool = new pg.Pool({ connectionString: target, max: 20 })
  find = async (bidx) => (await pool.query(`${SELECT}$1`, [bidx])).rows[0]
} else {
  const statement = openSqlite(target).prepare(`${SELECT}?`)
  find = async (bidx) => statement.get(bidx)
}

const app = Fastify({ logger: false })
app.get('/readyz', async () => ({ ok: true }))
app.post<{ Body: { phone: string } }>('/lookup', async (req, reply) => {
  const row = await find(keyring.blindIndex('phone', req.body.phone))
  return row ? row : reply.code(404).send({ error: 'not found' })
})
await app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' })
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
