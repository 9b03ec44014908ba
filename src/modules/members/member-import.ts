import type { Readable } from 'node:stream'
import type { Db } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import type { Actor } from '../../shared/actor.js'
import { actorStaffId } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import { yieldToEventLoop, type FileLimits } from '../../shared/csv-batches.js'
import { isDomainError, notFound, unprocessable } from '../../shared/errors.js'
import type { Keyring } from '../../shared/pii.js'
import { maskAddress, maskEmail, maskIdNumber, maskName, maskPhone } from '../../shared/pii.js'
import { parseLocalDateTime } from '../../shared/time.js'
import type { AuditService } from '../audit/index.js'
import { createImportEngine, type ImportKind, type ImportRun, type ImportStatus, type KindRun, type RowProblem } from '../imports/index.js'
import { findStoreById, storeIdsByCode } from '../org/index.js'
import { phoneIndex } from './member-codec.js'
import type { NormalizedMember } from './member-rules.js'
import { findMembersForImport } from './members.repository.js'
import type { MembersService } from './members.service.js'
import { CONSENT_CHANNELS, type ConsentChannel, type RegisterInput } from './members.types.js'

export const IMPORT_FIELDS = [
  'phone', 'name', 'gender', 'birthday', 'idNumber', 'email', 'occupation', 'education', 'incomeBand', 'district', 'address',
  'externalCode', 'storeCode', 'registeredAt', ...CONSENT_CHANNELS.map((c) => `consent.${c}` as const),
] as const
export type ImportField = (typeof IMPORT_FIELDS)[number]

/** CSV column → Patron field. */
export type ImportMapping = Record<string, ImportField>

/** A refused row's problem: line, the file's column, the value and why. */
export type ImportRowError = RowProblem

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
  status: ImportStatus
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

/** What a member import is asked to do; stored with its run. */
export interface MemberImportSettings {
  mapping: ImportMapping
  /** Update members that already exist (by phone or external code) instead of skipping them. */
  updateExisting?: boolean
  /** Registration store for rows without a storeCode column. */
  defaultStoreId?: string | null
}

export interface PreparedRow {
  line: number
  value: Partial<NormalizedMember>
  storeId: string | null
  registeredAt: string | null
  consents: Partial<Record<ConsentChannel, boolean>>
  input: RegisterInput
}

/** What the row validator needs besides the record: looked up once per run. */
export interface MemberRowContext {
  /** Field → the file's column. */
  columnOf: Partial<Record<ImportField, string>>
  /** Store id by store code. */
  stores: ReadonlyMap<string, string>
  defaultStoreId: string | null
  timezone: string
  now: Date
  /** The members service's field rules (pure). */
  validate: (input: RegisterInput) => { value: Partial<NormalizedMember>; errors: { field: string; reason: string }[] }
}

/** The file's column a field (or a members-service field name) is read from. */
const fieldColumn = (ctx: MemberRowContext, field: string): string => {
  const f = field.startsWith('consents.') ? `consent.${field.slice('consents.'.length)}` : field === 'registrationStoreId' ? 'storeCode' : field
  return ctx.columnOf[f as ImportField] ?? f
}

