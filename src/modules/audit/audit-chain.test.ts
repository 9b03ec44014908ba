import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { tamper } from '../../../test/tamper.js'
import { GENESIS_HASH, auditEntryHash } from '../../shared/audit-hash.js'
import { operationsSchedules } from '../operations/index.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

const entries = () => t.services.db.selectFrom('audit_log').selectAll().orderBy('chain_seq').execute()

/** The append-only triggers off for one statement's worth of tampering, then on again. */
const behindTheTriggers = async (what: string, change: () => Promise<unknown>) => {
  const db = tamper(t, what)
  if (t.services.engine === 'postgres') {
    await sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(db)
    try { await change() } finally { await sql`ALTER TABLE audit_log ENABLE TRIGGER USER`.execute(db) }
  } else {
    const triggers = await sql<{ name: string; sql: string }>`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'`.execute(db)
    for (const tr of triggers.rows) await sql.raw(`DROP TRIGGER ${tr.name}`).execute(db)
    try { await change() } finally { for (const tr of triggers.rows) await sql.raw(tr.sql).execute(db) }
  }
}

describe('the audit log as a hash chain', () => {
  it('writers only insert; the sealer chains what is new, in the order written, each entry hashing the one before', async () => {
    await t.services.audit.seal()
    const before = (await entries()).length
    await t.given.member()
    await t.given.member()
    await t.services.auth.createPosKey(t.actors.hq_admin, { storeId: t.stores.a, name: '3号收银台' })
    const unsealed = await t.services.db.selectFrom('audit_log').select(['id', 'chain_seq', 'hash']).where('chain_seq', 'is', null).execute()
    expect(unsealed.length).toBe(3)
    expect(unsealed.every((e) => e.hash === null)).toBe(true)

    expect(await t.services.audit.seal()).toEqual({ sealed: 3 })
    expect(await t.services.audit.seal()).toEqual({ sealed: 0 })
    const all = await entries()
    expect(all).toHaveLength(before + 3)
    // A plain recomputation: places 1…n, each prev_hash the hash before, each hash its fields'.
    let prev = GENESIS_HASH
    all.forEach((e, i) => {
      expect(Number(e.chain_seq)).toBe(i + 1)
      expect(e.prev_hash).toBe(prev)
      expect(e.hash).toBe(auditEntryHash(prev, { ...e, chain_seq: i + 1 }))
      prev = e.hash!
    })
    expect(all.slice(-3).map((e) => e.action)).toEqual(['member.register', 'member.register', 'pos_key.create'])
    expect(await t.services.audit.verifyChain()).toEqual({ entries: all.length, problems: [] })
  })

  it('lets the database change only the chain columns of an entry not yet chained', async () => {
    await t.given.member()
    const db = tamper(t, 'the append-only audit log under attack')
    const open = await db.selectFrom('audit_log').selectAll().where('chain_seq', 'is', null).executeTakeFirstOrThrow()
    await expect(db.updateTable('audit_log').set({ action: 'tampered', chain_seq: 999_999, prev_hash: 'x', hash: 'y' }).where('id', '=', open.id).execute()).rejects.toThrow(/append-only/)
    await t.services.audit.seal()
    const sealed = await db.selectFrom('audit_log').selectAll().where('id', '=', open.id).executeTakeFirstOrThrow()
    await expect(db.updateTable('audit_log').set({ hash: 'f'.repeat(64) }).where('id', '=', open.id).execute()).rejects.toThrow(/append-only/)
    expect(await db.selectFrom('audit_log').selectAll().where('id', '=', open.id).executeTakeFirstOrThrow()).toEqual(sealed)
  })

  it('two sealers at once chain each entry once, with no gap', async () => {
    for (let i = 0; i < 6; i++) await t.given.member()
    const [a, b] = await Promise.all([t.services.audit.seal(), t.services.audit.seal()])
    expect(a.sealed + b.sealed).toBe(6)
    expect((await t.services.audit.verifyChain()).problems).toEqual([])
  })

  it('the job audit.seal, scheduled every minute, seals', async () => {
    expect(operationsSchedules.find((s) => s.job.name === 'audit.seal')).toMatchObject({ everyMinutes: 1 })
    await t.given.member()
    await t.services.outbox.enqueue(t.services.db, 'audit.seal', {})
    await t.drainJobs()
    expect(await t.services.db.selectFrom('audit_log').select('id').where('chain_seq', 'is', null).execute()).toEqual([])
  })

  it('finds an entry changed, and entries removed, behind the database\'s back', async () => {
    await t.given.member()
    await t.given.member()
    await t.services.audit.seal()
    const all = await entries()
    const changed = all[all.length - 3]!
    const removed = all[all.length - 2]!
    await behindTheTriggers('an audit entry rewritten by someone with the database', () =>
      t.services.db.updateTable('audit_log').set({ actor_name: 'someone-else' }).where('id', '=', changed.id).execute())
    const afterChange = await t.services.audit.verifyChain()
    expect(afterChange.problems).toEqual([{ seq: Number(changed.chain_seq), id: changed.id, problem: 'changed after it was written (its hash does not match its fields)' }])

    await behindTheTriggers('an audit entry deleted by someone with the database', () =>
      t.services.db.deleteFrom('audit_log').where('id', '=', removed.id).execute())
    const afterDelete = await t.services.audit.verifyChain()
    const last = all[all.length - 1]!
    expect(afterDelete.problems).toEqual([
      { seq: Number(changed.chain_seq), id: changed.id, problem: 'changed after it was written (its hash does not match its fields)' },
      { seq: Number(last.chain_seq), id: last.id, problem: `entries ${Number(removed.chain_seq)}–${Number(removed.chain_seq)} are missing` },
      { seq: Number(last.chain_seq), id: last.id, problem: 'does not follow the entry before it (previous hash differs)' },
    ])
    expect(afterDelete.entries).toBe(all.length - 1)
  })
})
