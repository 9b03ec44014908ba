import { basename, join } from 'node:path'
import type { Readable } from 'node:stream'
import type { Db } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { actorName, actorStaffId, assertCan } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import { streamCsvBatches, type FileLimits } from '../../shared/csv-batches.js'
import { conflict, DomainError, isDomainError, notFound, unprocessable } from '../../shared/errors.js'
import { newId, type IdPrefix } from '../../shared/ids.js'
import type { Permission } from '../../shared/permissions.js'
import type { Keyring } from '../../shared/pii.js'
import { importInBackground, removeUpload, uploadDirIn } from '../../shared/uploaded-file.js'
import * as repo from './imports.repository.js'
import type { ImportsTable } from './imports.table.js'

/** A refused row, or one problem with it: the report's line. */
export interface RowProblem {
  /** Line of the file (1 = the header). */
  line: number
  /** The file's column ('' for the whole record). */
  column: string
  value: string
  reason: string
}

export type ImportStatus = ImportsTable['status']

/** What a kind's run is told while it writes. */
export interface KindRunHooks {
  /** The run record's id (null when the file is read without one): what the writer tags its rows with. */
  importId: string | null
  /**
   * Reports the problems and counts so far and stops the run (throws) when it was cancelled: a
   * writer that holds rows across batches (receipts) calls it after each commit of its own.
   */
  progress: () => Promise<void>
}

/** One run of a kind over one file: its counts, its pure row validator and its batch writer. */
export interface KindRun<C, R> {
  /** The run's counts, changed in place by `read`, `refused` and the writer. */
  counts: C
  /** A record was read from the file (readable or not). */
  read: () => void
  /** Checks and converts one record: the row to write, and the problems found (either may be empty). No I/O. */
  validate: (record: Record<string, string>, line: number) => { row?: R; problems: RowProblem[] }
  /** A row the validator or the reader refused (its problems): counted by the kind's rules. */
  refused: (problems: RowProblem[]) => void
  /** Writes a batch of rows (in its own transactions); returns the problems it met, counted already. */
  write: (rows: R[]) => Promise<RowProblem[]>
  /** Writes what the writer still holds at the end of the file; returns the problems, counted already. */
  finish: () => Promise<RowProblem[]>
}

/**
 * A kind of import: members, products and receipts today. A later kind (segments, tags, coupon
 * lists, survey answers) joins by supplying the same three things: its fields (the settings it
 * parses, with the file's columns in `requiredColumns`), a PURE row validator (`validate`) and a
 * batch writer (`write`, through its own module's service), plus the names below; the engine
 * gives it the streaming reader and its bounds, the run record with progress, heartbeat and
 * cancel, the stored error report (paged, masked, downloadable) and the sweep of dead runs.
 */
export interface ImportKind<S, C, R> {
  /** The `kind` of its run records. */
  name: string
  idPrefix: IdPrefix
  permission: Permission
  /**
   * Records the run's end in the audit log (the kind names its actions): `changes` holds the
   * source and the counts (completed, cancelled) or the error (failed). Null: the kind's service
   * records its own (an import answered when done).
   */
  audit: Record<'completed' | 'cancelled' | 'failed', (actor: Actor, id: string, changes: Record<string, unknown>) => Promise<void>> | null
  /** The keyring field sealed report values are encrypted under. */
  sealField: string
  /** How the report is ordered: by line alone, or by line, column and reason (pages). */
  errorOrder: 'line' | 'line-column-reason'
  /** The message of a run whose process stopped. */
  interruptedMessage: string
  /** Counts of a run that has read nothing. */
  emptyCounts: () => C
  /** The columns the file must have. */
  requiredColumns: (settings: S) => string[]
  /** Checks what would fail the whole file (a 422 before anything is stored); returns the store the run is for. */
  check: (actor: Actor, settings: S) => Promise<{ storeId: string | null }>
  /** Starts a run: looks up what the validator needs (stores by code, the clock) and makes the writer. */
  open: (actor: Actor, settings: S, hooks: KindRunHooks) => Promise<KindRun<C, R>>
  /** A refused value as stored for anyone who may read the report (masked personal data), or null to store it as it is. */
  mask?: (problem: RowProblem, settings: S) => string | null
  /** The audit entry's counts of a cancelled run. */
  cancelledChanges?: (counts: C, bytesRead: number) => Record<string, unknown>
  /** The 404 of an unknown id (default IMPORT_NOT_FOUND naming the id). */
  notFound?: () => DomainError
}

export interface ImportProgressOf<C> {
  counts: C
  bytesRead: number
}

