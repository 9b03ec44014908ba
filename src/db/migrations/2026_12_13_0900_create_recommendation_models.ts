import { type Kysely } from 'kysely'

// Issue 13 §3: the recommendation model a nightly job builds from the recent sales: each product's
// nearest products (bought on the same sales; bought by the same members) and the popular list.
// A member's suggestions are scored from it and the member's own history when asked.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('recommendation_models')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('built_at', 'text', (c) => c.notNull())
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text', (c) => c.notNull())
    .addColumn('baskets', 'integer', (c) => c.notNull())
    .addColumn('members', 'integer', (c) => c.notNull())
    .addColumn('products', 'integer', (c) => c.notNull())
    .addColumn('neighbours', 'integer', (c) => c.notNull())
    .addColumn('seconds', 'double precision', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('recommendation_models_built_idx').on('recommendation_models').columns(['built_at']).execute()
  await db.schema.createTable('product_neighbours')
    .addColumn('model_id', 'text', (c) => c.notNull().references('recommendation_models.id').onDelete('cascade'))
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('neighbour_id', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('together', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('product_neighbours_pk', ['model_id', 'product_id', 'kind', 'rank'])
    .execute()
  await db.schema.createTable('recommendation_popular')
    .addColumn('model_id', 'text', (c) => c.notNull().references('recommendation_models.id').onDelete('cascade'))
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('baskets', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('recommendation_popular_pk', ['model_id', 'rank'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('recommendation_popular').execute()
  await db.schema.dropTable('product_neighbours').execute()
  await db.schema.dropTable('recommendation_models').execute()
}
