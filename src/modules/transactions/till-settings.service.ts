import type { Actor } from '../../shared/actor.js'
import { actorName, assertCan } from '../../shared/actor.js'
import { forbidden, notFound, unprocessable, type ErrorDetail } from '../../shared/errors.js'
import { assertInScope, homeStoreId } from '../../shared/scope.js'
import { findStoreById } from '../org/index.js'
import type { ReceiptContext } from './receipt-context.js'
import * as repo from './receipts.repository.js'
import { checkTillSettings, DEFAULT_TILL_SETTINGS, effectiveTillSettings, STORE_SETTING_KEYS, type ChainTillSettings, type StoreSettingKey, type TillSettings } from './till-settings.js'

/** One store's till settings: HQ's, the store's own, and what applies. */
export interface StoreTillSettings {
  storeId: string
  /** HQ's settings for every store */
  hq: TillSettings
  /** the settings HQ lets this store change */
  overridable: StoreSettingKey[]
  /** the store's own values (a key absent: inherited from HQ); one HQ has locked since is kept but not applied */
  overrides: Partial<TillSettings>
  /** what the store's tills and desk use */
  effective: TillSettings
  updatedBy: string | null
  updatedAt: string | null
}

/**
 * The chain's till settings (the scale label layout and the desk returns' approval limit), and a
 * store's own values of those HQ lets stores change.
 */
