import type { Db, Engine, Trx } from '../../db/database.js'
import type { JobQueueTable, JobStatus } from './outbox.table.js'

type Conn = Db | Trx

/** Inserts jobs; one whose dedupe key is taken (queued, running or run before) is left out. Returns the ids written. */
export const insertJobs = async (db: Conn, rows: JobQueueTable[]): Promise<string[]> => {
  if (rows.length === 0) return []
  const out: string[] = []
  // 15 columns a row: 500 rows stay below SQLite's 32,766 bound parameters.
  for (let i = 0; i < rows.length; i += 500) {
    const written = await db.insertInto('job_queue').values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.column('dedupe_key').doNothing()).returning('id').execute()
    out.push(...written.map((r) => r.id))
  }
  return out
}

export interface ClaimInput {
  owner: string
  now: string
  /** the lease's end */
  until: string
  limit: number
  /** only these job names (a worker that knows no others) */
  names?: readonly string[]
}

/**
 * Claims up to `limit` due jobs in one statement: queued ones whose time has come, and running
 * ones whose lease ran out (their worker died) with attempts left. On PostgreSQL the candidates
 * are locked with SKIP LOCKED, so concurrent workers take disjoint jobs without waiting; SQLite
 * runs one write at a time, so the same statement is already atomic there. The candidates are a
 * CTE, evaluated once: as `id IN (subquery)` PostgreSQL may run the subquery again per row and
 * claim past the limit.
 */
export const claimDue = (db: Conn, engine: Engine, input: ClaimInput): Promise<JobQueueTable[]> =>
  db.with('picked', (qb) => qb.selectFrom('job_queue').select('id')
    .where((w) => w.or([
      w.and([w('status', '=', 'queued'), w('run_at', '<=', input.now)]),
      w.and([w('status', '=', 'running'), w('locked_until', '<', input.now), w('attempts', '<', w.ref('max_attempts'))]),
    ]))
    .$if(input.names !== undefined, (q) => q.where('name', 'in', input.names!.length ? [...input.names!] : ['']))
    .orderBy('run_at').orderBy('id').limit(input.limit)
    .$if(engine === 'postgres', (q) => q.forUpdate().skipLocked()))
    .updateTable('job_queue')
    .set((eb) => ({ status: 'running', attempts: eb('job_queue.attempts', '+', 1), locked_by: input.owner, locked_until: input.until, updated_at: input.now }))
    .from('picked')
    .whereRef('job_queue.id', '=', 'picked.id')
    // `*` (SQLite refuses `job_queue.*` in RETURNING): picked's only column is the same id.
    .returningAll()
    .execute() as Promise<JobQueueTable[]>

/** Claims the job with this dedupe key whatever its time or state, unless it is done or running under a live lease (a manual run). */
export const claimByKey = (db: Conn, key: string, input: Omit<ClaimInput, 'limit' | 'names'>): Promise<JobQueueTable | undefined> =>
  db.updateTable('job_queue')
    .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), locked_by: input.owner, locked_until: input.until, updated_at: input.now }))
    .where('dedupe_key', '=', key)
    .where((w) => w.or([
      w('status', 'in', ['queued', 'dead']),
      w.and([w('status', '=', 'running'), w('locked_until', '<', input.now)]),
    ]))
    .returningAll()
    .executeTakeFirst()

/** Running jobs whose lease ran out with no attempts left go to the dead-letter list (a job that keeps killing its worker). */
export const buryAbandoned = async (db: Conn, now: string): Promise<number> => {
  const rows = await db.updateTable('job_queue')
    .set({ status: 'dead', locked_by: null, locked_until: null, last_error: 'the worker stopped during the last attempt (lease expired)', updated_at: now, finished_at: now })
    .where('status', '=', 'running').where('locked_until', '<', now).where((w) => w('attempts', '>=', w.ref('max_attempts')))
    .returning('id').execute()
  return rows.length
}

export const renewLease = async (db: Conn, id: string, owner: string, until: string, now: string): Promise<boolean> => {
  const row = await db.updateTable('job_queue').set({ locked_until: until, updated_at: now })
    .where('id', '=', id).where('locked_by', '=', owner).where('status', '=', 'running').returning('id').executeTakeFirst()
  return row !== undefined
}

/** A running job's progress, if this worker still holds it. */
export const setProgress = async (db: Conn, id: string, owner: string, progress: string, now: string): Promise<void> => {
  await db.updateTable('job_queue').set({ progress, updated_at: now })
    .where('id', '=', id).where('locked_by', '=', owner).where('status', '=', 'running').execute()
}

