import type { Db, Trx } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import type { Actor } from '../../shared/actor.js'
import { assertCan } from '../../shared/actor.js'
import type { Clock } from '../../shared/clock.js'
import type { EventBus } from '../../shared/events.js'
import { conflict, notFound, unprocessable, type ErrorDetail } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import type { AuditService } from '../audit/index.js'
import { diffFields } from '../audit/index.js'
import * as repo from './org.repository.js'
import type { RegionsTable, StoresTable } from './org.table.js'

export interface Region {
  id: string
  code: string
  name: string
  createdAt: string
}

export interface Store {
  id: string
  code: string
  name: string
  regionId: string | null
  city: string
  district: string | null
  address: string | null
  openedOn: string | null
  status: 'open' | 'closed'
  closedAt: string | null
  createdAt: string
  updatedAt: string
}

export interface StoreInput {
  code: string
  name: string
  regionId?: string | null
  city: string
  district?: string | null
  address?: string | null
  openedOn?: string | null
}

export interface Chain {
  name: string
  timezone: string
}

const toRegion = (r: RegionsTable): Region => ({ id: r.id, code: r.code, name: r.name, createdAt: r.created_at })

export const toStore = (s: StoresTable): Store => ({
  id: s.id,
  code: s.code,
  name: s.name,
  regionId: s.region_id,
  city: s.city,
  district: s.district,
  address: s.address,
  openedOn: s.opened_on,
  status: s.status,
  closedAt: s.closed_at,
  createdAt: s.created_at,
  updatedAt: s.updated_at,
})

/** A store's row as stored, or undefined (for checks of a store id another module was given). */
export const findStoreById = (conn: Db | Trx, id: string): Promise<StoresTable | undefined> => repo.findStoreById(conn, id)

// Reads for other modules (they never query `stores` themselves).

export const storeById = async (conn: Db | Trx, id: string): Promise<Store | undefined> => {
  const row = await repo.findStoreById(conn, id)
  return row ? toStore(row) : undefined
}

export const storeByCode = async (conn: Db | Trx, code: string): Promise<Store | undefined> => {
  const row = await repo.findStoreByCode(conn, code)
  return row ? toStore(row) : undefined
}

/** The stores of these ids that exist (in no particular order). */
export const storesByIds = async (conn: Db | Trx, ids: readonly string[]): Promise<Store[]> =>
  (await repo.findStoresByIds(conn, [...new Set(ids)])).map(toStore)

/** The ids of a region's stores (open or closed): a region manager's scope. */
export const storeIdsOfRegion = async (conn: Db | Trx, regionId: string): Promise<string[]> =>
  (await repo.findStores(conn, { regionId })).map((s) => s.id)

/** Every store (or the open ones), by code. */
export const listAllStores = async (conn: Db | Trx, filter: { status?: Store['status']; limit?: number } = {}): Promise<Store[]> =>
  (await repo.findStores(conn, filter)).map(toStore)

/** Store ids by store code (imports and demo data name stores by code). */
export const storeIdsByCode = async (conn: Db | Trx): Promise<Map<string, string>> =>
  new Map((await repo.findStores(conn)).map((s) => [s.code, s.id]))

export const countStores = (conn: Db | Trx): Promise<number> => repo.countStores(conn)

/** The regions of these ids that exist (in no particular order). */
export const regionsByIds = async (conn: Db | Trx, ids: readonly string[]): Promise<Region[]> =>
  (await repo.findRegionsByIds(conn, [...new Set(ids)])).map(toRegion)

/** Region ids by region code. */
export const regionIdsByCode = async (conn: Db | Trx): Promise<Map<string, string>> =>
  new Map((await repo.findRegions(conn)).map((r) => [r.code, r.id]))

/** Code and name of each of these stores, for lists that show a row's store. */
export const storeNamesByIds = async (conn: Db | Trx, ids: readonly (string | null)[]): Promise<Map<string, { code: string; name: string }>> => {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))]
  return new Map((await repo.findStoresByIds(conn, wanted)).map((s) => [s.id, { code: s.code, name: s.name }]))
}