export const createTillSettings = ({ db, audit, clock }: Pick<ReceiptContext, 'db' | 'audit' | 'clock'>) => {
  const read = async (): Promise<ChainTillSettings> => {
    const value = await repo.findTillSettingsValue(db)
    const stored = value === undefined ? {} : (JSON.parse(value) as Partial<ChainTillSettings>)
    return { ...DEFAULT_TILL_SETTINGS, storeOverridable: [], ...stored }
  }

  const overridesOf = async (storeId: string): Promise<{ overrides: Partial<TillSettings>; updatedBy: string | null; updatedAt: string | null }> => {
    const row = await repo.findStoreTillSettings(db, storeId)
    return { overrides: row ? (JSON.parse(row.overrides) as Partial<TillSettings>) : {}, updatedBy: row?.updated_by ?? null, updatedAt: row?.updated_at ?? null }
  }

  const effectiveFor = async (hq: ChainTillSettings, storeId: string | null): Promise<TillSettings> =>
    effectiveTillSettings(hq, storeId ? (await overridesOf(storeId)).overrides : {})

  /** What a store's tills and desk use: its own values where HQ allows them, HQ's elsewhere. */
  const forStore = async (storeId: string | null): Promise<TillSettings> => effectiveFor(await read(), storeId)

  /** HQ's settings to chain-wide staff; a store's tills and staff read their own store's effective settings. */
  const getTillSettings = async (actor: Actor): Promise<ChainTillSettings> => {
    assertCan(actor, 'receipts.read')
    const hq = await read()
    const own = homeStoreId(actor)
    return own ? { ...(await effectiveFor(hq, own)), storeOverridable: hq.storeOverridable } : hq
  }

  const updateTillSettings = async (actor: Actor, input: Partial<ChainTillSettings>): Promise<ChainTillSettings> => {
    assertCan(actor, 'chain.manage')
    const details = checkTillSettings(input)
    if (input.storeOverridable !== undefined) {
      const unknown = input.storeOverridable.filter((k) => !STORE_SETTING_KEYS.includes(k))
      if (unknown.length) details.push({ field: 'storeOverridable', reason: `no such setting: ${unknown.join(', ')} (one of ${STORE_SETTING_KEYS.join(', ')})` })
    }
    if (details.length) throw unprocessable('VALIDATION', details)
    const before = await read()
    const next: ChainTillSettings = {
      scaleLayout: input.scaleLayout ?? before.scaleLayout,
      returnApprovalAbove: input.returnApprovalAbove !== undefined ? input.returnApprovalAbove : before.returnApprovalAbove,
      storeOverridable: input.storeOverridable !== undefined ? STORE_SETTING_KEYS.filter((k) => input.storeOverridable!.includes(k)) : before.storeOverridable,
    }
    await db.transaction().execute(async (trx) => {
      await repo.saveTillSettingsValue(trx, JSON.stringify(next))
      const changes = Object.fromEntries((Object.keys(next) as Array<keyof ChainTillSettings>)
        .filter((k) => JSON.stringify(next[k]) !== JSON.stringify(before[k])).map((k) => [k, { from: before[k], to: next[k] }]))
      await audit?.record(trx, actor, { action: 'till_settings.update', entityType: 'till_settings', changes })
    })
    return next
  }

  const storeIn = async (actor: Actor, storeId: string) => {
    const store = await findStoreById(db, storeId)
    if (!store) throw notFound('STORE_NOT_FOUND', [{ field: 'id', reason: 'no such store' }])
    assertInScope(actor, store.id, 'store')
    return store
  }

  const storeSettingsOf = async (storeId: string): Promise<StoreTillSettings> => {
    const hq = await read()
    const { overrides, updatedBy, updatedAt } = await overridesOf(storeId)
    const { storeOverridable, ...hqSettings } = hq
    return { storeId, hq: hqSettings, overridable: storeOverridable, overrides, effective: effectiveTillSettings(hq, overrides), updatedBy, updatedAt }
  }

  /** One store's settings: HQ's, the store's own and what applies (the store's staff, its region's manager, HQ). */
  const getStoreTillSettings = async (actor: Actor, storeId: string): Promise<StoreTillSettings> => {
    assertCan(actor, 'receipts.read')
    await storeIn(actor, storeId)
    return storeSettingsOf(storeId)
  }

  /**
   * A store's manager (or its region's, or HQ) sets the store's own value of a setting HQ lets
   * stores change (`set`), or goes back to HQ's (`inherit`); a setting HQ keeps is refused (403
   * STORE_SETTING_LOCKED). Audited with the store.
   */
  const updateStoreTillSettings = async (actor: Actor, storeId: string, input: { set?: Partial<TillSettings>; inherit?: StoreSettingKey[] }): Promise<StoreTillSettings> => {
    assertCan(actor, 'stores.settings')
    await storeIn(actor, storeId)
    const set = input.set ?? {}
    const inherit = input.inherit ?? []
    const hq = await read()
    const details: ErrorDetail[] = [...checkTillSettings(set).map((d) => ({ ...d, field: `set.${d.field}` }))]
    const both = inherit.filter((k) => set[k] !== undefined)
    if (both.length) details.push({ field: 'inherit', reason: `${both.join(', ')} cannot be both set and inherited` })
    if (details.length) throw unprocessable('VALIDATION', details)
    const locked = (Object.keys(set) as StoreSettingKey[]).filter((k) => !hq.storeOverridable.includes(k))
    if (locked.length) throw forbidden('STORE_SETTING_LOCKED', locked.map((k) => ({ field: `set.${k}`, reason: 'HQ sets this for every store' })), 'HQ sets this for every store')
    const before = await overridesOf(storeId)
    const next: Partial<TillSettings> = { ...before.overrides, ...set }
    for (const k of inherit) delete next[k]
    const at = clock.now().toISOString()
    await db.transaction().execute(async (trx) => {
      await repo.saveStoreTillSettings(trx, { store_id: storeId, overrides: JSON.stringify(next), updated_by: actorName(actor), updated_at: at })
      const keys = new Set([...Object.keys(before.overrides), ...Object.keys(next)]) as Set<StoreSettingKey>
      const changes = Object.fromEntries([...keys].filter((k) => before.overrides[k] !== next[k])
        .map((k) => [k, { from: before.overrides[k] === undefined ? 'hq' : before.overrides[k], to: next[k] === undefined ? 'hq' : next[k] }]))
      await audit?.record(trx, actor, { action: 'store_till_settings.update', entityType: 'store', entityId: storeId, storeId, changes })
    })
    return storeSettingsOf(storeId)
  }

  return { read, forStore, getTillSettings, updateTillSettings, getStoreTillSettings, updateStoreTillSettings }
}
