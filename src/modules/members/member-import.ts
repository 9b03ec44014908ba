import { basename, join } from 'node:path'
import type { Readable } from 'node:stream'
import type { Db } from '../../db/database.js'
import { insertChunked } from '../../db/bulk.js'
import { isUniqueViolation } from '../../db/errors.js'
import type { Actor } from '../../shared/actor.js'
import { actorName, actorStaffId, assertCan } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import { streamCsvBatches, yieldToEventLoop, type FileLimits } from '../../shared/csv-batches.js'
import { conflict, DomainError, isDomainError, notFound, unprocessable } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { importInBackground, removeUpload, uploadDirIn } from '../../shared/uploaded-file.js'
import type { Keyring } from '../../shared/pii.js'
import { maskAddress, maskEmail, maskIdNumber, maskName, maskPhone } from '../../shared/pii.js'
import { parseLocalDateTime } from '../../shared/time.js'
import type { AuditService } from '../audit/index.js'
import { findStoreById } from '../org/index.js'
import { phoneIndex } from './member-codec.js'
import type { NormalizedMember } from './member-rules.js'
import type { MembersService } from './members.service.js'
import type { MemberImportsTable } from './members.table.js'
import { CONSENT_CHANNELS, type ConsentChannel, type RegisterInput } from './members.types.js'

export const IMPORT_FIELDS = [
  'phone', 'name', 'gender', 'birthday', 'idNumber', 'email', 'occupation', 'education', 'incomeBand', 'district', 'address',
  'externalCode', 'storeCode', 'registeredAt', ...CONSENT_CHANNELS.map((c) => `consent.${c}` as const),
] as const
export type ImportField = (typeof IMPORT_FIELDS)[number]

/** CSV column → Patron field. */
export type ImportMapping = Record<string, ImportField>

export interface ImportRowError {
  line: number
  column: string
  value: string
  reason: string
}

export interface ImportCounts {
  rowsRead: number
  inserted: number
  updated: number
  skipped: number
  failed: number
}

export interface ImportProgress extends ImportCounts {
  bytesRead: number
}

export interface ImportOptions {
  source: Readable
  gzip?: boolean
  mapping: ImportMapping
  /** Update members that already exist (by phone or external code) instead of skipping them. */
  updateExisting?: boolean
  /** Registration store for rows without a storeCode column. */
  defaultStoreId?: string | null
  batchSize?: number
  onProgress?: (p: ImportProgress) => void
  onErrors?: (errors: ImportRowError[]) => void | Promise<void>
  /** Called after each committed batch; throws to stop the import there (a cancel). */
  checkpoint?: () => Promise<void>
  /** Bounds of the file (default: the service's). */
  limits?: Partial<FileLimits>
}

export interface MemberImport extends ImportCounts {
  id: string
  status: MemberImportsTable['status']
  sourceName: string
  mapping: ImportMapping
  updateExisting: boolean
  totalBytes: number
  processedBytes: number
  /** Why it stopped: a code the console translates (IMPORT_CANCELLED, IMPORT_INTERRUPTED, IMPORT_TOO_MANY_ROWS, …). */
  errorCode: string | null
  errorMessage: string | null
  createdAt: string
  finishedAt: string | null
}

/** Parses `col=field,col2=field2`; column names may hold spaces but not `,` or `=`. */
export const parseMapping = (text: string): ImportMapping => {
  const mapping: ImportMapping = {}
  const used = new Set<string>()
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.lastIndexOf('=')
    const column = part.slice(0, eq).trim()
    const field = part.slice(eq + 1).trim()
    if (eq <= 0 || !column || !field) throw unprocessable('IMPORT_MAPPING_INVALID', [{ field: 'mapping', reason: `"${part}" is not column=field` }])
    if (!(IMPORT_FIELDS as readonly string[]).includes(field)) {
      throw unprocessable('IMPORT_MAPPING_INVALID', [{ field: 'mapping', reason: `unknown field "${field}"; fields are ${IMPORT_FIELDS.join(', ')}` }])
    }
    if (used.has(field)) throw unprocessable('IMPORT_MAPPING_INVALID', [{ field: 'mapping', reason: `field "${field}" is mapped twice` }])
    used.add(field)
    mapping[column] = field as ImportField
  }
  if (Object.keys(mapping).length === 0) throw unprocessable('IMPORT_MAPPING_INVALID', [{ field: 'mapping', reason: 'map at least one column' }])
  if (!used.has('phone') && !used.has('externalCode')) {
    throw unprocessable('IMPORT_MAPPING_INVALID', [{ field: 'mapping', reason: 'map phone or externalCode: they are what makes a re-run skip rows already imported' }])
  }
  return mapping
}

