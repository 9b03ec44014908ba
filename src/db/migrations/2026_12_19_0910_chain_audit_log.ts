import { PostgresAdapter, sql, type Kysely } from 'kysely'
import { GENESIS_HASH, auditEntryHash, type ChainedFields } from '../../shared/audit-hash.js'

const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

const FIELDS = ['id', 'at', 'actor_type', 'actor_id', 'actor_name', 'ip', 'action', 'entity_type', 'entity_id', 'store_id', 'changes']

// The audit log becomes tamper-evident (issue 16 §4): every entry gets its place in a hash chain,
// the previous entry's hash and its own (src/shared/audit-hash.ts). Writers only insert; a
// sealer chains new entries in the order written (the audit module's seal, every minute). The
// append-only triggers now let exactly that through: the chain columns of an entry not yet
// chained, with every other column unchanged. The entries written before are chained here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('chain_seq', 'bigint').execute()
  await db.schema.alterTable('audit_log').addColumn('prev_hash', 'text').execute()
  await db.schema.alterTable('audit_log').addColumn('hash', 'text').execute()
  if (isPostgres(db)) {
    const same = FIELDS.map((f) => `NEW.${f} IS NOT DISTINCT FROM OLD.${f}`).join(' AND ')
    await sql.raw(`CREATE OR REPLACE FUNCTION patron_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.chain_seq IS NULL AND ${same} THEN RETURN NEW; END IF;
        RAISE EXCEPTION 'audit_log is append-only';
      END $$`).execute(db)
  } else {
    const same = FIELDS.map((f) => `NEW.${f} IS OLD.${f}`).join(' AND ')
    await sql`DROP TRIGGER audit_log_no_update`.execute(db)
    await sql.raw(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN NOT (OLD.chain_seq IS NULL AND ${same})
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`).execute(db)
  }

  let prev = GENESIS_HASH
  let seq = 0
  for (;;) {
    const rows = (await db.selectFrom('audit_log').selectAll().where('chain_seq', 'is', null).orderBy('at').orderBy('id').limit(2000).execute()) as Array<Omit<ChainedFields, 'chain_seq'>>
    if (rows.length === 0) break
    for (const row of rows) {
      seq += 1
      const hash = auditEntryHash(prev, { ...row, chain_seq: seq })
      await db.updateTable('audit_log').set({ chain_seq: seq, prev_hash: prev, hash }).where('id', '=', row.id).execute()
      prev = hash
    }
  }
  await db.schema.createIndex('audit_log_chain_idx').on('audit_log').column('chain_seq').unique().execute()
  await db.schema.createIndex('audit_log_unsealed_idx').on('audit_log').columns(['at', 'id']).where(sql.ref('chain_seq'), 'is', null).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_log_unsealed_idx').execute()
  await db.schema.dropIndex('audit_log_chain_idx').execute()
  if (isPostgres(db)) {
    await sql`CREATE OR REPLACE FUNCTION patron_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`.execute(db)
  } else {
    await sql`DROP TRIGGER audit_log_no_update`.execute(db)
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db)
  }
  for (const c of ['hash', 'prev_hash', 'chain_seq']) await db.schema.alterTable('audit_log').dropColumn(c).execute()
}
