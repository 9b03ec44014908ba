import type { Readable } from 'node:stream'
import type { Db, Engine } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import type { Actor } from '../../shared/actor.js'
import { actorStaffId } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import { yieldToEventLoop, type FileLimits } from '../../shared/csv-batches.js'
import { DomainError, isDomainError, unprocessable } from '../../shared/errors.js'
import { maskPhone, type Keyring } from '../../shared/pii.js'
import type { AuditService } from '../audit/index.js'
import { createImportEngine, type ImportKind, type ImportRun, type ImportStatus, type KindRun, type KindRunHooks } from '../imports/index.js'
import type { LoyaltyService } from '../loyalty/index.js'
import { findMembersForImport, normalizePhone, type MembersService } from '../members/index.js'
import { storeIdsByCode } from '../org/index.js'
import { createBulkWriter, type BulkItem } from './receipt-import-bulk.js'
import { findReturnsWaitingFor, findStoredReceipts } from './receipt-import.repository.js'
import {
  buildReceipts, hashOf, MEMBER_KEYS, parseRow, timeParser, toReturnInput, toSaleInput,
  type BuiltReceipt, type MemberKey, type MemberKeyKind, type ReceiptGroup, type ReceiptImportField, type ReceiptImportMapping, type ReceiptImportRowError, type RowContext, type RowOutcome,
} from './receipt-import-rules.js'
import { validateReturn, validateSale, type ReturnInput, type SaleInput } from './receipt-rules.js'
import type { PostResult, ReceiptsService } from './receipts.service.js'

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
  status: ImportStatus
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

/** A line of the file as read: its receipt key and row, or its problems. */
interface ReadRow {
  line: number
  parsed: RowOutcome
}

/** A receipt import's settings as its run record keeps them, with the run's tuning (not part of the API's settings). */
type KindSettings = ReceiptImportSettings & Pick<ReceiptImportRun, 'batchSize' | 'writer'>

const emptyCounts = (): ReceiptImportCounts => ({ linesRead: 0, receiptsPosted: 0, returnsPosted: 0, receiptsSkipped: 0, membersCreated: 0, failed: 0, rowErrors: 0 })

/**
 * Receipts as a kind of import: the lines of a POS export, grouped into receipts by store and
 * number (a receipt is posted once the file has moved past it), written by the bulk writer
 * (history without points) or the receipts service.
 */