const GENDER_WORDS: Record<string, 'male' | 'female' | 'unknown'> = {
  male: 'male', m: 'male', '男': 'male', '1': 'male', female: 'female', f: 'female', '女': 'female', '2': 'female', unknown: 'unknown', '未知': 'unknown', '0': 'unknown',
}
const YES = new Set(['1', 'true', 'yes', 'y', '是', '同意'])
const NO = new Set(['0', 'false', 'no', 'n', '否', '不同意', ''])

const PII_IMPORT_FIELDS: Partial<Record<ImportField, (v: string) => string>> = {
  phone: maskPhone, name: maskName, idNumber: maskIdNumber, email: maskEmail, address: maskAddress,
}

interface PreparedRow {
  line: number
  value: Partial<NormalizedMember>
  storeId: string | null
  registeredAt: string | null
  consents: Partial<Record<ConsentChannel, boolean>>
  input: RegisterInput
}

const STALE_MS = 10 * 60 * 1000

/** A run stopped because its record says it should no longer run (cancelled, or settled as interrupted). */
const stopped = () => new DomainError('conflict', 'IMPORT_CANCELLED', 'the import was cancelled')

export interface ImportDeps {
  db: Db
  members: MembersService
  audit: AuditService
  clock: Clock
  keyring: Keyring
  dataDir: string
  timezone: string
  /** Bounds of imported files (PATRON_IMPORT_* settings); default DEFAULT_FILE_LIMITS. */
  limits?: Partial<FileLimits>
}

