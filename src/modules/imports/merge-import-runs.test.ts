import type { Kysely } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/db.js'
import { down, up } from '../../db/migrations/2026_12_04_1220_merge_import_runs.js'

let t: TestDatabase
let db: Kysely<any>
beforeAll(async () => {
  t = await createTestDatabase()
  db = t.database.db as unknown as Kysely<any>
})
afterAll(async () => t.drop())

it('moves member and receipt import runs and their problems into one table, and back', async () => {
  // Back to the two tables, with a run of each kind in them.
  await down(db)
  const at = '2026-03-01T00:00:00.000Z'
  const common = { status: 'completed', total_bytes: 100, processed_bytes: 100, error_message: null, created_by: null, created_at: at, heartbeat_at: at, finished_at: at, error_code: null, upload_file: null }
  await db.insertInto('member_imports').values({
    ...common, id: 'imp_a', source_name: 'm.csv', mapping: '{"手机":"phone"}', update_existing: 1, registration_store_id: null,
    rows_read: 3, inserted: 1, updated: 1, skipped: 0, failed: 1,
  }).execute()
  await db.insertInto('receipt_imports').values({
    ...common, id: 'rim_a', source_name: 'r.csv', options: JSON.stringify({ mapping: { no: 'receipt_no' }, storeCode: null, returnPrefix: 'C' }),
    lines_read: 9, receipts_posted: 4, returns_posted: 1, receipts_skipped: 2, members_created: 0, failed: 1,
  }).execute()
  await db.insertInto('member_import_errors').values({ import_id: 'imp_a', line: 3, column_name: '手机', value: '*****', value_sealed: 'v1.x', reason: 'bad' }).execute()
  await db.insertInto('receipt_import_errors').values({ import_id: 'rim_a', line: 5, column_name: 'no', value: 'X', value_sealed: null, reason: 'worse' }).execute()

  await up(db)
  const runs = await db.selectFrom('imports').selectAll().orderBy('id').execute()
  expect(runs.map((r) => [r.id, r.kind, JSON.parse(r.settings), JSON.parse(r.counts)])).toEqual([
    ['imp_a', 'members', { mapping: { 手机: 'phone' }, updateExisting: true }, { rowsRead: 3, inserted: 1, updated: 1, skipped: 0, failed: 1 }],
    ['rim_a', 'receipts', { mapping: { no: 'receipt_no' }, storeCode: null, returnPrefix: 'C' }, { linesRead: 9, receiptsPosted: 4, returnsPosted: 1, receiptsSkipped: 2, membersCreated: 0, failed: 1 }],
  ])
  expect(await db.selectFrom('import_errors').select(['import_id', 'line', 'value_sealed']).orderBy('import_id').execute())
    .toEqual([{ import_id: 'imp_a', line: 3, value_sealed: 'v1.x' }, { import_id: 'rim_a', line: 5, value_sealed: null }])

  // And back again: nothing lost either way.
  await down(db)
  expect(await db.selectFrom('member_imports').select(['id', 'rows_read', 'update_existing']).execute()).toEqual([{ id: 'imp_a', rows_read: 3, update_existing: 1 }])
  expect(await db.selectFrom('receipt_import_errors').select(['import_id', 'reason']).execute()).toEqual([{ import_id: 'rim_a', reason: 'worse' }])
  await up(db)
})