const receiptImportKind = (deps: ReceiptImportDeps): ImportKind<KindSettings, ReceiptImportCounts, ReadRow> => {
  const { db, clock, keyring, members, receipts, loyalty, audit } = deps
  const bulk = createBulkWriter({ db, engine: deps.engine, clock, timezone: deps.timezone, loyalty })

  /** Checks what would make the whole file fail, before any row is read. */
  /** Checks what would make the whole file fail, before any row is read. */
  const checkSettings = async (s: ReceiptImportSettings): Promise<{ defaultStoreId: string | null; stores: ReadonlyMap<string, string>; timezone: string }> => {
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
    const stores = await storeIdsByCode(db)
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
    const found = new Map<string, { id: string; card_no: string; status: string; merged_into_id: string | null }>()
    const byKind = (k: MemberKey['kind']) => [...new Set(keys.filter((x) => x.kind === k).map((x) => x.value))]
    for (let i = 0, cards = byKind('card'); i < cards.length; i += 5000) {
      for (const r of await findMembersForImport(db, 'card_no', cards.slice(i, i + 5000))) found.set(`card:${r.card_no}`, r)
    }
    const phones = new Map(byKind('phone').map((p) => [keyring.blindIndex('phone', p), p]))
    const bidx = [...phones.keys()]
    for (let i = 0; i < bidx.length; i += 5000) {
      for (const r of await findMembersForImport(db, 'phone_bidx', bidx.slice(i, i + 5000))) found.set(`phone:${phones.get(r.phone_bidx!)}`, r)
    }
    for (let i = 0, codes = byKind('external'); i < codes.length; i += 5000) {
      for (const r of await findMembersForImport(db, 'external_code', codes.slice(i, i + 5000))) found.set(`external:${r.external_code}`, r)
    }
    const survivorIds = [...new Set([...found.values()].filter((r) => r.status === 'merged' && r.merged_into_id).map((r) => r.merged_into_id!))]
    const survivors = new Map<string, { id: string; card_no: string; status: string }>()
    for (let i = 0; i < survivorIds.length; i += 5000) {
      for (const r of await findMembersForImport(db, 'id', survivorIds.slice(i, i + 5000))) survivors.set(r.id, r)
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


  /** Streams a POS export into receipts: groups its lines into receipts and posts them a window at a time. */
  const open = async (actor: Actor, o: KindSettings, hooks: KindRunHooks): Promise<KindRun<ReceiptImportCounts, ReadRow>> => {
    const { defaultStoreId, stores, timezone } = await checkSettings(o)
    const batchSize = o.batchSize ?? 2000
    const awardPoints = o.awardPoints !== false
    const useBulk = !awardPoints && o.writer !== 'generic'
    const columns = Object.fromEntries(Object.entries(o.mapping).map(([col, field]) => [field, col])) as Partial<Record<ReceiptImportField, string>>
    const ctx: RowContext = { columns, stores, defaultStoreId, parseTime: timeParser(timezone, clock.now()) }
    const buildOptions = { columns, returnPrefix: o.returnPrefix ?? '', memberKey: o.memberKey ?? 'auto' }
    const counts: ReceiptImportCounts = { linesRead: 0, receiptsPosted: 0, returnsPosted: 0, receiptsSkipped: 0, membersCreated: 0, failed: 0, rowErrors: 0 }
    /** Problems met since the writer last handed them over, counted already. */
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
      for (const r of await findStoredReceipts(db, numbersByStore(candidates))) stored.set(`${r.store_id}\u0000${r.receipt_no}`, r)
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
          : { type: 'return' as const, input: c.input as ReturnInput })), { source: 'import', importId: hooks.importId, awardPoints })
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
      for (const r of await findReturnsWaitingFor(db, numbersByStore(sales))) waiting.add(`${r.store_id}\u0000${r.original_receipt_no}`)
      const direct = ready.filter((c) => !waiting.has(`${c.receipt.storeId}\u0000${c.receipt.receiptNo}`))
      const viaService = ready.filter((c) => waiting.has(`${c.receipt.storeId}\u0000${c.receipt.receiptNo}`))
      for (let i = 0; i < direct.length; i += batchSize) {
        const chunk = direct.slice(i, i + batchSize)
        let results: PostResult[] | null = null
        try {
          results = await bulk.write(chunk.map((c): BulkItem => (c.receipt.kind === 'sale'
            ? { type: 'sale', input: c.input as SaleInput, hash: c.hash, member: c.member }
            : { type: 'return', input: c.input as ReturnInput, hash: c.hash, member: c.member })), hooks.importId, knownProducts)
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
    return {
      counts,
      read: () => { counts.linesRead++ },
      // The row's own problems travel with it: the writer reports them in file order with the receipt's.
      validate: (record, line) => ({ row: { line, parsed: parseRow(record, line, ctx) }, problems: [] }),
      refused: (problems) => { counts.rowErrors += problems.length },
      write: async (rows) => {
        for (const { line, parsed } of rows) {
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
            await hooks.progress()
          }
        }
        return pending.splice(0)
      },
      finish: async () => {
        await flush(true)
        return pending.splice(0)
      },
    }
  }

  return {
    name: 'receipts', idPrefix: 'rim', permission: 'receipts.import', audit: {
      completed: (actor, id, changes) => audit.record(db, actor, { action: 'receipt.import', entityType: 'receipt_import', entityId: id, changes }),
      cancelled: (actor, id, changes) => audit.record(db, actor, { action: 'receipt.import_cancelled', entityType: 'receipt_import', entityId: id, changes }),
      failed: (actor, id, changes) => audit.record(db, actor, { action: 'receipt.import_failed', entityType: 'receipt_import', entityId: id, changes }),
    },
    sealField: 'receipt_import_errors.value', errorOrder: 'line-column-reason',
    interruptedMessage: 'interrupted: the process running it stopped; import the same file again to complete it (receipts already stored are skipped)',
    emptyCounts,
    requiredColumns: (s) => Object.keys(s.mapping),
    check: async (_actor, s) => ({ storeId: (await checkSettings(s)).defaultStoreId }),
    open,
    // A phone in the member column is personal data: masked for anyone but the uploader.
    mask: (e, s) => {
      const memberColumn = Object.keys(s.mapping).find((c) => s.mapping[c] === 'member')
      const phone = e.column && e.column === memberColumn ? normalizePhone(e.value) : null
      return phone ? maskPhone(phone) : null
    },
    cancelledChanges: (p, bytesRead) => ({
      processed_bytes: bytesRead, lines_read: p.linesRead, receipts_posted: p.receiptsPosted, returns_posted: p.returnsPosted,
      receipts_skipped: p.receiptsSkipped, members_created: p.membersCreated, failed: p.failed,
    }),
  }
}

