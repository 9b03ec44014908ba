import { scopeToStore, type Scope } from '../../../shared/scope.js'
import { sql, type Insertable, type Selectable } from 'kysely'
import type { Db, Trx } from '../../../db/database.js'
import type { DaySales } from './forecast-weeks.js'
import type { ForecastRunsTable, ForecastSeriesTable } from './forecast.table.js'

type Conn = Db | Trx

export type RunRow = Selectable<ForecastRunsTable>
export type SeriesRow = Selectable<ForecastSeriesTable>

/**
 * Posted sales' line amounts less posted returns' (fen), per store, department, category and
 * business date, from `from` to `to` inclusive. Lines without a catalogue product have no
 * department or category and are left out.
 */
export const daySales = async (db: Conn, from: string, to: string): Promise<DaySales[]> => {
  const { rows } = await sql<DaySales>`
    SELECT r.store_id AS store, p.department AS department, p.category AS category, r.business_date AS day,
      SUM(CASE WHEN r.kind = 'sale' THEN l.amount ELSE -l.amount END) AS amount
    FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id JOIN products p ON p.id = l.product_id
    WHERE r.status = 'posted' AND r.business_date >= ${from} AND r.business_date <= ${to}
    GROUP BY r.store_id, p.department, p.category, r.business_date`.execute(db)
  return rows
}

export const insertRun = async (trx: Trx, row: Insertable<ForecastRunsTable>): Promise<void> => {
  await trx.insertInto('forecast_runs').values(row).execute()
}

/** 13 columns a row: 200 rows stay well under SQLite's 32,766 parameters. */
const CHUNK = 200

export const insertSeries = async (trx: Trx, rows: Array<Insertable<ForecastSeriesTable>>): Promise<void> => {
  for (let i = 0; i < rows.length; i += CHUNK) await trx.insertInto('forecast_series').values(rows.slice(i, i + CHUNK)).execute()
}

/** Deletes every run but the newest `keep` (and their series). */
export const pruneRuns = async (trx: Trx, keep: number): Promise<void> => {
  const old = await trx.selectFrom('forecast_runs').select('id').orderBy('run_at', 'desc').orderBy('id', 'desc').offset(keep).limit(1_000_000).execute()
  if (old.length === 0) return
  const ids = old.map((r) => r.id)
  await trx.deleteFrom('forecast_series').where('run_id', 'in', ids).execute()
  await trx.deleteFrom('forecast_runs').where('id', 'in', ids).execute()
}

export const latestRun = (db: Conn): Promise<RunRow | undefined> =>
  db.selectFrom('forecast_runs').selectAll().orderBy('run_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()

/** A run's series summaries (no detail): one store's and, unless `storeOnly`, the chain's too. */
/** A run's series, of the scope's stores (a chain scope: every series, the chain's categories too). */
export const seriesSummaries = (db: Conn, runId: string, scope: Scope) => {
  const q = scopeToStore(db.selectFrom('forecast_series')
    .select(['level', 'store_id', 'key', 'from_week', 'history_weeks', 'last4', 'next4', 'smape', 'naive_smape', 'mape', 'model'])
    .where('run_id', '=', runId), scope, 'store_id')
  return q.orderBy('level', 'desc').orderBy('store_id').orderBy('key').execute()
}

export const seriesOne = (db: Conn, runId: string, level: string, storeId: string, key: string): Promise<SeriesRow | undefined> =>
  db.selectFrom('forecast_series').selectAll().where('run_id', '=', runId).where('level', '=', level).where('store_id', '=', storeId).where('key', '=', key).executeTakeFirst()

/** A run's series with their detail (the exports), one store's when given. */
export const seriesWithDetail = (db: Conn, runId: string, scope: Scope) => {
  const q = scopeToStore(db.selectFrom('forecast_series').selectAll().where('run_id', '=', runId), scope, 'store_id')
  return q.orderBy('level', 'desc').orderBy('store_id').orderBy('key').execute()
}

export const storeNames = async (db: Conn): Promise<Map<string, { code: string; name: string }>> => {
  const rows = await db.selectFrom('stores').select(['id', 'code', 'name']).execute()
  return new Map(rows.map((r) => [r.id, { code: r.code, name: r.name }]))
}