const CODE = /^[A-Za-z0-9_-]{1,32}$/

export const createOrgService = ({ db, audit, clock, timezone, events }: { db: Db; audit: AuditService; clock: Clock; timezone: string; events?: EventBus }) => {
  const changed = (storeId: string) => events?.emit('store.changed', { storeId, at: clock.now().toISOString() })
  const now = () => clock.now().toISOString()

  const checkRegion = async (trx: Db | Trx, regionId: string | null | undefined, errors: ErrorDetail[]) => {
    if (!regionId) return
    if (!(await repo.findRegionById(trx, regionId))) errors.push({ field: 'regionId', reason: 'no such region' })
  }

  const checkStoreFields = (input: Partial<StoreInput>, errors: ErrorDetail[]) => {
    if (input.code !== undefined && !CODE.test(input.code)) errors.push({ field: 'code', reason: 'letters, digits, - and _ only, at most 32' })
    if (input.name !== undefined && input.name.trim() === '') errors.push({ field: 'name', reason: 'must not be empty' })
    if (input.city !== undefined && input.city.trim() === '') errors.push({ field: 'city', reason: 'must not be empty' })
    if (input.openedOn && !/^\d{4}-\d{2}-\d{2}$/.test(input.openedOn)) errors.push({ field: 'openedOn', reason: 'not a date (YYYY-MM-DD)' })
  }

  return {
    async getChain(): Promise<Chain> {
      return { name: (await repo.readChainName(db)) ?? 'Patron', timezone }
    },

    async renameChain(actor: Actor, name: string): Promise<Chain> {
      assertCan(actor, 'chain.manage')
      const trimmed = name.trim()
      if (!trimmed) throw unprocessable('VALIDATION', [{ field: 'name', reason: 'must not be empty' }])
      await db.transaction().execute(async (trx) => {
        const before = await repo.readChainName(trx)
        await repo.writeChainName(trx, trimmed)
        await audit.record(trx, actor, { action: 'chain.rename', entityType: 'chain', changes: { name: { from: before ?? null, to: trimmed } } })
      })
      return { name: trimmed, timezone }
    },

    async listRegions(actor: Actor): Promise<Region[]> {
      assertCan(actor, 'stores.read')
      return (await repo.findRegions(db)).map(toRegion)
    },

    async createRegion(actor: Actor, input: { code: string; name: string }): Promise<Region> {
      assertCan(actor, 'stores.manage')
      const errors: ErrorDetail[] = []
      if (!CODE.test(input.code)) errors.push({ field: 'code', reason: 'letters, digits, - and _ only, at most 32' })
      if (!input.name.trim()) errors.push({ field: 'name', reason: 'must not be empty' })
      if (errors.length) throw unprocessable('VALIDATION', errors)
      const row: RegionsTable = { id: newId('reg'), code: input.code, name: input.name.trim(), created_at: now(), updated_at: now() }
      try {
        await db.transaction().execute(async (trx) => {
          await repo.insertRegion(trx, row)
          await audit.record(trx, actor, { action: 'region.create', entityType: 'region', entityId: row.id, changes: { code: row.code, name: row.name } })
        })
      } catch (err) {
        if (isUniqueViolation(err, 'code')) throw conflict('REGION_CODE_TAKEN', [{ field: 'code', reason: 'already used by another region' }])
        throw err
      }
      return toRegion(row)
    },

    async listStores(actor: Actor, filter: { status?: 'open' | 'closed'; regionId?: string } = {}): Promise<Store[]> {
      assertCan(actor, 'stores.read')
      return (await repo.findStores(db, filter)).map(toStore)
    },

    async getStore(actor: Actor, id: string): Promise<Store> {
      assertCan(actor, 'stores.read')
      const row = await findStoreById(db, id)
      if (!row) throw notFound('STORE_NOT_FOUND', [{ field: 'id', reason: 'no such store' }])
      return toStore(row)
    },

    async createStore(actor: Actor, input: StoreInput): Promise<Store> {
      assertCan(actor, 'stores.manage')
      const errors: ErrorDetail[] = []
      checkStoreFields(input, errors)
      await checkRegion(db, input.regionId, errors)
      if (errors.length) throw unprocessable('VALIDATION', errors)
      const at = now()
      const row: StoresTable = {
        id: newId('sto'), code: input.code, name: input.name.trim(), region_id: input.regionId || null, city: input.city.trim(),
        district: input.district ?? null, address: input.address ?? null, opened_on: input.openedOn ?? null,
        status: 'open', closed_at: null, created_at: at, updated_at: at,
      }
      try {
        await db.transaction().execute(async (trx) => {
          await repo.insertStore(trx, row)
          await audit.record(trx, actor, { action: 'store.create', entityType: 'store', entityId: row.id, storeId: row.id, changes: { code: row.code, name: row.name, city: row.city } })
        })
      } catch (err) {
        if (isUniqueViolation(err, 'code')) throw conflict('STORE_CODE_TAKEN', [{ field: 'code', reason: 'already used by another store' }])
        throw err
      }
      return toStore(row)
    },

    async updateStore(actor: Actor, id: string, input: Partial<StoreInput>): Promise<Store> {
      assertCan(actor, 'stores.manage')
      const errors: ErrorDetail[] = []
      checkStoreFields(input, errors)
      await checkRegion(db, input.regionId, errors)
      if (errors.length) throw unprocessable('VALIDATION', errors)
      try {
        const store = await db.transaction().execute(async (trx) => {
          const before = await findStoreById(trx, id)
          if (!before) throw notFound('STORE_NOT_FOUND', [{ field: 'id', reason: 'no such store' }])
          const patch: Partial<StoresTable> = {}
          if (input.code !== undefined) patch.code = input.code
          if (input.name !== undefined) patch.name = input.name.trim()
          // An empty region select means no region; '' would reach the foreign key as an id.
          if (input.regionId !== undefined) patch.region_id = input.regionId || null
          if (input.city !== undefined) patch.city = input.city.trim()
          if (input.district !== undefined) patch.district = input.district
          if (input.address !== undefined) patch.address = input.address
          if (input.openedOn !== undefined) patch.opened_on = input.openedOn
          const changes = diffFields(before as unknown as Record<string, unknown>, patch)
          if (Object.keys(changes).length === 0) return toStore(before)
          const after = { ...before, ...patch, updated_at: now() }
          await repo.updateStore(trx, id, { ...patch, updated_at: after.updated_at })
          await audit.record(trx, actor, { action: 'store.update', entityType: 'store', entityId: id, storeId: id, changes })
          return toStore(after)
        })
        changed(id)
        return store
      } catch (err) {
        if (isUniqueViolation(err, 'code')) throw conflict('STORE_CODE_TAKEN', [{ field: 'code', reason: 'already used by another store' }])
        throw err
      }
    },

    /** A closed store keeps its members and history; it only stops taking new registrations. */
    async setStoreStatus(actor: Actor, id: string, status: 'open' | 'closed'): Promise<Store> {
      assertCan(actor, 'stores.manage')
      const store = await db.transaction().execute(async (trx) => {
        const before = await findStoreById(trx, id)
        if (!before) throw notFound('STORE_NOT_FOUND', [{ field: 'id', reason: 'no such store' }])
        if (before.status === status) return toStore(before)
        const at = now()
        const patch = { status, closed_at: status === 'closed' ? at : null, updated_at: at }
        await repo.updateStore(trx, id, patch)
        await audit.record(trx, actor, { action: status === 'closed' ? 'store.close' : 'store.reopen', entityType: 'store', entityId: id, storeId: id, changes: { status: { from: before.status, to: status } } })
        return toStore({ ...before, ...patch })
      })
      changed(id)
      return store
    },
  }
}

export type OrgService = ReturnType<typeof createOrgService>