export const createReceiptImportService = (deps: ReceiptImportDeps) => {
  const engine = createImportEngine(deps, receiptImportKind(deps))

  /** The settings as stored (defaults filled in), with the run's tuning when given. */
  const normalized = (s: KindSettings): KindSettings => ({
    mapping: s.mapping, storeCode: s.storeCode ?? null, timezone: s.timezone || deps.timezone, awardPoints: s.awardPoints !== false,
    createMembers: Boolean(s.createMembers), memberKey: s.memberKey ?? 'auto', returnPrefix: s.returnPrefix ?? '', batchSize: s.batchSize, writer: s.writer,
  })

  const toImport = (r: ImportRun<KindSettings, ReceiptImportCounts>, errorCount: number): ReceiptImport => {
    const s = r.settings
    return {
      id: r.id, status: r.status, sourceName: r.sourceName, totalBytes: r.totalBytes, processedBytes: r.processedBytes,
      settings: {
        mapping: s.mapping, storeCode: s.storeCode ?? null, timezone: s.timezone || deps.timezone, awardPoints: s.awardPoints !== false,
        createMembers: Boolean(s.createMembers), memberKey: s.memberKey ?? 'auto', returnPrefix: s.returnPrefix ?? '',
      },
      linesRead: r.counts.linesRead, receiptsPosted: r.counts.receiptsPosted, returnsPosted: r.counts.returnsPosted, receiptsSkipped: r.counts.receiptsSkipped,
      membersCreated: r.counts.membersCreated, failed: r.counts.failed, errorCount, errorCode: r.errorCode, errorMessage: r.errorMessage, createdAt: r.createdAt,
      heartbeatAt: r.heartbeatAt, finishedAt: r.finishedAt,
    }
  }

  /** Streams a POS export into receipts; returns the counts. Receipts are committed a batch at a time. */
  const run = (actor: Actor, o: ReceiptImportRun): Promise<ReceiptImportCounts> =>
    engine.runFile(actor, normalized(o), {
      source: o.source, gzip: o.gzip, batchSize: CSV_BATCH, limits: o.limits, importId: o.importId ?? null, onErrors: o.onErrors, checkpoint: o.checkpoint,
      onProgress: o.onProgress && ((p) => o.onProgress!({ ...p.counts, bytesRead: p.bytesRead })),
    })

  const get = async (actor: Actor, id: string): Promise<ReceiptImport> => {
    const r = await engine.get(actor, id)
    return toImport(r, (await engine.errorCounts([id])).get(id) ?? 0)
  }

  const list = async (actor: Actor): Promise<ReceiptImport[]> => {
    const rows = await engine.list(actor)
    const n = await engine.errorCounts(rows.map((r) => r.id))
    return rows.map((r) => toImport(r, n.get(r.id) ?? 0))
  }

  /**
   * Runs an import and records its progress (with a heartbeat) and its problems in the
   * database, so any process can report on it. Phone numbers in the stored report are masked;
   * the value itself is kept encrypted for the person who uploaded the file. A cancel (its
   * record no longer running) stops it after the window in hand: what was posted stays.
   */
  const runRecorded = async (actor: Actor, input: Omit<ReceiptImportRun, 'importId' | 'checkpoint'> & { id?: string; sourceName: string; totalBytes: number }): Promise<ReceiptImport> => {
    const { id } = await engine.runRecorded(actor, {
      id: input.id, source: input.source, gzip: input.gzip, sourceName: input.sourceName, totalBytes: input.totalBytes, settings: normalized(input),
      batchSize: CSV_BATCH, limits: input.limits, onErrors: input.onErrors,
      onProgress: input.onProgress && ((p) => input.onProgress!({ ...p.counts, bytesRead: p.bytesRead })),
    })
    return get(actor, id)
  }

  /** Starts an import of an uploaded file in the background; the file is removed when it ends (or at once, if it cannot start). */
  const startFromFile = async (actor: Actor, input: ReceiptImportSettings & { path: string; sourceName: string }): Promise<ReceiptImport> => {
    const { path, sourceName, ...settings } = input
    return get(actor, await engine.startFromFile(actor, { path, sourceName, settings: normalized(settings), batchSize: CSV_BATCH }))
  }

  /** Stops a running import after the window in hand; what it posted stays. 409 once it has ended. */
  const cancel = async (actor: Actor, id: string): Promise<ReceiptImport> => {
    await engine.cancel(actor, id)
    return get(actor, id)
  }

  /** A page of an import's problems, in file order; the cursor is where the next page starts. */
  const errors = (actor: Actor, id: string, page: { cursor?: string; limit?: number } = {}): Promise<{ items: ReceiptImportRowError[]; nextCursor: string | null }> =>
    engine.errors(actor, id, page)

  return {
    run, runRecorded, startFromFile, cancel, get, list, errors, allErrors: engine.allErrors, uploadDir: engine.uploadDir, uploadsInUse: engine.uploadsInUse,
    settleInterrupted: engine.settleInterrupted,
  }
}

export type ReceiptImportService = ReturnType<typeof createReceiptImportService>