/** Checks and converts one record of a member file: the row to write, or its problems. Pure. */
export const validateMemberRow = (record: Record<string, string>, line: number, ctx: MemberRowContext): { row?: PreparedRow; problems: RowProblem[] } => {
  const problems: RowProblem[] = []
  const get = (f: ImportField): string | undefined => {
    const col = ctx.columnOf[f]
    return col === undefined ? undefined : (record[col] ?? '').trim()
  }
  const err = (f: ImportField | string, reason: string) => {
    const column = fieldColumn(ctx, f)
    problems.push({ line, column, value: record[column] ?? '', reason })
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
  let storeId = ctx.defaultStoreId
  const storeCode = get('storeCode')
  if (storeCode) {
    const store = ctx.stores.get(storeCode)
    if (!store) err('storeCode', 'no store with this code')
    else storeId = store
  }
  let registeredAt: string | null = null
  const at = get('registeredAt')
  if (at) {
    const d = parseLocalDateTime(at, ctx.timezone)
    if (!d) err('registeredAt', 'not a date or date-time (YYYY-MM-DD[ HH:MM:SS])')
    else if (d.getTime() > ctx.now.getTime()) err('registeredAt', 'is in the future')
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
  const { value, errors: fieldErrors } = ctx.validate(input)
  for (const e of fieldErrors) err(e.field, e.reason)
  if (problems.length) return { problems }
  return { row: { line, value, storeId, registeredAt, consents, input }, problems }
}

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

const emptyCounts = (): ImportCounts => ({ rowsRead: 0, inserted: 0, updated: 0, skipped: 0, failed: 0 })

/** Members as a kind of import: the rows of a member file, written through the members service. */
const memberImportKind = (deps: ImportDeps): ImportKind<MemberImportSettings, ImportCounts, PreparedRow> => {
  const { db, members, audit, keyring, clock, timezone } = deps

  /** The default registration store must exist: refused up front, not as a failed insert mid-file. */
  const checkDefaultStore = async (storeId: string | null | undefined) => {
    if (!storeId) return
    if (!(await findStoreById(db, storeId))) throw unprocessable('VALIDATION', [{ field: 'storeId', reason: 'no such store' }])
  }

  const validateSync = (input: RegisterInput): ReturnType<MemberRowContext['validate']> => {
    try {
      return { value: members.internals.validateSync(input), errors: [] }
    } catch (e) {
      if (isDomainError(e)) return { value: {}, errors: e.details }
      throw e
    }
  }

  const open = async (actor: Actor, settings: MemberImportSettings): Promise<KindRun<ImportCounts, PreparedRow>> => {
    await checkDefaultStore(settings.defaultStoreId)
    const ctx: MemberRowContext = {
      columnOf: Object.fromEntries(Object.entries(settings.mapping).map(([col, field]) => [field, col])) as Partial<Record<ImportField, string>>,
      stores: await storeIdsByCode(db), defaultStoreId: settings.defaultStoreId ?? null, timezone, now: clock.now(), validate: validateSync,
    }
    const counts = emptyCounts()

    /** Writes the new rows of a batch (and updates, if asked); returns the problems of the rows it refused. */
    const insertBatch = async (rows: PreparedRow[], problems: RowProblem[]) => {
      const phoneBidx = rows.filter((r) => r.value.phone).map((r) => phoneIndex(keyring, r.value.phone!))
      const codes = rows.filter((r) => r.value.externalCode).map((r) => r.value.externalCode!)
      const idBidx = rows.filter((r) => r.value.idNumber).map((r) => keyring.blindIndex('id_number', r.value.idNumber!))
      // One indexed query per key: an OR of IN lists would scan the whole table on SQLite.
      const existing = [
        ...await findMembersForImport(db, 'phone_bidx', phoneBidx),
        ...await findMembersForImport(db, 'external_code', codes),
        ...await findMembersForImport(db, 'id_number_bidx', idBidx),
      ]
      // A turn of the event loop between the batch's statements: the till's requests queue for the
      // one SQLite connection behind these, and are only read from their sockets between turns.
      await yieldToEventLoop()
      const byPhone = new Map(existing.filter((e) => e.phone_bidx).map((e) => [e.phone_bidx!, e]))
      const byCode = new Map(existing.filter((e) => e.external_code).map((e) => [e.external_code!, e]))
      const byId = new Map(existing.filter((e) => e.id_number_bidx).map((e) => [e.id_number_bidx!, e]))

      const fresh: PreparedRow[] = []
      const updates: Array<{ row: PreparedRow; id: string }> = []
      const rowErrors: RowProblem[][] = []
      // Counted only once the insert committed: a retried batch must not count its skips twice.
      let skipped = 0
      for (const r of rows) {
        const match = (r.value.phone && byPhone.get(phoneIndex(keyring, r.value.phone))) || (r.value.externalCode && byCode.get(r.value.externalCode)) || undefined
        if (match) {
          const id = match.merged_into_id ?? match.id
          if (settings.updateExisting && match.status !== 'erased') updates.push({ row: r, id })
          else skipped++
          continue
        }
        const holder = r.value.idNumber ? byId.get(keyring.blindIndex('id_number', r.value.idNumber)) : undefined
        if (holder) {
          rowErrors.push([{ line: r.line, column: fieldColumn(ctx, 'idNumber'), value: r.input.idNumber ?? '', reason: 'belongs to another member' }])
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
          rowErrors.push(e.details.map((d) => ({ line: row.line, column: fieldColumn(ctx, d.field), value: (row.input as Record<string, unknown>)[d.field] as string ?? '', reason: d.reason })))
        }
      }
      for (const errs of rowErrors) {
        if (errs.length === 0) continue
        counts.failed += 1
        problems.push(...errs)
      }
    }

    /** Writes a batch; returns the rows it had to leave for the next batch. */
    const processBatch = async (rows: PreparedRow[], problems: RowProblem[]): Promise<PreparedRow[]> => {
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
          await insertBatch(now_, problems)
          return later
        } catch (e) {
          // A till registered one of these phones meanwhile, or a card number collided: re-check and retry.
          if (attempt < 3 && isUniqueViolation(e)) continue
          throw e
        }
      }
    }

    let carried: PreparedRow[] = []
    return {
      counts,
      read: () => { counts.rowsRead++ },
      validate: (record, line) => validateMemberRow(record, line, ctx),
      refused: () => { counts.failed += 1 },
      write: async (rows) => {
        const problems: RowProblem[] = []
        carried = await processBatch([...carried, ...rows], problems)
        return problems
      },
      finish: async () => {
        const problems: RowProblem[] = []
        while (carried.length > 0) carried = await processBatch(carried, problems)
        return problems
      },
    }
  }

  return {
    name: 'members', idPrefix: 'imp', permission: 'members.import', audit: {
      completed: (actor, id, changes) => audit.record(db, actor, { action: 'member.import', entityType: 'member_import', entityId: id, changes }),
      cancelled: (actor, id, changes) => audit.record(db, actor, { action: 'member.import_cancelled', entityType: 'member_import', entityId: id, changes }),
      failed: (actor, id, changes) => audit.record(db, actor, { action: 'member.import_failed', entityType: 'member_import', entityId: id, changes }),
    },
    sealField: 'member_import_errors.value', errorOrder: 'line',
    interruptedMessage: 'interrupted: the server running it stopped; import the same file again to complete it (rows already imported are skipped)',
    emptyCounts,
    requiredColumns: (s) => Object.keys(s.mapping),
    check: async (_actor, s) => {
      await checkDefaultStore(s.defaultStoreId)
      return { storeId: s.defaultStoreId ?? null }
    },
    open,
    mask: (e, s) => {
      const mask = PII_IMPORT_FIELDS[s.mapping[e.column] as ImportField]
      return mask ? mask(e.value) : null
    },
    cancelledChanges: (c) => ({ rows_read: c.rowsRead, inserted: c.inserted, updated: c.updated, skipped: c.skipped, failed: c.failed }),
    notFound: () => notFound('IMPORT_NOT_FOUND', [], 'no such import'),
  }
}

