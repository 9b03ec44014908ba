import { basename, join } from 'node:path'
import type { Readable } from 'node:stream'
import type { Db, Engine } from '../../db/database.js'
import { insertChunked } from '../../db/bulk.js'
import { isUniqueViolation } from '../../db/errors.js'
import type { Actor } from '../../shared/actor.js'
import { actorName, actorStaffId, assertCan } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import { streamCsvBatches, yieldToEventLoop, type FileLimits } from '../../shared/csv-batches.js'
import { conflict, DomainError, isDomainError, notFound, unprocessable } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { importInBackground, removeUpload, uploadDirIn } from '../../shared/uploaded-file.js'
import { maskPhone, type Keyring } from '../../shared/pii.js'
import type { AuditService } from '../audit/index.js'
import type { LoyaltyService } from '../loyalty/index.js'
import { normalizePhone, type MembersService } from '../members/index.js'
import { createBulkWriter, type BulkItem } from './receipt-import-bulk.js'
import {
  buildReceipts, hashOf, MEMBER_KEYS, parseRow, timeParser, toReturnInput, toSaleInput,
  type BuiltReceipt, type MemberKey, type MemberKeyKind, type ReceiptGroup, type ReceiptImportField, type ReceiptImportMapping, type ReceiptImportRowError, type RowContext,
} from './receipt-import-rules.js'
import { validateReturn, validateSale, type ReturnInput, type SaleInput } from './receipt-rules.js'
import type { PostResult, ReceiptsService } from './receipts.service.js'
import type { ReceiptImportsTable } from './receipts.table.js'

/** What an import is asked to do; stored with it. */
export interface ReceiptImportSettings {
  mapping: ReceiptImportMapping
  /** store code for rows without a store column (or with it empty) */
  storeCode?: string | null
  /** zone of business times without one; default the chain's */
  timezone?: string | null
  /** false: history without points (no earning, no reversal) */
  awardPoints?: boolean
  /** register members named by an unknown external code */
  createMembers?: boolean
  memberKey?: MemberKeyKind
  /** receipt numbers starting with it are returns; '' (the default) for none */
  returnPrefix?: string
}

export interface ReceiptImportCounts {
  linesRead: number
  receiptsPosted: number
  returnsPosted: number
  /** already stored (a re-run), or nothing to post */
  receiptsSkipped: number
  membersCreated: number
  /** receipts not posted at all */
  failed: number
  /** problems reported (a row, or a receipt at its first row) */
  rowErrors: number
}

export interface ReceiptImportProgress extends ReceiptImportCounts {
  bytesRead: number
}

export interface ReceiptImportRun extends ReceiptImportSettings {
  source: Readable
  gzip?: boolean
  importId?: string | null
  /** receipts per transaction */
  batchSize?: number
  /** 'generic' posts through the receipts service even without points (the bulk path's reference) */
  writer?: 'auto' | 'generic'
  onProgress?: (p: ReceiptImportProgress) => void
  onErrors?: (errors: ReceiptImportRowError[]) => void | Promise<void>
  /** Called after each window of receipts is posted; throws to stop the import there (a cancel). */
  checkpoint?: () => Promise<void>
  /** Bounds of the file (default: the service's). */
  limits?: Partial<FileLimits>
}

export interface ReceiptImport extends Omit<ReceiptImportCounts, 'rowErrors'> {
  id: string
  status: ReceiptImportsTable['status']
  sourceName: string
  settings: Required<Omit<ReceiptImportSettings, 'storeCode' | 'timezone'>> & { storeCode: string | null; timezone: string }
  totalBytes: number
  processedBytes: number
  errorCount: number
  /** Why it stopped: a code the console translates (IMPORT_CANCELLED, IMPORT_INTERRUPTED, IMPORT_TOO_MANY_ROWS, …). */
  errorCode: string | null
  errorMessage: string | null
  createdAt: string
  heartbeatAt: string
  finishedAt: string | null
}

export interface ReceiptImportDeps {
  db: Db
  engine: Engine
  clock: Clock
  timezone: string
  keyring: Keyring
  members: MembersService
  receipts: ReceiptsService
  loyalty: LoyaltyService
  audit: AuditService
  dataDir: string
  /** Bounds of imported files (PATRON_IMPORT_* settings); default DEFAULT_FILE_LIMITS. */
  limits?: Partial<FileLimits>
}

const STALE_MS = 10 * 60 * 1000