export interface FileRun<C> {
  source: Readable
  gzip?: boolean
  /** Records handed to the validator and writer at a time. */
  batchSize: number
  limits?: Partial<FileLimits>
  onProgress?: (p: ImportProgressOf<C>) => void
  onErrors?: (problems: RowProblem[]) => void | Promise<void>
  /** Called after each committed batch; throws to stop the import there (a cancel). */
  checkpoint?: () => Promise<void>
  /** The run record the rows belong to, if any. */
  importId?: string | null
}

/** A run record, the kind's settings and counts read back. */
export interface ImportRun<S, C> {
  id: string
  kind: string
  status: ImportStatus
  sourceName: string
  settings: S
  counts: C
  totalBytes: number
  processedBytes: number
  errorCode: string | null
  errorMessage: string | null
  createdBy: string | null
  storeId: string | null
  createdAt: string
  heartbeatAt: string
  finishedAt: string | null
}

export interface ImportEngineDeps {
  db: Db
  clock: Clock
  /** Seals refused personal data for the uploader's report (a kind that masks nothing needs none). */
  keyring?: Keyring
  /** Where uploads wait for their background import (a kind run only from a stream needs none). */
  dataDir?: string
  /** Bounds of imported files (PATRON_IMPORT_* settings); default DEFAULT_FILE_LIMITS. */
  limits?: Partial<FileLimits>
}

const STALE_MS = 10 * 60 * 1000
/** Progress is written at most this often (milliseconds of real time): a heartbeat, not a write per batch. */
const PROGRESS_EVERY_MS = 250

/** A run stopped because its record says it should no longer run (cancelled, or settled as interrupted). */
const stopped = () => new DomainError('conflict', 'IMPORT_CANCELLED', 'the import was cancelled')

/**
 * The import engine of one kind: reads a file through the one streaming reader into the kind's
 * validator and writer, and keeps the run record (progress, heartbeat, cancel, error report).
 */