export const createMemberImportService = (deps: ImportDeps) => {
  const { db, members, audit, clock, keyring, timezone } = deps
  const now = () => clock.now().toISOString()
  /** A sealed report value in clear, or null when its key is gone (then the masked value is shown). */
  const unseal = (field: string, sealed: string): string | null => {
    try {
      return keyring.decrypt(field, sealed)
    } catch {
      return null
    }
  }

  /** The default registration store must exist: refused up front, not as a failed insert mid-file. */
  const checkDefaultStore = async (storeId: string | null | undefined) => {
    if (!storeId) return
    if (!(await findStoreById(db, storeId))) throw unprocessable('VALIDATION', [{ field: 'storeId', reason: 'no such store' }])
  }

  /** Streams a CSV into the member file; returns the counts. Rows are committed a batch at a time. */
  const run = async (actor: Actor, options: ImportOptions): Promise<ImportCounts> => {
    assertCan(actor, 'members.import')
    await checkDefaultStore(options.defaultStoreId)
    const mapping = options.mapping
    // Batches big enough that a commit of random-key index pages is not paid per row, small enough
    // that the till's lookups wait for one batch at most (the import yields between batches).
    const batchSize = options.batchSize ?? 500
    const columnOf = Object.fromEntries(Object.entries(mapping).map(([col, field]) => [field, col])) as Partial<Record<ImportField, string>>
    const stores = new Map((await db.selectFrom('stores').select(['id', 'code', 'status']).execute()).map((s) => [s.code, s]))
    const counts: ImportCounts = { rowsRead: 0, inserted: 0, updated: 0, skipped: 0, failed: 0 }

    const fieldColumn = (field: string): string => {
      const f = field.startsWith('consents.') ? `consent.${field.slice('consents.'.length)}` : field === 'registrationStoreId' ? 'storeCode' : field
      return columnOf[f as ImportField] ?? f
    }

    const prepare = (record: Record<string, string>, line: number): { row?: PreparedRow; errors: ImportRowError[] } => {
      const errors: ImportRowError[] = []
      const get = (f: ImportField): string | undefined => {
        const col = columnOf[f]
        return col === undefined ? undefined : (record[col] ?? '').trim()
      }
      const err = (f: ImportField | string, reason: string) => {
        const column = fieldColumn(f)
        errors.push({ line, column, value: record[column] ?? '', reason })
      }
      const input: RegisterInput = { channel: 'import' }
      for (const f of ['phone', 'name', 'birthday', 'idNumber', 'email', 'district', 'address', 'externalCode'] as const) {
        const v = get(f)
        if (v !== undefined) input[f] = v === '' ? null : v
      }
      for (const f of ['occupation', 'education', 'incomeBand'] as const) {
        const v = get(f)
        if (v !== undefined) (input as Record<string, unknown>)[f] = v === '' ? null : v
      }
      const gender = get('gender')
      if (gender !== undefined && gender !== '') {
        const g = GENDER_WORDS[gender.toLowerCase()]
        if (g) input.gender = g
        else err('gender', 'must be male/female (男/女, M/F) or unknown')
      }
      let storeId = options.defaultStoreId ?? null
      const storeCode = get('storeCode')
      if (storeCode) {
        const store = stores.get(storeCode)
        if (!store) err('storeCode', 'no store with this code')
        else storeId = store.id
      }
      let registeredAt: string | null = null
      const at = get('registeredAt')
      if (at) {
        const d = parseLocalDateTime(at, timezone)
        if (!d) err('registeredAt', 'not a date or date-time (YYYY-MM-DD[ HH:MM:SS])')
        else if (d.getTime() > clock.now().getTime()) err('registeredAt', 'is in the future')
        else registeredAt = d.toISOString()
      }
      const consents: Partial<Record<ConsentChannel, boolean>> = {}
      for (const ch of CONSENT_CHANNELS) {
        const v = get(`consent.${ch}`)
        if (v === undefined) continue
        if (YES.has(v.toLowerCase())) consents[ch] = true
        else if (NO.has(v.toLowerCase())) consents[ch] = false
        else err(`consent.${ch}`, 'must be yes/no (1/0, true/false, 是/否)')
      }
      if (!input.phone && !input.externalCode) err(input.phone === undefined ? 'externalCode' : 'phone', 'a row needs a phone or an external member code')
      const { value, errors: fieldErrors } = validate(input)
      for (const e of fieldErrors) err(e.field, e.reason)
      if (errors.length) return { errors }
      return { row: { line, value, storeId, registeredAt, consents, input }, errors }
    }

    const validate = (input: RegisterInput): { value: Partial<NormalizedMember>; errors: { field: string; reason: string }[] } => {
      try {
        return { value: members.internals.validateSync(input), errors: [] }
      } catch (e) {
        if (isDomainError(e)) return { value: {}, errors: e.details }
        throw e
      }
    }

    const pendingErrors: ImportRowError[] = []
    const reportErrors = (errs: ImportRowError[]) => {
      if (errs.length === 0) return
      counts.failed += 1
      pendingErrors.push(...errs)
    }

    /** Inserts the new rows of a batch; returns the rows it had to leave for the next batch. */
    const processBatch = async (rows: PreparedRow[]): Promise<PreparedRow[]> => {
      // Two rows of one person in one batch: the later one waits for the next batch, where it
      // meets the first as an existing member (skipped, or an update with --update).
      const seen = new Set<string>()
      const now_: PreparedRow[] = []
      const later: PreparedRow[] = []
      for (const r of rows) {
        const keys = [r.value.phone && `p:${r.value.phone}`, r.value.externalCode && `x:${r.value.externalCode}`, r.value.idNumber && `i:${r.value.idNumber}`].filter(Boolean) as string[]
        if (keys.some((k) => seen.has(k))) later.push(r)
        else {
          keys.forEach((k) => seen.add(k))
          now_.push(r)
        }
      }
      for (let attempt = 0; ; attempt++) {
        try {
          await insertBatch(now_)
          return later
        } catch (e) {
          // A till registered one of these phones meanwhile, or a card number collided: re-check and retry.
          if (attempt < 3 && isUniqueViolation(e)) continue
          throw e
        }
      }
    }

    const insertBatch = async (rows: PreparedRow[]) => {
      const phoneBidx = rows.filter((r) => r.value.phone).map((r) => phoneIndex(keyring, r.value.phone!))
      const codes = rows.filter((r) => r.value.externalCode).map((r) => r.value.externalCode!)
      const idBidx = rows.filter((r) => r.value.idNumber).map((r) => keyring.blindIndex('id_number', r.value.idNumber!))
      // One indexed query per key: an OR of IN lists would scan the whole table on SQLite.
      const cols = ['id', 'phone_bidx', 'external_code', 'id_number_bidx', 'merged_into_id', 'status'] as const
      const existing = [
        ...(phoneBidx.length ? await db.selectFrom('members').select(cols).where('phone_bidx', 'in', phoneBidx).execute() : []),
        ...(codes.length ? await db.selectFrom('members').select(cols).where('external_code', 'in', codes).execute() : []),
        ...(idBidx.length ? await db.selectFrom('members').select(cols).where('id_number_bidx', 'in', idBidx).execute() : []),
      ]
      // A turn of the event loop between the batch's statements: the till's requests queue for the
      // one SQLite connection behind these, and are only read from their sockets between turns.
      await yieldToEventLoop()
      const byPhone = new Map(existing.filter((e) => e.phone_bidx).map((e) => [e.phone_bidx!, e]))
      const byCode = new Map(existing.filter((e) => e.external_code).map((e) => [e.external_code!, e]))
      const byId = new Map(existing.filter((e) => e.id_number_bidx).map((e) => [e.id_number_bidx!, e]))

      const fresh: PreparedRow[] = []
      const updates: Array<{ row: PreparedRow; id: string }> = []
      const rowErrors: ImportRowError[][] = []
      // Counted only once the insert committed: a retried batch must not count its skips twice.
      let skipped = 0
      for (const r of rows) {
        const match = (r.value.phone && byPhone.get(phoneIndex(keyring, r.value.phone))) || (r.value.externalCode && byCode.get(r.value.externalCode)) || undefined
        if (match) {
          const id = match.merged_into_id ?? match.id
          if (options.updateExisting && match.status !== 'erased') updates.push({ row: r, id })
          else skipped++
          continue
        }
        const holder = r.value.idNumber ? byId.get(keyring.blindIndex('id_number', r.value.idNumber)) : undefined
        if (holder) {
          rowErrors.push([{ line: r.line, column: fieldColumn('idNumber'), value: r.input.idNumber ?? '', reason: 'belongs to another member' }])
          continue
        }
        fresh.push(r)
      }

      if (fresh.length) {
        await members.internals.insertMany(actor, fresh.map((r) => ({
          value: r.value, storeId: r.storeId, registeredBy: actorStaffId(actor), channel: 'import' as const,
          registeredAt: r.registeredAt, consents: r.consents, consentSource: 'import',
        })))
        counts.inserted += fresh.length
        await yieldToEventLoop()
      }
      counts.skipped += skipped

      for (const { row, id } of updates) {
        const { storeCode: _s, channel: _c, consents: _k, registeredAt: _r, registrationStoreId: _i, ...profile } = row.input as RegisterInput & { storeCode?: string }
        try {
          const { changed } = await members.internals.applyUpdate(actor, id, profile)
          if (changed) counts.updated++
          else counts.skipped++
        } catch (e) {
          if (!isDomainError(e)) throw e
          rowErrors.push(e.details.map((d) => ({ line: row.line, column: fieldColumn(d.field), value: (row.input as Record<string, unknown>)[d.field] as string ?? '', reason: d.reason })))
        }
      }
      for (const errs of rowErrors) reportErrors(errs)
    }

    const flushErrors = async () => {
      if (pendingErrors.length === 0) return
      const errs = pendingErrors.splice(0)
      await options.onErrors?.(errs)
    }

    let carried: PreparedRow[] = []
    let bytesRead = 0
    const flush = async (rows: PreparedRow[]) => {
      carried = await processBatch([...carried, ...rows])
      await flushErrors()
      options.onProgress?.({ ...counts, bytesRead })
      await options.checkpoint?.()
    }
    try {
      const streamed = await streamCsvBatches({
        source: options.source, gzip: options.gzip, requiredColumns: Object.keys(mapping), batchSize, limits: { ...deps.limits, ...options.limits },
        onUnreadable: (line, message) => {
          counts.rowsRead++
          reportErrors([{ line, column: '', value: '', reason: `unreadable CSV record: ${message}` }])
        },
        onBatch: async (records, bytes) => {
          bytesRead = bytes
          const rows: PreparedRow[] = []
          for (const { record, line } of records) {
            counts.rowsRead++
            const { row, errors } = prepare(record, line)
            if (row) rows.push(row)
            else reportErrors(errors)
          }
          await flush(rows)
        },
      })
      bytesRead = streamed.bytesRead
      while (carried.length > 0) await flush([])
      await flushErrors()
      options.onProgress?.({ ...counts, bytesRead })
    } catch (e) {
      await flushErrors().catch(() => {})
      throw e
    }
    return counts
  }

  const toImport = (r: MemberImportsTable): MemberImport => ({
    id: r.id, status: r.status, sourceName: r.source_name, mapping: JSON.parse(r.mapping) as ImportMapping, updateExisting: r.update_existing === 1,
    totalBytes: r.total_bytes, processedBytes: r.processed_bytes, rowsRead: r.rows_read, inserted: r.inserted, updated: r.updated,
    skipped: r.skipped, failed: r.failed, errorCode: r.error_code, errorMessage: r.error_message, createdAt: r.created_at, finishedAt: r.finished_at,
  })

  /** Is the import still to run? Its record says no once it is cancelled (by any process) or settled as interrupted. */
  const checkStillRunning = async (id: string) => {
    const row = await db.selectFrom('member_imports').select('status').where('id', '=', id).executeTakeFirst()
    if (row?.status !== 'running') throw stopped()
  }

  /**
   * Runs an import and records its progress and errors in the database, so any API process
   * can report on it and the console can download the error report. PII values in the stored
   * report are masked; the refused value itself is kept encrypted for the person who uploaded
   * the file. A cancel (its record no longer running) stops it after the batch in hand: what was
   * committed stays, and the counts say how far it got.
   */
  const runRecorded = async (actor: Actor, input: { id?: string; source: Readable; gzip?: boolean; sourceName: string; totalBytes: number; mapping: ImportMapping; updateExisting?: boolean; defaultStoreId?: string | null; limits?: Partial<FileLimits>; onProgress?: (p: ImportProgress) => void; onErrors?: (errors: ImportRowError[]) => void | Promise<void> }): Promise<MemberImport> => {
    assertCan(actor, 'members.import')
    const id = input.id ?? await create(actor, input)
    let lastWrite = 0
    let last: ImportProgress = { rowsRead: 0, inserted: 0, updated: 0, skipped: 0, failed: 0, bytesRead: 0 }
    const countColumns = (p: ImportCounts) => ({ rows_read: p.rowsRead, inserted: p.inserted, updated: p.updated, skipped: p.skipped, failed: p.failed })
    try {
      const counts = await run(actor, {
        source: input.source, gzip: input.gzip, mapping: input.mapping, updateExisting: input.updateExisting, defaultStoreId: input.defaultStoreId, limits: input.limits,
        checkpoint: () => checkStillRunning(id),
        onProgress: (p) => {
          last = p
          input.onProgress?.(p)
          const t = Date.now()
          if (t - lastWrite < 250) return
          lastWrite = t
          void db.updateTable('member_imports').set({ processed_bytes: p.bytesRead, ...countColumns(p), heartbeat_at: now() })
            .where('id', '=', id).where('status', '=', 'running').execute().catch(() => {})
        },
        onErrors: async (errs) => {
          await input.onErrors?.(errs)
          const columnField = input.mapping
          await insertChunked(db, 'member_import_errors', errs.map((e) => {
            const mask = PII_IMPORT_FIELDS[columnField[e.column] as ImportField]
            const value = e.value.slice(0, 200)
            return {
              import_id: id, line: e.line, column_name: e.column, value: value && mask ? mask(value) : value, reason: e.reason,
              value_sealed: value && mask ? keyring.encrypt('member_import_errors.value', value) : null,
            }
          }))
        },
      })
      await db.updateTable('member_imports').set({
        status: 'completed', processed_bytes: input.totalBytes, ...countColumns(counts), finished_at: now(),
      }).where('id', '=', id).where('status', '=', 'running').execute()
      await audit.record(db, actor, { action: 'member.import', entityType: 'member_import', entityId: id, changes: { source: input.sourceName, ...counts } })
    } catch (e) {
      const current = await db.selectFrom('member_imports').select('status').where('id', '=', id).executeTakeFirst()
      if (current && current.status !== 'running') {
        // Cancelled (or settled as interrupted) meanwhile: the record keeps its status and gets the final counts.
        await db.updateTable('member_imports').set({ processed_bytes: last.bytesRead, ...countColumns(last) }).where('id', '=', id).execute()
        if (current.status === 'cancelled') await audit.record(db, actor, { action: 'member.import_cancelled', entityType: 'member_import', entityId: id, changes: { source: input.sourceName, ...countColumns(last) } })
        return get(actor, id)
      }
      const message = isDomainError(e) ? e.details.map((d) => d.reason).join('; ') || e.message : (e as Error).message
      await db.updateTable('member_imports').set({
        status: 'failed', error_code: isDomainError(e) ? e.code : 'IMPORT_FAILED', error_message: message.slice(0, 1000), ...countColumns(last), finished_at: now(),
      }).where('id', '=', id).execute()
      await audit.record(db, actor, { action: 'member.import_failed', entityType: 'member_import', entityId: id, changes: { source: input.sourceName, error: message.slice(0, 300) } })
      throw e
    }
    return get(actor, id)
  }

  const create = async (actor: Actor, input: { sourceName: string; totalBytes: number; mapping: ImportMapping; updateExisting?: boolean; defaultStoreId?: string | null; uploadFile?: string | null }): Promise<string> => {
    await checkDefaultStore(input.defaultStoreId)
    const id = newId('imp')
    await db.insertInto('member_imports').values({
      id, status: 'running', source_name: input.sourceName.slice(0, 200), mapping: JSON.stringify(input.mapping), update_existing: input.updateExisting ? 1 : 0,
      registration_store_id: input.defaultStoreId ?? null, total_bytes: input.totalBytes, processed_bytes: 0, rows_read: 0, inserted: 0, updated: 0,
      skipped: 0, failed: 0, error_code: null, error_message: null, created_by: actorStaffId(actor), created_at: now(), heartbeat_at: now(), finished_at: null,
      upload_file: input.uploadFile ?? null,
    }).execute()
    return id
  }

  /**
   * Starts an import of an uploaded file in the background and returns at once; the file is
   * removed when the import ends (or at once, if it cannot start). Progress: `get(id)`.
   */
  const startFromFile = async (actor: Actor, input: { path: string; sourceName: string; mapping: ImportMapping; updateExisting?: boolean; defaultStoreId?: string | null }): Promise<MemberImport> => {
    const id = await importInBackground(input, async (totalBytes, uploadFile) => {
      assertCan(actor, 'members.import')
      return create(actor, { ...input, totalBytes, uploadFile })
    }, (id, file) => runRecorded(actor, { ...input, id, ...file }))
    return get(actor, id)
  }

  /** Stops a running import after the batch in hand; what it committed stays. 409 once it has ended. */
  const cancel = async (actor: Actor, id: string): Promise<MemberImport> => {
    const current = await get(actor, id)
    const res = await db.updateTable('member_imports')
      .set({ status: 'cancelled', error_code: 'IMPORT_CANCELLED', error_message: `cancelled by ${actorName(actor)}`, finished_at: now() })
      .where('id', '=', id).where('status', '=', 'running').executeTakeFirst()
    if (Number(res.numUpdatedRows) === 0) throw conflict('IMPORT_NOT_RUNNING', [{ field: 'id', reason: `the import has ended (${current.status})` }])
    return get(actor, id)
  }

  /**
   * An import whose process died (restart, crash) would say "running" for ever: once it has
   * shown no progress for `staleMs` it is marked failed (IMPORT_INTERRUPTED) and its uploaded
   * file removed; running the file again completes it.
   */
  const settleInterrupted = async (staleMs = STALE_MS) => {
    const cutoff = new Date(clock.now().getTime() - staleMs).toISOString()
    const dead = await db.selectFrom('member_imports').select(['id', 'upload_file']).where('status', '=', 'running').where('heartbeat_at', '<', cutoff).execute()
    if (dead.length === 0) return
    await db.updateTable('member_imports')
      .set({ status: 'failed', error_code: 'IMPORT_INTERRUPTED', error_message: 'interrupted: the server running it stopped; import the same file again to complete it (rows already imported are skipped)', finished_at: now() })
      .where('id', 'in', dead.map((d) => d.id)).where('status', '=', 'running').execute()
    for (const d of dead) if (d.upload_file) await removeUpload(join(uploadDir(), basename(d.upload_file)))
  }

  /** The uploaded files running imports still read: a sweep of the uploads folder keeps them. */
  const uploadsInUse = async (): Promise<string[]> =>
    (await db.selectFrom('member_imports').select('upload_file').where('status', '=', 'running').where('upload_file', 'is not', null).execute()).map((r) => r.upload_file!)

  const get = async (actor: Actor, id: string): Promise<MemberImport> => {
    assertCan(actor, 'members.import')
    await settleInterrupted()
    const row = await db.selectFrom('member_imports').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw notFound('IMPORT_NOT_FOUND', [], 'no such import')
    return toImport(row)
  }

  const list = async (actor: Actor): Promise<MemberImport[]> => {
    assertCan(actor, 'members.import')
    await settleInterrupted()
    return (await db.selectFrom('member_imports').selectAll().orderBy('id', 'desc').limit(50).execute()).map(toImport)
  }

  /**
   * The import's refused rows. The person who uploaded the file sees the values as they were in
   * it (they had the file; the values are what they must fix); anyone else sees PII masked.
   */
  const errors = async (actor: Actor, id: string): Promise<ImportRowError[]> => {
    await get(actor, id)
    const owner = await db.selectFrom('member_imports').select('created_by').where('id', '=', id).executeTakeFirst()
    const uploader = owner?.created_by != null && owner.created_by === actorStaffId(actor)
    const rows = await db.selectFrom('member_import_errors').selectAll().where('import_id', '=', id).orderBy('line').limit(100_000).execute()
    return rows.map((r) => ({ line: r.line, column: r.column_name, value: (uploader && r.value_sealed && unseal('member_import_errors.value', r.value_sealed)) || r.value, reason: r.reason }))
  }

  const uploadDir = () => uploadDirIn(deps.dataDir)

  return { run, runRecorded, startFromFile, cancel, get, list, errors, uploadDir, uploadsInUse, settleInterrupted }
}

export type MemberImportService = ReturnType<typeof createMemberImportService>
