// The machine's raw ceilings for `npm run bench`: the same rows a till commit or an import
// writes, through the bare driver (better-sqlite3 or pg) with hand-written SQL, so the figures
// of Patron can be read against what this machine can do at all.
import SQLite from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import pg from 'pg'

export type Engine = 'sqlite' | 'postgres'

export interface CeilingTarget {
  engine: Engine
  /** the file of a SQLite database, or a PostgreSQL URL */
  target: string
  storeId: string
  memberIds: string[]
}

export const openSqlite = (file: string) => {
  const db = new SQLite(file)
  // As Patron opens it (src/db/database.ts).
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  db.pragma('cache_size = -65536')
  return db
}

const RESULT = JSON.stringify({ receiptId: 'x'.repeat(30), status: 'posted', total: 12345, points: 123, member: { id: 'x'.repeat(30), cardNo: '1234567890123', balance: 100, tier: { code: 'regular', name: '普通' } }, explanation: [{ ruleId: 'rul_default_base', name: '基础积分', kind: 'base', points: 123 }] })

interface Rows {
  receipt: unknown[]
  lines: unknown[][]
  tender: unknown[]
  entry: unknown[]
  account: unknown[]
}

const RECEIPT_COLUMNS = 'id, store_id, till, receipt_no, kind, status, original_receipt_id, original_receipt_no, member_id, business_at, business_date, total, eligible_amount, points_earned, points_used, line_count, cashier, source, import_id, payload_hash, result, pending_payload, created_at'
const LINE_COLUMNS = 'receipt_id, line_no, product_id, sku, quantity, unit, unit_price, discount, amount, points, points_used, returned_quantity, returned_amount, returned_points, refunded_points, original_line_no'

/** One till sale's rows: the receipt, its lines, a tender, a ledger entry and the balance. */
const tillRows = (t: CeilingTarget, n: number, lineCount: number, withLedger: boolean): Rows => {
  const id = `rct_${randomUUID()}`
  const memberId = t.memberIds[n % t.memberIds.length] ?? null
  const at = new Date().toISOString()
  const lines = Array.from({ length: lineCount }, (_, i) => [id, i + 1, null, `2001${String(i).padStart(4, '0')}`, 2, 'piece', 990, 0, 1980, 19, 0, 0, 0, 0, 0, null])
  return {
    receipt: [id, t.storeId, 'T01', `CEIL-${process.pid}-${n}-${Math.random().toString(36).slice(2, 8)}`, 'sale', 'posted', null, null, withLedger ? memberId : null, at, at.slice(0, 10), 1980 * lineCount, 1980 * lineCount, 19 * lineCount, 0, lineCount, null, 'till', null, 'h'.repeat(32), RESULT, null, at],
    lines,
    tender: [id, 1, 'wechat_pay', 1980 * lineCount, null, null],
    entry: [`pte_${randomUUID()}`, memberId, 'earn', 19 * lineCount, 0, id, t.storeId, null, null, null, 'bench', at],
    account: [memberId, 19 * lineCount, at],
  }
}

const placeholders = (n: number, from = 1) => `(${Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ')})`

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0

export interface CeilingResult {
  rate: number
  p50: number
  p99: number
}

/**
 * Till commits per second through the bare driver: SQLite one transaction after another (it has
 * one writer), PostgreSQL from `connections` concurrent clients over a pool like the server's.
 */