/** A run stopped because its record says it should no longer run (cancelled, or settled as interrupted). */
const stopped = () => new DomainError('conflict', 'IMPORT_CANCELLED', 'the import was cancelled')
/** Rows read before the window of open receipts is looked at. */
const CSV_BATCH = 5000
/** Rows held in open receipts at most (and a transaction's size): memory stays flat whatever the receipts' length. */
const WINDOW_ROWS = 20_000
/** A receipt this long is a broken file (one number on every row), not a basket: keep memory bounded. */
const MAX_GROUP_ROWS = 10_000

type MemberRow = { id: string; card_no: string }
type Candidate = { receipt: BuiltReceipt; member: MemberRow | null; input: SaleInput | ReturnInput; hash: string }

type BulkMember = Parameters<MembersService['internals']['insertMany']>[1][number]

/** Receipt numbers by store: what a query per batch looks up (one indexed IN list per store). */
const numbersByStore = (list: Candidate[]): Map<string, string[]> => {
  const out = new Map<string, string[]>()
  for (const c of list) {
    const nos = out.get(c.receipt.storeId)
    if (nos) nos.push(c.receipt.receiptNo)
    else out.set(c.receipt.storeId, [c.receipt.receiptNo])
  }
  return out
}

const keyText = (k: MemberKey) => `${k.kind}:${k.value}`

const memberWord = { card: 'card number', phone: 'phone', external: 'external code' } as const