/** Marks the job done if this worker still holds it (a worker whose lease was taken over does not overwrite). */
export const completeJob = async (db: Conn, id: string, owner: string, result: string | null, at: string): Promise<boolean> => {
  const row = await db.updateTable('job_queue')
    .set({ status: 'done', result, last_error: null, locked_by: null, locked_until: null, updated_at: at, finished_at: at })
    .where('id', '=', id).where('locked_by', '=', owner).where('status', '=', 'running').returning('id').executeTakeFirst()
  return row !== undefined
}

/** Gives a claimed job back unrun (a worker stopping): queued again, the claim's attempt not counted. */
export const releaseJob = async (db: Conn, id: string, owner: string, at: string): Promise<boolean> => {
  const row = await db.updateTable('job_queue')
    .set((eb) => ({ status: 'queued', attempts: eb('attempts', '-', 1), locked_by: null, locked_until: null, updated_at: at }))
    .where('id', '=', id).where('locked_by', '=', owner).where('status', '=', 'running').returning('id').executeTakeFirst()
  return row !== undefined
}

/** A failed attempt: queued again at `retryAt`, or dead when `retryAt` is null. */
export const failJob = async (db: Conn, id: string, owner: string, error: string, retryAt: string | null, at: string): Promise<boolean> => {
  const row = await db.updateTable('job_queue')
    .set(retryAt === null
      ? { status: 'dead', last_error: error, locked_by: null, locked_until: null, updated_at: at, finished_at: at }
      : { status: 'queued', last_error: error, run_at: retryAt, locked_by: null, locked_until: null, updated_at: at })
    .where('id', '=', id).where('locked_by', '=', owner).where('status', '=', 'running').returning('id').executeTakeFirst()
  return row !== undefined
}

export const findJobById = (db: Conn, id: string) => db.selectFrom('job_queue').selectAll().where('id', '=', id).executeTakeFirst()

export const findJobByKey = (db: Conn, key: string) => db.selectFrom('job_queue').selectAll().where('dedupe_key', '=', key).executeTakeFirst()

export const countByNameAndStatus = (db: Conn) =>
  db.selectFrom('job_queue').select(['name', 'status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['name', 'status']).execute()

/** The earliest due time of the queued jobs that are due, per name: how far behind the workers are. */
export const oldestDueByName = (db: Conn, now: string) =>
  db.selectFrom('job_queue').select(['name', (eb) => eb.fn.min<string>('run_at').as('oldest'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'queued').where('run_at', '<=', now).groupBy('name').execute()

export interface JobFilter {
  status?: JobStatus
  name?: string
  /** jobs whose last attempt failed (queued again with an error, or dead) */
  failed?: boolean
  /** id of the last row of the previous page */
  after?: string
  limit: number
}

export const listJobs = (db: Conn, filter: JobFilter) =>
  db.selectFrom('job_queue').selectAll()
    .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!))
    .$if(filter.name !== undefined, (q) => q.where('name', '=', filter.name!))
    .$if(filter.failed === true, (q) => q.where('last_error', 'is not', null).where('status', 'in', ['queued', 'dead']))
    .$if(filter.after !== undefined, (q) => q.where('id', '<', filter.after!))
    .orderBy('id', 'desc').limit(filter.limit).execute()

/** A dead job queued again now, with its attempts reset. */
export const requeueDead = async (db: Conn, id: string, at: string): Promise<boolean> => {
  const row = await db.updateTable('job_queue')
    .set({ status: 'queued', attempts: 0, run_at: at, locked_by: null, locked_until: null, finished_at: null, updated_at: at })
    .where('id', '=', id).where('status', '=', 'dead').returning('id').executeTakeFirst()
  return row !== undefined
}

export const deleteDead = async (db: Conn, id: string): Promise<boolean> => {
  const row = await db.deleteFrom('job_queue').where('id', '=', id).where('status', '=', 'dead').returning('id').executeTakeFirst()
  return row !== undefined
}

/** Forgets jobs done before `before` (their dedupe keys with them). */
export const deleteDoneBefore = async (db: Conn, before: string): Promise<number> => {
  const rows = await db.deleteFrom('job_queue').where('status', '=', 'done').where('finished_at', '<', before).returning('id').execute()
  return rows.length
}