export const tillCeiling = async (t: CeilingTarget, seconds: number, connections: number): Promise<CeilingResult> => {
  const latencies: number[] = []
  const until = performance.now() + seconds * 1000
  let n = 0
  if (t.engine === 'sqlite') {
    const db = openSqlite(t.target)
    const receipt = db.prepare(`insert into receipts (${RECEIPT_COLUMNS}) values ${placeholders(23).replace(/\$\d+/g, '?')}`)
    const line = db.prepare(`insert into receipt_lines (${LINE_COLUMNS}) values ${placeholders(16).replace(/\$\d+/g, '?')}`)
    const tender = db.prepare('insert into receipt_tenders (receipt_id, seq, kind, amount, points, reference) values (?, ?, ?, ?, ?, ?)')
    const entry = db.prepare('insert into points_entries (id, member_id, kind, points, balance_after, receipt_id, store_id, reference, reason, actor_id, actor_name, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    const account = db.prepare('insert into points_accounts (member_id, balance, tier_code, tier_since, tier_below_since, updated_at) values (?, ?, null, null, null, ?) on conflict (member_id) do update set balance = points_accounts.balance + excluded.balance, updated_at = excluded.updated_at')
    const commit = db.transaction((rows: Rows) => {
      receipt.run(rows.receipt)
      for (const l of rows.lines) line.run(l)
      tender.run(rows.tender)
      entry.run(rows.entry)
      account.run(rows.account)
    })
    while (performance.now() < until) {
      const rows = tillRows(t, n++, 7, true)
      const started = performance.now()
      commit(rows)
      latencies.push(performance.now() - started)
    }
    db.close()
  } else {
    const pool = new pg.Pool({ connectionString: t.target, max: 20 })
    const worker = async () => {
      while (performance.now() < until) {
        const rows = tillRows(t, n++, 7, true)
        const started = performance.now()
        const client = await pool.connect()
        try {
          await client.query('begin')
          await client.query(`insert into receipts (${RECEIPT_COLUMNS}) values ${placeholders(23)}`, rows.receipt)
          await client.query(`insert into receipt_lines (${LINE_COLUMNS}) values ${rows.lines.map((_, i) => placeholders(16, i * 16 + 1)).join(', ')}`, rows.lines.flat())
          await client.query('insert into receipt_tenders (receipt_id, seq, kind, amount, points, reference) values ($1, $2, $3, $4, $5, $6)', rows.tender)
          await client.query('insert into points_entries (id, member_id, kind, points, balance_after, receipt_id, store_id, reference, reason, actor_id, actor_name, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)', rows.entry)
          await client.query('insert into points_accounts (member_id, balance, tier_code, tier_since, tier_below_since, updated_at) values ($1, $2, null, null, null, $3) on conflict (member_id) do update set balance = points_accounts.balance + excluded.balance, updated_at = excluded.updated_at', rows.account)
          await client.query('commit')
        } catch (err) {
          await client.query('rollback').catch(() => {})
          throw err
        } finally {
          client.release()
        }
        latencies.push(performance.now() - started)
      }
    }
    const started = performance.now()
    await Promise.all(Array.from({ length: connections }, worker))
    const elapsed = (performance.now() - started) / 1000
    await pool.end()
    latencies.sort((a, b) => a - b)
    return { rate: latencies.length / elapsed, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) }
  }
  latencies.sort((a, b) => a - b)
  return { rate: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) }
}

/**
 * Receipt lines per second written in transactions of 2,000 receipts of 7 lines (no members,
 * as `--no-points`): SQLite with prepared statements, PostgreSQL with multi-row inserts.
 */
export const importCeiling = async (t: CeilingTarget, lines: number): Promise<{ rate: number }> => {
  const receipts = Math.max(1, Math.round(lines / 7))
  const perBatch = 2000
  const started = performance.now()
  let written = 0
  if (t.engine === 'sqlite') {
    const db = openSqlite(t.target)
    const receipt = db.prepare(`insert into receipts (${RECEIPT_COLUMNS}) values ${placeholders(23).replace(/\$\d+/g, '?')}`)
    const line = db.prepare(`insert into receipt_lines (${LINE_COLUMNS}) values ${placeholders(16).replace(/\$\d+/g, '?')}`)
    const batch = db.transaction((rows: Rows[]) => {
      for (const r of rows) {
        receipt.run(r.receipt)
        for (const l of r.lines) line.run(l)
      }
    })
    for (let i = 0; i < receipts; i += perBatch) {
      const rows = Array.from({ length: Math.min(perBatch, receipts - i) }, (_, k) => tillRows(t, i + k, 7, false))
      batch(rows)
      written += rows.length * 7
    }
    db.close()
  } else {
    const client = new pg.Client({ connectionString: t.target })
    await client.connect()
    for (let i = 0; i < receipts; i += perBatch) {
      const rows = Array.from({ length: Math.min(perBatch, receipts - i) }, (_, k) => tillRows(t, i + k, 7, false))
      await client.query('begin')
      for (let k = 0; k < rows.length; k += 1000) {
        const chunk = rows.slice(k, k + 1000)
        await client.query(`insert into receipts (${RECEIPT_COLUMNS}) values ${chunk.map((_, j) => placeholders(23, j * 23 + 1)).join(', ')}`, chunk.flatMap((r) => r.receipt))
      }
      const allLines = rows.flatMap((r) => r.lines)
      for (let k = 0; k < allLines.length; k += 2000) {
        const chunk = allLines.slice(k, k + 2000)
        await client.query(`insert into receipt_lines (${LINE_COLUMNS}) values ${chunk.map((_, j) => placeholders(16, j * 16 + 1)).join(', ')}`, chunk.flat())
      }
      await client.query('commit')
      written += allLines.length
    }
    await client.end()
  }
  return { rate: written / ((performance.now() - started) / 1000) }
}