export const createImportEngine = <S, C extends object, R>(deps: ImportEngineDeps, kind: ImportKind<S, C, R>) => {
  const { db, clock, keyring } = deps
  const now = () => clock.now().toISOString()
  const uploadDir = () => {
    if (deps.dataDir === undefined) throw new Error(`${kind.name} imports have no uploads folder`)
    return uploadDirIn(deps.dataDir)
  }
  const seal = (value: string): string => {
    if (!keyring) throw new Error(`${kind.name} imports have no keyring to seal values with`)
    return keyring.encrypt(kind.sealField, value)
  }
  /** A sealed report value in clear, or null when its key is gone (then the masked value is shown). */
  const unseal = (sealed: string): string | null => {
    try {
      return keyring ? keyring.decrypt(kind.sealField, sealed) : null
    } catch {
      return null
    }
  }

  /** Streams a file through the kind's validator and writer, a batch at a time; returns the counts. */
  const runFile = async (actor: Actor, settings: S, o: FileRun<C>): Promise<C> => {
    assertCan(actor, kind.permission)
    let bytesRead = 0
    const pending: RowProblem[] = []
    let run: KindRun<C, R> | null = null
    const progress = async () => {
      if (pending.length) await o.onErrors?.(pending.splice(0))
      o.onProgress?.({ counts: { ...run!.counts }, bytesRead })
      await o.checkpoint?.()
    }
    run = await kind.open(actor, settings, { progress, importId: o.importId ?? null })
    const r = run
    const refuse = (problems: RowProblem[]) => {
      if (problems.length === 0) return
      r.refused(problems)
      pending.push(...problems)
    }
    try {
      const streamed = await streamCsvBatches({
        source: o.source, gzip: o.gzip, requiredColumns: kind.requiredColumns(settings), batchSize: o.batchSize, limits: { ...deps.limits, ...o.limits },
        onUnreadable: (line, message) => {
          r.read()
          refuse([{ line, column: '', value: '', reason: `unreadable CSV record: ${message}` }])
        },
        onBatch: async (records, bytes) => {
          bytesRead = bytes
          const rows: R[] = []
          for (const { record, line } of records) {
            r.read()
            const { row, problems } = r.validate(record, line)
            refuse(problems)
            if (row !== undefined) rows.push(row)
          }
          pending.push(...await r.write(rows))
          await progress()
        },
      })
      bytesRead = streamed.bytesRead
      pending.push(...await r.finish())
      if (pending.length) await o.onErrors?.(pending.splice(0))
      o.onProgress?.({ counts: { ...r.counts }, bytesRead })
    } catch (e) {
      if (pending.length) await Promise.resolve(o.onErrors?.(pending.splice(0))).catch(() => {})
      throw e
    }
    return r.counts
  }

  const toRun = (r: ImportsTable): ImportRun<S, C> => ({
    id: r.id, kind: r.kind, status: r.status, sourceName: r.source_name, settings: JSON.parse(r.settings) as S,
    counts: { ...kind.emptyCounts(), ...(JSON.parse(r.counts) as Partial<C>) }, totalBytes: Number(r.total_bytes), processedBytes: Number(r.processed_bytes),
    errorCode: r.error_code, errorMessage: r.error_message, createdBy: r.created_by, storeId: r.store_id, createdAt: r.created_at,
    heartbeatAt: r.heartbeat_at, finishedAt: r.finished_at,
  })

  /** Records a new run (after checking its settings); returns its id. */
  const create = async (actor: Actor, input: { settings: S; sourceName: string; totalBytes: number; uploadFile?: string | null }): Promise<string> => {
    assertCan(actor, kind.permission)
    const { storeId } = await kind.check(actor, input.settings)
    const id = newId(kind.idPrefix)
    await repo.insertImport(db, {
      id, kind: kind.name, status: 'running', source_name: input.sourceName.slice(0, 200), settings: JSON.stringify(input.settings),
      counts: JSON.stringify(kind.emptyCounts()), total_bytes: input.totalBytes, processed_bytes: 0, error_code: null, error_message: null,
      created_by: actorStaffId(actor), store_id: storeId, created_at: now(), heartbeat_at: now(), finished_at: null, upload_file: input.uploadFile ?? null,
    })
    return id
  }

  /** Is the import still to run? Its record says no once it is cancelled (by any process) or settled as interrupted. */
  const checkStillRunning = async (id: string) => {
    if ((await repo.findImportStatus(db, id)) !== 'running') throw stopped()
  }

  /**
   * Runs an import and records its progress (with a heartbeat) and its problems, so any process
   * can report on it. Personal data in the stored report is masked; the value itself is kept
   * encrypted for the person who uploaded the file. A cancel (its record no longer running) stops
   * it after the batch in hand: what was committed stays, and the counts say how far it got.
   */
  const runRecorded = async (actor: Actor, input: Omit<FileRun<C>, 'checkpoint'> & { id?: string; settings: S; sourceName: string; totalBytes: number }): Promise<{ id: string; counts: C }> => {
    assertCan(actor, kind.permission)
    const id = input.id ?? await create(actor, input)
    let lastWrite = 0
    let last: ImportProgressOf<C> = { counts: kind.emptyCounts(), bytesRead: 0 }
    try {
      const counts = await runFile(actor, input.settings, {
        ...input, importId: id,
        checkpoint: () => checkStillRunning(id),
        onProgress: (p) => {
          last = p
          input.onProgress?.(p)
          const t = Date.now()
          if (t - lastWrite < PROGRESS_EVERY_MS) return
          lastWrite = t
          void repo.recordProgress(db, id, { counts: JSON.stringify(p.counts), processedBytes: p.bytesRead, at: now() }).catch(() => {})
        },
        onErrors: async (problems) => {
          await input.onErrors?.(problems)
          await repo.insertImportErrors(db, problems.map((e) => {
            const value = e.value.slice(0, 200)
            const masked = value ? kind.mask?.({ ...e, value }, input.settings) ?? null : null
            return {
              import_id: id, line: e.line, column_name: e.column, value: masked ?? value, reason: e.reason,
              value_sealed: masked !== null ? seal(value) : null,
            }
          }))
        },
      })
      await repo.finishImport(db, id, {
        status: 'completed', counts: JSON.stringify(counts), processed_bytes: input.totalBytes, error_code: null, error_message: null, heartbeat_at: now(), finished_at: now(),
      })
      await kind.audit?.completed(actor, id, { source: input.sourceName, ...counts })
      return { id, counts }
    } catch (e) {
      const status = await repo.findImportStatus(db, id)
      if (status && status !== 'running') {
        // Cancelled (or settled as interrupted) meanwhile: the record keeps its status and gets the final counts.
        await repo.recordFinalCounts(db, id, JSON.stringify(last.counts), last.bytesRead)
        if (status === 'cancelled') await kind.audit?.cancelled(actor, id, { source: input.sourceName, ...(kind.cancelledChanges?.(last.counts, last.bytesRead) ?? last.counts) })
        return { id, counts: last.counts }
      }
      const message = isDomainError(e) ? e.details.map((d) => d.reason).join('; ') || e.message : (e as Error).message
      await repo.failImport(db, id, {
        error_code: isDomainError(e) ? e.code : 'IMPORT_FAILED', error_message: message.slice(0, 1000), counts: JSON.stringify(last.counts),
        processed_bytes: last.bytesRead, finished_at: now(),
      })
      await kind.audit?.failed(actor, id, { source: input.sourceName, error: message.slice(0, 300) })
      throw e
    }
  }

  /**
   * Starts an import of an uploaded file in the background and returns its id at once; the file
   * is removed when the import ends (or at once, if it cannot start).
   */
  const startFromFile = async (actor: Actor, input: { path: string; sourceName: string; settings: S; batchSize: number }): Promise<string> =>
    importInBackground(input, async (totalBytes, uploadFile) => {
      assertCan(actor, kind.permission)
      return create(actor, { settings: input.settings, sourceName: input.sourceName, totalBytes, uploadFile })
    }, (id, file) => runRecorded(actor, { ...file, id, settings: input.settings, sourceName: input.sourceName, batchSize: input.batchSize }))

  /**
   * A run whose process died (restart, crash) would say "running" for ever: once it has shown no
   * progress for `staleMs` it is marked failed (IMPORT_INTERRUPTED) and its uploaded file removed.
   */
  const settleInterrupted = async (staleMs = STALE_MS) => {
    const cutoff = new Date(clock.now().getTime() - staleMs).toISOString()
    const dead = await repo.findStaleImports(db, kind.name, cutoff)
    if (dead.length === 0) return
    await repo.settleImports(db, dead.map((d) => d.id), { error_code: 'IMPORT_INTERRUPTED', error_message: kind.interruptedMessage, finished_at: now() })
    for (const d of dead) if (d.upload_file) await removeUpload(join(uploadDir(), basename(d.upload_file)))
  }

  const get = async (actor: Actor, id: string): Promise<ImportRun<S, C>> => {
    assertCan(actor, kind.permission)
    await settleInterrupted()
    const row = await repo.findImport(db, kind.name, id)
    if (!row) throw kind.notFound?.() ?? notFound('IMPORT_NOT_FOUND', [{ field: 'id', reason: 'no such import' }])
    return toRun(row)
  }

  const list = async (actor: Actor, limit = 50): Promise<Array<ImportRun<S, C>>> => {
    assertCan(actor, kind.permission)
    await settleInterrupted()
    return (await repo.listImports(db, kind.name, limit)).map(toRun)
  }

  /** Stops a running import after the batch in hand; what it committed stays. 409 once it has ended. */
  const cancel = async (actor: Actor, id: string): Promise<void> => {
    const current = await get(actor, id)
    const ended = await repo.finishImport(db, id, {
      status: 'cancelled', counts: JSON.stringify(current.counts), processed_bytes: current.processedBytes, error_code: 'IMPORT_CANCELLED',
      error_message: `cancelled by ${actorName(actor)}`, finished_at: now(),
    })
    if (!ended) throw conflict('IMPORT_NOT_RUNNING', [{ field: 'id', reason: `the import has ended (${current.status})` }])
  }

  /**
   * A page of a run's problems in file order; the cursor is where the next page starts. The
   * person who uploaded the file sees the values as they were in it (they had the file; the
   * values are what they must fix); anyone else sees personal data masked.
   */
  const errors = async (actor: Actor, id: string, page: { cursor?: string; limit?: number; maxLimit?: number } = {}): Promise<{ items: RowProblem[]; nextCursor: string | null }> => {
    const run = await get(actor, id)
    const uploader = run.createdBy != null && run.createdBy === actorStaffId(actor)
    const limit = Math.min(Math.max(page.limit ?? 100, 1), page.maxLimit ?? 5000)
    const offset = page.cursor === undefined ? 0 : Number(page.cursor)
    if (!Number.isSafeInteger(offset) || offset < 0) throw unprocessable('VALIDATION', [{ field: 'cursor', reason: 'not a cursor from this list' }])
    const rows = await repo.findImportErrors(db, id, { offset, limit: limit + 1, order: kind.errorOrder })
    return {
      items: rows.slice(0, limit).map((r) => ({ line: r.line, column: r.column_name, value: (uploader && r.value_sealed && unseal(r.value_sealed)) || r.value, reason: r.reason })),
      nextCursor: rows.length > limit ? String(offset + limit) : null,
    }
  }

  /** Every problem of a run, a page at a time (the CSV download). */
  async function* allErrors(actor: Actor, id: string): AsyncGenerator<RowProblem[]> {
    let cursor: string | undefined
    do {
      const page = await errors(actor, id, { cursor, limit: 5000 })
      yield page.items
      cursor = page.nextCursor ?? undefined
    } while (cursor !== undefined)
  }

  /** Problems per run (for lists that show them). */
  const errorCounts = (ids: string[]) => repo.countImportErrors(db, ids)

  /** The uploaded files running imports (of every kind) still read: a sweep of the uploads folder keeps them. */
  const uploadsInUse = () => repo.findUploadsInUse(db)

  return { kind, runFile, create, runRecorded, startFromFile, cancel, get, list, errors, allErrors, errorCounts, settleInterrupted, uploadsInUse, uploadDir }
}

export type ImportEngine<S, C extends object, R> = ReturnType<typeof createImportEngine<S, C, R>>