export const createReceiptImportService = (deps: ReceiptImportDeps) => {
  const { db, clock, keyring, members, receipts, loyalty, audit } = deps
  const now = () => clock.now().toISOString()
  /** A sealed report value in clear, or null when its key is gone (then the masked value is shown). */
  const unseal = (field: string, sealed: string): string | null => {
    try {
      return keyring.decrypt(field, sealed)
    } catch {
      return null
    }
  }
  const bulk = createBulkWriter({ db, engine: deps.engine, clock, timezone: deps.timezone, loyalty })

  /** Checks what would make the whole file fail, before any row is read. */
  const checkSettings = async (s: ReceiptImportSettings): Promise<{ defaultStoreId: string | null; stores: Map<string, string>; timezone: string }> => {
    const timezone = s.timezone || deps.timezone
    try {
      new Intl.DateTimeFormat('en', { timeZone: timezone })
    } catch {
      throw unprocessable('VALIDATION', [{ field: 'timezone', reason: `"${timezone}" is not an IANA time zone (e.g. Europe/London)` }])
    }
    if (s.memberKey !== undefined && !MEMBER_KEYS.includes(s.memberKey)) {
      throw unprocessable('VALIDATION', [{ field: 'memberKey', reason: `one of ${MEMBER_KEYS.join(', ')}` }])
    }
    if (s.returnPrefix !== undefined && !/^[A-Za-z0-9]{0,8}$/.test(s.returnPrefix)) {
      throw unprocessable('VALIDATION', [{ field: 'returnPrefix', reason: 'up to 8 letters or digits' }])
    }
    const stores = new Map((await db.selectFrom('stores').select(['id', 'code']).execute()).map((r) => [r.code, r.id]))
    const defaultStoreId = s.storeCode ? stores.get(s.storeCode) ?? null : null
    if (s.storeCode && !defaultStoreId) throw unprocessable('STORE_NOT_FOUND', [{ field: 'store', reason: `no store with code ${s.storeCode}` }])
    if (!defaultStoreId && !Object.values(s.mapping).includes('store')) {
      throw unprocessable('IMPORT_MAPPING_INVALID', [{ field: 'store', reason: 'map a store column or give the store all rows belong to' }])
    }
    return { defaultStoreId, stores, timezone }
  }

  /**
   * The live members the keys name, in a query per kind of key; a merged record's key finds
   * the survivor, an erased member is not found.
   */
  const resolveMembers = async (keys: MemberKey[]): Promise<Map<string, MemberRow>> => {
    const cols = ['id', 'card_no', 'status', 'merged_into_id', 'phone_bidx', 'external_code'] as const
    const found = new Map<string, { id: string; card_no: string; status: string; merged_into_id: string | null }>()
    const byKind = (k: MemberKey['kind']) => [...new Set(keys.filter((x) => x.kind === k).map((x) => x.value))]
    for (let i = 0, cards = byKind('card'); i < cards.length; i += 5000) {
      for (const r of await db.selectFrom('members').select(cols).where('card_no', 'in', cards.slice(i, i + 5000)).execute()) found.set(`card:${r.card_no}`, r)
    }
    const phones = new Map(byKind('phone').map((p) => [keyring.blindIndex('phone', p), p]))
    const bidx = [...phones.keys()]
    for (let i = 0; i < bidx.length; i += 5000) {
      for (const r of await db.selectFrom('members').select(cols).where('phone_bidx', 'in', bidx.slice(i, i + 5000)).execute()) found.set(`phone:${phones.get(r.phone_bidx!)}`, r)
    }
    for (let i = 0, codes = byKind('external'); i < codes.length; i += 5000) {
      for (const r of await db.selectFrom('members').select(cols).where('external_code', 'in', codes.slice(i, i + 5000)).execute()) found.set(`external:${r.external_code}`, r)
    }
    const survivorIds = [...new Set([...found.values()].filter((r) => r.status === 'merged' && r.merged_into_id).map((r) => r.merged_into_id!))]
    const survivors = new Map<string, { id: string; card_no: string; status: string }>()
    for (let i = 0; i < survivorIds.length; i += 5000) {
      for (const r of await db.selectFrom('members').select(['id', 'card_no', 'status']).where('id', 'in', survivorIds.slice(i, i + 5000)).execute()) survivors.set(r.id, r)
    }
    const out = new Map<string, MemberRow>()
    for (const [key, r] of found) {
      const live = r.status === 'merged' && r.merged_into_id ? survivors.get(r.merged_into_id) : r
      if (live && live.status !== 'erased' && live.status !== 'merged') out.set(key, { id: live.id, card_no: live.card_no })
    }
    return out
  }

  /** Registers the members of unknown external codes, at the store of their first receipt; returns how many. */
  const createMissing = async (actor: Actor, receiptsOf: BuiltReceipt[], known: Map<string, MemberRow>): Promise<number> => {
    const wanted = new Map<string, { storeId: string; registeredAt: string }>()
    for (const r of receiptsOf) {
      if (r.member?.kind !== 'external' || known.has(keyText(r.member))) continue
      const w = wanted.get(r.member.value)
      if (!w) wanted.set(r.member.value, { storeId: r.storeId, registeredAt: r.businessAt })
      else if (r.businessAt < w.registeredAt) w.registeredAt = r.businessAt
    }
    const fresh: BulkMember[] = []
    for (const [code, w] of wanted) {
      let value: BulkMember['value']
      try {
        value = members.internals.validateSync({ externalCode: code, channel: 'import' })
      } catch (e) {
        // Not a code a member can have: its receipts are refused as naming no member.
        if (isDomainError(e)) continue
        throw e
      }
      // A member who shopped in 2010 was a member then: history keeps its registration month.
      fresh.push({ value, storeId: w.storeId, registeredBy: actorStaffId(actor), channel: 'import', registeredAt: w.registeredAt, consents: {}, consentSource: 'import' })
    }
    if (fresh.length) await members.internals.insertMany(actor, fresh)
    return fresh.length
  }

  /** Streams a POS export into receipts; returns the counts. Receipts are committed a batch at a time. */
  const run = async (actor: Actor, o: ReceiptImportRun): Promise<ReceiptImportCounts> => {
    assertCan(actor, 'receipts.import')
    const { defaultStoreId, stores, timezone } = await checkSettings(o)
    const batchSize = o.batchSize ?? 2000
    const awardPoints = o.awardPoints !== false
    const useBulk = !awardPoints && o.writer !== 'generic'
    const columns = Object.fromEntries(Object.entries(o.mapping).map(([col, field]) => [field, col])) as Partial<Record<ReceiptImportField, string>>
    const ctx: RowContext = { columns, stores, defaultStoreId, parseTime: timeParser(timezone, clock.now()) }
    const buildOptions = { columns, returnPrefix: o.returnPrefix ?? '', memberKey: o.memberKey ?? 'auto' }
    const counts: ReceiptImportCounts = { linesRead: 0, receiptsPosted: 0, returnsPosted: 0, receiptsSkipped: 0, membersCreated: 0, failed: 0, rowErrors: 0 }
    const pending: ReceiptImportRowError[] = []
    const report = (errs: ReceiptImportRowError[]) => {
      counts.rowErrors += errs.length
      pending.push(...errs)
    }
    const refuse = (r: BuiltReceipt, column: ReceiptImportField | '', value: string, reason: string) => {
      counts.failed++
      report([{ line: r.firstLine, column: column ? columns[column] ?? '' : '', value, reason }])
    }
    /** SKU → product id, as far as the bulk path has met them */
    const knownProducts = new Map<string, string>()
    const posted = (kind: 'sale' | 'return') => {
      if (kind === 'sale') counts.receiptsPosted++
      else counts.returnsPosted++
    }

    /** Resolves members (creating them if asked), drops what is stored already, posts the rest. */
    const postReceipts = async (built: BuiltReceipt[]) => {
      let known = await resolveMembers(built.flatMap((r) => (r.member ? [r.member] : [])))
      if (o.createMembers) {
        for (let attempt = 0; ; attempt++) {
          try {
            const created = await createMissing(actor, built, known)
            if (created) known = await resolveMembers(built.flatMap((r) => (r.member ? [r.member] : [])))
            counts.membersCreated += created
            break
          } catch (e) {
            // A till registered one of these codes meanwhile: look them up again.
            if (attempt < 3 && isUniqueViolation(e)) {
              known = await resolveMembers(built.flatMap((r) => (r.member ? [r.member] : [])))
              continue
            }
            throw e
          }
        }
      }
      const candidates: Candidate[] = []
      for (const r of built) {
        const member = r.member ? known.get(keyText(r.member)) ?? null : null
        if (r.member && !member) {
          refuse(r, 'member', r.member.value, `no member with this ${memberWord[r.member.kind]}${r.member.kind === 'external' && !o.createMembers ? ' (--create-members registers them)' : ''}; receipt not posted`)
          continue
        }
        const input = r.kind === 'sale' ? toSaleInput(r, member?.id ?? null) : toReturnInput(r, member?.id ?? null)
        candidates.push({ receipt: r, member, input, hash: hashOf(input, member?.id ?? null) })
      }

      // What a previous run (or an earlier part of this file) stored: one query for the batch.
      const stored = new Map<string, { payload_hash: string; kind: string; member_id: string | null }>()
      if (candidates.length) {
        const rows = await db.selectFrom('receipts').select(['store_id', 'receipt_no', 'payload_hash', 'kind', 'member_id'])
          .where((eb) => eb.or([...numbersByStore(candidates)].map(([storeId, nos]) => eb.and([eb('store_id', '=', storeId), eb('receipt_no', 'in', nos)])))).execute()
        for (const r of rows) stored.set(`${r.store_id}\u0000${r.receipt_no}`, r)
      }
      const fresh: Candidate[] = []
      // Stored for this member with another digest: maybe posted for a record merged into it since;
      // the receipts service tells (it answers such a resend with the first result).
      const recheck: Candidate[] = []
      for (const c of candidates) {
        const s = stored.get(`${c.receipt.storeId}\u0000${c.receipt.receiptNo}`)
        if (!s) fresh.push(c)
        else if (s.kind === c.receipt.kind && s.payload_hash === c.hash) counts.receiptsSkipped++
        else if (s.kind === c.receipt.kind && c.member !== null && s.member_id === c.member.id) recheck.push(c)
        else refuse(c.receipt, 'receipt_no', c.receipt.receiptNo, `this store already has ${s.kind === 'sale' ? 'a sale' : 'a return'} numbered ${c.receipt.receiptNo} with other content (its rows appear earlier in the file, or it was posted before); these rows were not added`)
      }
      // Sales first: the returns of an export follow the sales they reverse.
      const ordered = [...fresh.filter((c) => c.receipt.kind === 'sale'), ...fresh.filter((c) => c.receipt.kind === 'return')]
      if (useBulk) await postBulk(ordered)
      else await postGeneric(ordered)
      if (recheck.length) await postGeneric(recheck)
    }

    const postGeneric = async (list: Candidate[]) => {
      for (let i = 0; i < list.length; i += batchSize) {
        const chunk = list.slice(i, i + batchSize)
        const results = await receipts.internals.postMany(actor, chunk.map((c) => (c.receipt.kind === 'sale'
          ? { type: 'sale' as const, input: c.input as SaleInput }
          : { type: 'return' as const, input: c.input as ReturnInput })), { source: 'import', importId: o.importId ?? null, awardPoints })
        results.forEach((res, k) => {
          const c = chunk[k]!
          if (!res.ok) refuse(c.receipt, '', c.receipt.receiptNo, `${res.error.message} (${res.error.code})`)
          else if (res.replayed) counts.receiptsSkipped++
          else posted(c.receipt.kind)
        })
        // The till's requests wait for the one SQLite connection: give them a turn between chunks.
        await yieldToEventLoop()
      }
    }

    const postBulk = async (list: Candidate[]) => {
      const cfg = await loyalty.config()
      const ready: Candidate[] = []
      for (const c of list) {
        const details = c.receipt.kind === 'sale' ? validateSale(c.input as SaleInput, clock.now(), cfg.policy.pointValueFen).details : validateReturn(c.input as ReturnInput, clock.now())
        if (details.length) refuse(c.receipt, '', c.receipt.receiptNo, `${details.map((d) => `${d.field}: ${d.reason}`).join('; ')} (VALIDATION)`)
        else ready.push(c)
      }
      // A return a till sent before its sale waits for it: the receipts service applies it.
      const sales = ready.filter((c) => c.receipt.kind === 'sale')
      const waiting = new Set<string>()
      if (sales.length) {
        const rows = await db.selectFrom('receipts').select(['store_id', 'original_receipt_no']).where('status', '=', 'pending')
          .where((eb) => eb.or([...numbersByStore(sales)].map(([storeId, nos]) => eb.and([eb('store_id', '=', storeId), eb('original_receipt_no', 'in', nos)])))).execute()
        for (const r of rows) waiting.add(`${r.store_id}\u0000${r.original_receipt_no}`)
      }
      const direct = ready.filter((c) => !waiting.has(`${c.receipt.storeId}\u0000${c.receipt.receiptNo}`))
      const viaService = ready.filter((c) => waiting.has(`${c.receipt.storeId}\u0000${c.receipt.receiptNo}`))
      for (let i = 0; i < direct.length; i += batchSize) {
        const chunk = direct.slice(i, i + batchSize)
        let results: PostResult[] | null = null
        try {
          results = await bulk.write(chunk.map((c): BulkItem => (c.receipt.kind === 'sale'
            ? { type: 'sale', input: c.input as SaleInput, hash: c.hash, member: c.member }
            : { type: 'return', input: c.input as ReturnInput, hash: c.hash, member: c.member })), o.importId ?? null, knownProducts)
        } catch (e) {
          // A number taken meanwhile, or anything else one receipt can cause: each on its own.
          if (!(e instanceof DomainError) && !isUniqueViolation(e)) throw e
        }
        if (results) chunk.forEach((c) => posted(c.receipt.kind))
        else await postGeneric(chunk)
        await yieldToEventLoop()
      }
      await postGeneric(viaService)
    }

    // Receipts being read, by store and number; a receipt is posted once the window moves past it.
    const open = new Map<string, ReceiptGroup>()
    let openRows = 0
    let lastKey: string | null = null
    const flush = async (all: boolean) => {
      const built: BuiltReceipt[] = []
      for (const [key, group] of open) {
        if (!all && key === lastKey) continue
        open.delete(key)
        openRows -= group.rows.length
        const b = buildReceipts(group, buildOptions)
        report(b.errors)
        if (b.outcome === 'skipped') counts.receiptsSkipped++
        else if (b.outcome === 'failed') counts.failed++
        else built.push(...b.receipts)
      }
      if (built.length) await postReceipts(built)
    }
    let bytesRead = 0
    const progress = async () => {
      if (pending.length) await o.onErrors?.(pending.splice(0))
      o.onProgress?.({ ...counts, bytesRead })
    }

    try {
      const streamed = await streamCsvBatches({
        source: o.source, gzip: o.gzip, requiredColumns: Object.keys(o.mapping), batchSize: CSV_BATCH, limits: { ...deps.limits, ...o.limits },
        onUnreadable: (line, message) => {
          counts.linesRead++
          report([{ line, column: '', value: '', reason: `unreadable CSV record: ${message}` }])
        },
        onBatch: async (records, bytes) => {
          for (const { record, line } of records) {
            counts.linesRead++
            const parsed = parseRow(record, line, ctx)
            if (parsed.errors.length) report(parsed.errors)
            if (parsed.key === null) continue
            let group = open.get(parsed.key)
            if (!group) {
              group = { storeId: parsed.storeId, receiptNo: parsed.receiptNo, firstLine: line, rows: [], badRows: 0 }
              open.set(parsed.key, group)
            }
            lastKey = parsed.key
            if (!parsed.row) group.badRows++
            else if (group.rows.length >= MAX_GROUP_ROWS) report([{ line, column: columns.receipt_no!, value: parsed.receiptNo, reason: `a receipt of more than ${MAX_GROUP_ROWS.toLocaleString('en-US')} lines: the rest is not imported` }])
            else {
              group.rows.push(parsed.row)
              openRows++
            }
            if (open.size > batchSize || openRows > WINDOW_ROWS) {
              await flush(false)
              await progress()
              await o.checkpoint?.()
            }
          }
          bytesRead = bytes
          await progress()
          await o.checkpoint?.()
        },
      })
      bytesRead = streamed.bytesRead
      await flush(true)
      await progress()
    } catch (e) {
      if (pending.length) await Promise.resolve(o.onErrors?.(pending.splice(0))).catch(() => {})
      throw e
    }
    return counts
  }

  const toSettings = (raw: string): ReceiptImport['settings'] => {
    const s = JSON.parse(raw) as ReceiptImportSettings
    return {
      mapping: s.mapping, storeCode: s.storeCode ?? null, timezone: s.timezone || deps.timezone, awardPoints: s.awardPoints !== false,
      createMembers: Boolean(s.createMembers), memberKey: s.memberKey ?? 'auto', returnPrefix: s.returnPrefix ?? '',
    }
  }

  const toImport = (r: ReceiptImportsTable, errorCount: number): ReceiptImport => ({
    id: r.id, status: r.status, sourceName: r.source_name, settings: toSettings(r.options), totalBytes: r.total_bytes, processedBytes: r.processed_bytes,
    linesRead: r.lines_read, receiptsPosted: r.receipts_posted, returnsPosted: r.returns_posted, receiptsSkipped: r.receipts_skipped,
    membersCreated: r.members_created, failed: r.failed, errorCount, errorCode: r.error_code, errorMessage: r.error_message, createdAt: r.created_at,
    heartbeatAt: r.heartbeat_at, finishedAt: r.finished_at,
  })

  const progressColumns = (p: ReceiptImportProgress) => ({
    processed_bytes: p.bytesRead, lines_read: p.linesRead, receipts_posted: p.receiptsPosted, returns_posted: p.returnsPosted,
    receipts_skipped: p.receiptsSkipped, members_created: p.membersCreated, failed: p.failed,
  })

  const create = async (actor: Actor, input: ReceiptImportSettings & { sourceName: string; totalBytes: number; uploadFile?: string | null }): Promise<string> => {
    await checkSettings(input)
    const id = newId('rim')
    const settings: ReceiptImportSettings = {
      mapping: input.mapping, storeCode: input.storeCode ?? null, timezone: input.timezone || deps.timezone, awardPoints: input.awardPoints !== false,
      createMembers: Boolean(input.createMembers), memberKey: input.memberKey ?? 'auto', returnPrefix: input.returnPrefix ?? '',
    }
    await db.insertInto('receipt_imports').values({
      id, status: 'running', source_name: input.sourceName.slice(0, 200), options: JSON.stringify(settings), total_bytes: input.totalBytes,
      processed_bytes: 0, lines_read: 0, receipts_posted: 0, returns_posted: 0, receipts_skipped: 0, members_created: 0, failed: 0,
      error_code: null, error_message: null, created_by: actorStaffId(actor), created_at: now(), heartbeat_at: now(), finished_at: null,
      upload_file: input.uploadFile ?? null,
    }).execute()
    return id
  }

  /** Is the import still to run? Its record says no once it is cancelled (by any process) or settled as interrupted. */
  const checkStillRunning = async (id: string) => {
    const row = await db.selectFrom('receipt_imports').select('status').where('id', '=', id).executeTakeFirst()
    if (row?.status !== 'running') throw stopped()
  }

  /**
   * Runs an import and records its progress (with a heartbeat) and its problems in the
   * database, so any process can report on it. Phone numbers in the stored report are masked;
   * the value itself is kept encrypted for the person who uploaded the file. A cancel (its
   * record no longer running) stops it after the window in hand: what was posted stays.
   */
  const runRecorded = async (actor: Actor, input: Omit<ReceiptImportRun, 'importId' | 'checkpoint'> & { id?: string; sourceName: string; totalBytes: number }): Promise<ReceiptImport> => {
    assertCan(actor, 'receipts.import')
    const id = input.id ?? await create(actor, input)
    let lastWrite = 0
    let last: ReceiptImportProgress = { linesRead: 0, receiptsPosted: 0, returnsPosted: 0, receiptsSkipped: 0, membersCreated: 0, failed: 0, rowErrors: 0, bytesRead: 0 }
    const memberColumn = Object.keys(input.mapping).find((c) => input.mapping[c] === 'member')
    try {
      const counts = await run(actor, {
        ...input, importId: id,
        checkpoint: () => checkStillRunning(id),
        onProgress: (p) => {
          last = p
          input.onProgress?.(p)
          const t = Date.now()
          if (t - lastWrite < 250) return
          lastWrite = t
          void db.updateTable('receipt_imports').set({ ...progressColumns(p), heartbeat_at: now() })
            .where('id', '=', id).where('status', '=', 'running').execute().catch(() => {})
        },
        onErrors: async (errs) => {
          await input.onErrors?.(errs)
          await insertChunked(db, 'receipt_import_errors', errs.map((e) => {
            const phone = e.column && e.column === memberColumn ? normalizePhone(e.value) : null
            return {
              import_id: id, line: e.line, column_name: e.column, value: phone ? maskPhone(phone) : e.value.slice(0, 200), reason: e.reason,
              value_sealed: phone ? keyring.encrypt('receipt_import_errors.value', e.value.slice(0, 200)) : null,
            }
          }))
        },
      })
      await db.updateTable('receipt_imports').set({ status: 'completed', ...progressColumns({ ...counts, bytesRead: input.totalBytes }), heartbeat_at: now(), finished_at: now() })
        .where('id', '=', id).where('status', '=', 'running').execute()
      await audit.record(db, actor, { action: 'receipt.import', entityType: 'receipt_import', entityId: id, changes: { source: input.sourceName, ...counts } })
    } catch (e) {
      const current = await db.selectFrom('receipt_imports').select('status').where('id', '=', id).executeTakeFirst()
      if (current && current.status !== 'running') {
        // Cancelled (or settled as interrupted) meanwhile: the record keeps its status and gets the final counts.
        await db.updateTable('receipt_imports').set(progressColumns(last)).where('id', '=', id).execute()
        if (current.status === 'cancelled') await audit.record(db, actor, { action: 'receipt.import_cancelled', entityType: 'receipt_import', entityId: id, changes: { source: input.sourceName, ...progressColumns(last) } })
        return get(actor, id)
      }
      const message = isDomainError(e) ? e.details.map((d) => d.reason).join('; ') || e.message : (e as Error).message
      await db.updateTable('receipt_imports').set({
        status: 'failed', error_code: isDomainError(e) ? e.code : 'IMPORT_FAILED', error_message: message.slice(0, 1000), ...progressColumns(last), finished_at: now(),
      }).where('id', '=', id).execute()
      await audit.record(db, actor, { action: 'receipt.import_failed', entityType: 'receipt_import', entityId: id, changes: { source: input.sourceName, error: message.slice(0, 300) } })
      throw e
    }
    return get(actor, id)
  }

  /** Starts an import of an uploaded file in the background; the file is removed when it ends (or at once, if it cannot start). */
  const startFromFile = async (actor: Actor, input: ReceiptImportSettings & { path: string; sourceName: string }): Promise<ReceiptImport> => {
    const id = await importInBackground(input, async (totalBytes, uploadFile) => {
      assertCan(actor, 'receipts.import')
      return create(actor, { ...input, totalBytes, uploadFile })
    }, (id, file) => runRecorded(actor, { ...input, id, ...file }))
    return get(actor, id)
  }

  /** Stops a running import after the window in hand; what it posted stays. 409 once it has ended. */
  const cancel = async (actor: Actor, id: string): Promise<ReceiptImport> => {
    const current = await get(actor, id)
    const res = await db.updateTable('receipt_imports')
      .set({ status: 'cancelled', error_code: 'IMPORT_CANCELLED', error_message: `cancelled by ${actorName(actor)}`, finished_at: now() })
      .where('id', '=', id).where('status', '=', 'running').executeTakeFirst()
    if (Number(res.numUpdatedRows) === 0) throw conflict('IMPORT_NOT_RUNNING', [{ field: 'id', reason: `the import has ended (${current.status})` }])
    return get(actor, id)
  }

  /**
   * An import whose process died says "running" until it has shown no progress for `staleMs`;
   * then it is marked failed (IMPORT_INTERRUPTED) and its uploaded file removed.
   */
  const settleInterrupted = async (staleMs = STALE_MS) => {
    const cutoff = new Date(clock.now().getTime() - staleMs).toISOString()
    const dead = await db.selectFrom('receipt_imports').select(['id', 'upload_file']).where('status', '=', 'running').where('heartbeat_at', '<', cutoff).execute()
    if (dead.length === 0) return
    await db.updateTable('receipt_imports')
      .set({ status: 'failed', error_code: 'IMPORT_INTERRUPTED', error_message: 'interrupted: the process running it stopped; import the same file again to complete it (receipts already stored are skipped)', finished_at: now() })
      .where('id', 'in', dead.map((d) => d.id)).where('status', '=', 'running').execute()
    for (const d of dead) if (d.upload_file) await removeUpload(join(uploadDir(), basename(d.upload_file)))
  }

  /** The uploaded files running imports still read: a sweep of the uploads folder keeps them. */
  const uploadsInUse = async (): Promise<string[]> =>
    (await db.selectFrom('receipt_imports').select('upload_file').where('status', '=', 'running').where('upload_file', 'is not', null).execute()).map((r) => r.upload_file!)

  const errorCounts = async (ids: string[]): Promise<Map<string, number>> => {
    if (ids.length === 0) return new Map()
    const rows = await db.selectFrom('receipt_import_errors').select((eb) => ['import_id', eb.fn.countAll<number>().as('n')]).where('import_id', 'in', ids).groupBy('import_id').execute()
    return new Map(rows.map((r) => [r.import_id, Number(r.n)]))
  }

  const get = async (actor: Actor, id: string): Promise<ReceiptImport> => {
    assertCan(actor, 'receipts.import')
    await settleInterrupted()
    const row = await db.selectFrom('receipt_imports').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw notFound('IMPORT_NOT_FOUND', [{ field: 'id', reason: 'no such import' }])
    return toImport(row, (await errorCounts([id])).get(id) ?? 0)
  }

  const list = async (actor: Actor): Promise<ReceiptImport[]> => {
    assertCan(actor, 'receipts.import')
    await settleInterrupted()
    const rows = await db.selectFrom('receipt_imports').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(50).execute()
    const n = await errorCounts(rows.map((r) => r.id))
    return rows.map((r) => toImport(r, n.get(r.id) ?? 0))
  }

  /** A page of an import's problems, in file order; the cursor is where the next page starts. */
  const errors = async (actor: Actor, id: string, page: { cursor?: string; limit?: number } = {}): Promise<{ items: ReceiptImportRowError[]; nextCursor: string | null }> => {
    await get(actor, id)
    // The person who uploaded the file sees the values as they were in it; anyone else, phones masked.
    const owner = await db.selectFrom('receipt_imports').select('created_by').where('id', '=', id).executeTakeFirst()
    const uploader = owner?.created_by != null && owner.created_by === actorStaffId(actor)
    const limit = Math.min(Math.max(page.limit ?? 100, 1), 5000)
    const offset = page.cursor === undefined ? 0 : Number(page.cursor)
    if (!Number.isSafeInteger(offset) || offset < 0) throw unprocessable('VALIDATION', [{ field: 'cursor', reason: 'not a cursor from this list' }])
    const rows = await db.selectFrom('receipt_import_errors').selectAll().where('import_id', '=', id)
      .orderBy('line').orderBy('column_name').orderBy('reason').limit(limit + 1).offset(offset).execute()
    return {
      items: rows.slice(0, limit).map((r) => ({ line: r.line, column: r.column_name, value: (uploader && r.value_sealed && unseal('receipt_import_errors.value', r.value_sealed)) || r.value, reason: r.reason })),
      nextCursor: rows.length > limit ? String(offset + limit) : null,
    }
  }

  /** Every problem of an import, a page at a time (the CSV download). */
  async function* allErrors(actor: Actor, id: string): AsyncGenerator<ReceiptImportRowError[]> {
    let cursor: string | undefined
    do {
      const page = await errors(actor, id, { cursor, limit: 5000 })
      yield page.items
      cursor = page.nextCursor ?? undefined
    } while (cursor !== undefined)
  }

  const uploadDir = () => uploadDirIn(deps.dataDir)

  return { run, runRecorded, startFromFile, cancel, get, list, errors, allErrors, uploadDir, uploadsInUse, settleInterrupted }
}

export type ReceiptImportService = ReturnType<typeof createReceiptImportService>
