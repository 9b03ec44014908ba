import { type Kysely } from 'kysely'

// Issue 13 §2: each association-rule mining run (what it mined: level, period, stores, thresholds;
// what it found) and its rules. A rule's support, confidence and lift are kept beside the counts
// they come from, so the rules browser filters and sorts on them in SQL.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('rule_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mined_at', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text')
    .addColumn('members_only', 'integer', (c) => c.notNull())
    .addColumn('min_support', 'double precision', (c) => c.notNull())
    .addColumn('min_confidence', 'double precision', (c) => c.notNull())
    .addColumn('min_lift', 'double precision', (c) => c.notNull())
    .addColumn('max_length', 'integer', (c) => c.notNull())
    .addColumn('baskets', 'integer', (c) => c.notNull())
    .addColumn('items', 'integer', (c) => c.notNull())
    .addColumn('itemsets', 'integer', (c) => c.notNull())
    .addColumn('rules', 'integer', (c) => c.notNull())
    /** rules found beyond the stored ones (the strongest are kept) */
    .addColumn('rules_dropped', 'integer', (c) => c.notNull())
    .addColumn('seconds', 'double precision', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('rule_runs_mined_idx').on('rule_runs').columns(['mined_at']).execute()
  await db.schema.createTable('association_rules')
    .addColumn('run_id', 'text', (c) => c.notNull().references('rule_runs.id').onDelete('cascade'))
    .addColumn('rank', 'integer', (c) => c.notNull())
    /** JSON array of the items' keys (product id at the SKU level, the name at the others) */
    .addColumn('antecedent', 'text', (c) => c.notNull())
    .addColumn('consequent', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('baskets', 'integer', (c) => c.notNull())
    .addColumn('antecedent_count', 'integer', (c) => c.notNull())
    .addColumn('consequent_count', 'integer', (c) => c.notNull())
    .addColumn('support', 'double precision', (c) => c.notNull())
    .addColumn('confidence', 'double precision', (c) => c.notNull())
    .addColumn('lift', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('association_rules_pk', ['run_id', 'rank'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('association_rules').execute()
  await db.schema.dropTable('rule_runs').execute()
}
