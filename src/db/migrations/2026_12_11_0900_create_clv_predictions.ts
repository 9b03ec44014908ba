import { type Kysely } from 'kysely'

// Issue 13 §1: each BG/NBD + Gamma-Gamma fit that scored the members (its parameters, holdout and
// settings as JSON), and each member's predictions beside the insight figures, where segments and
// the member page read them. The insight refresh writes its own columns only and leaves these.
const PREDICTIONS = [
  ['p_alive_pm', 'integer'], ['expected_purchases_30', 'double precision'], ['expected_purchases_90', 'double precision'],
  ['expected_purchases_365', 'double precision'], ['expected_value', 'bigint'], ['clv', 'bigint'], ['clv_fit_id', 'text'],
] as const

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('clv_fits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fitted_at', 'text', (c) => c.notNull())
    .addColumn('calibration_end', 'text', (c) => c.notNull())
    .addColumn('members', 'integer', (c) => c.notNull())
    .addColumn('scored', 'integer', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('clv_fits_fitted_idx').on('clv_fits').columns(['fitted_at']).execute()
  for (const [name, type] of PREDICTIONS) await db.schema.alterTable('member_insight').addColumn(name, type).execute()
  await db.schema.createIndex('member_insight_clv_idx').on('member_insight').columns(['clv']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('member_insight_clv_idx').execute()
  for (const [name] of [...PREDICTIONS].reverse()) await db.schema.alterTable('member_insight').dropColumn(name).execute()
  await db.schema.dropTable('clv_fits').execute()
}