export const createMemberImportService = (deps: ImportDeps) => {
  const engine = createImportEngine(deps, memberImportKind(deps))
  // Batches big enough that a commit of random-key index pages is not paid per row, small enough
  // that the till's lookups wait for one batch at most (the import yields between batches).
  const BATCH = 500

  const settingsOf = (o: { mapping: ImportMapping; updateExisting?: boolean; defaultStoreId?: string | null }): MemberImportSettings =>
    ({ mapping: o.mapping, updateExisting: Boolean(o.updateExisting), defaultStoreId: o.defaultStoreId ?? null })

  const toImport = (r: ImportRun<MemberImportSettings, ImportCounts>): MemberImport => ({
    id: r.id, status: r.status, sourceName: r.sourceName, mapping: r.settings.mapping, updateExisting: Boolean(r.settings.updateExisting),
    totalBytes: r.totalBytes, processedBytes: r.processedBytes, rowsRead: r.counts.rowsRead, inserted: r.counts.inserted, updated: r.counts.updated,
    skipped: r.counts.skipped, failed: r.counts.failed, errorCode: r.errorCode, errorMessage: r.errorMessage, createdAt: r.createdAt, finishedAt: r.finishedAt,
  })

  /** Streams a CSV into the member file; returns the counts. Rows are committed a batch at a time. */
  const run = (actor: Actor, options: ImportOptions): Promise<ImportCounts> =>
    engine.runFile(actor, settingsOf(options), {
      source: options.source, gzip: options.gzip, batchSize: options.batchSize ?? BATCH, limits: options.limits,
      onProgress: options.onProgress && ((p) => options.onProgress!({ ...p.counts, bytesRead: p.bytesRead })), onErrors: options.onErrors, checkpoint: options.checkpoint,
    })

  const get = async (actor: Actor, id: string): Promise<MemberImport> => toImport(await engine.get(actor, id))

  /**
   * Runs an import and records its progress and errors in the database, so any API process
   * can report on it and the console can download the error report. PII values in the stored
   * report are masked; the refused value itself is kept encrypted for the person who uploaded
   * the file. A cancel (its record no longer running) stops it after the batch in hand: what was
   * committed stays, and the counts say how far it got.
   */
  const runRecorded = async (actor: Actor, input: { id?: string; source: Readable; gzip?: boolean; sourceName: string; totalBytes: number; mapping: ImportMapping; updateExisting?: boolean; defaultStoreId?: string | null; limits?: Partial<FileLimits>; onProgress?: (p: ImportProgress) => void; onErrors?: (errors: ImportRowError[]) => void | Promise<void> }): Promise<MemberImport> => {
    const { id } = await engine.runRecorded(actor, {
      id: input.id, source: input.source, gzip: input.gzip, sourceName: input.sourceName, totalBytes: input.totalBytes, settings: settingsOf(input),
      batchSize: BATCH, limits: input.limits, onErrors: input.onErrors,
      onProgress: input.onProgress && ((p) => input.onProgress!({ ...p.counts, bytesRead: p.bytesRead })),
    })
    return get(actor, id)
  }

  /**
   * Starts an import of an uploaded file in the background and returns at once; the file is
   * removed when the import ends (or at once, if it cannot start). Progress: `get(id)`.
   */
  const startFromFile = async (actor: Actor, input: { path: string; sourceName: string; mapping: ImportMapping; updateExisting?: boolean; defaultStoreId?: string | null }): Promise<MemberImport> =>
    get(actor, await engine.startFromFile(actor, { path: input.path, sourceName: input.sourceName, settings: settingsOf(input), batchSize: BATCH }))

  /** Stops a running import after the batch in hand; what it committed stays. 409 once it has ended. */
  const cancel = async (actor: Actor, id: string): Promise<MemberImport> => {
    await engine.cancel(actor, id)
    return get(actor, id)
  }

  const list = async (actor: Actor): Promise<MemberImport[]> => (await engine.list(actor)).map(toImport)

  /**
   * The import's refused rows. The person who uploaded the file sees the values as they were in
   * it (they had the file; the values are what they must fix); anyone else sees PII masked.
   */
  const errors = async (actor: Actor, id: string): Promise<ImportRowError[]> =>
    (await engine.errors(actor, id, { limit: 100_000, maxLimit: 100_000 })).items

  return { run, runRecorded, startFromFile, cancel, get, list, errors, uploadDir: engine.uploadDir, uploadsInUse: engine.uploadsInUse, settleInterrupted: engine.settleInterrupted }
}

export type MemberImportService = ReturnType<typeof createMemberImportService>
