import type { ReferenceExpression, SelectQueryBuilder } from 'kysely'
import { isRegionRole, isStoreRole, type Role } from './permissions.js'
import { forbidden, unprocessable } from './errors.js'

/**
 * Store scope, in one place. A store's staff and tills see and manage their own store's data
 * only; HQ roles and the system see the chain. Repositories narrow every store-scoped read with
 * `scopeToStore` (given the scope, or the actor it comes from), services check an action on one
 * entity with `assertInScope`, and a store filter a client sends goes through `scopeWithFilter`
 * (or `storeFilterFor`, for a single store id); services name only which column holds the
 * entity's store (a receipt's store, a member's registration store, a coupon's member's store,
 * a gift order's pick-up store).
 *
 * A scope is a set of stores, not one store id: a region manager's scope is `{ kind: 'stores',
 * storeIds: <the region's stores>, regionId }`, resolved when the actor is authenticated (a store
 * moved to another region moves with it), and every query and check here applies it unchanged.
 * What needs one store (the store a receipt is posted at, a till's default) asks `homeStoreId`;
 * what asks "may this actor see the whole chain?" asks `isChainWide`.
 */
/**
 * Who acts, as far as scope goes: any `Actor` (./actor.ts) fits. Named here rather than imported,
 * because actor.ts re-exports the scope checks for its callers and the two must not import each other.
 */
type Actor =
  | { kind: 'staff'; role: Role; storeId: string | null; regionId?: string | null; regionStoreIds?: readonly string[] }
  | { kind: 'pos'; storeId: string }
  | { kind: 'system' }

export type Scope =
  | { kind: 'chain' }
  /** The stores the actor may act on (none: a misconfigured store role, which sees nothing). */
  | { kind: 'stores'; storeIds: readonly string[]; regionId: string | null }

export const CHAIN: Scope = { kind: 'chain' }

/** The scope of exactly one store (a store role's, or a chain role's filter). */
export const storeScope = (storeId: string): Scope => ({ kind: 'stores', storeIds: [storeId], regionId: null })

export const scopeOf = (actor: Actor): Scope => {
  if (actor.kind === 'pos') return storeScope(actor.storeId)
  if (actor.kind === 'staff' && isRegionRole(actor.role)) {
    // A region manager without a region (or of a region without stores) sees nothing.
    return { kind: 'stores', storeIds: actor.regionId ? (actor.regionStoreIds ?? []) : [], regionId: actor.regionId ?? null }
  }
  if (actor.kind === 'staff' && isStoreRole(actor.role)) {
    // A store role without a store (a misconfigured account) sees nothing rather than everything.
    return actor.storeId ? storeScope(actor.storeId) : { kind: 'stores', storeIds: [], regionId: null }
  }
  return CHAIN
}

const toScope = (who: Actor | Scope): Scope => (who.kind === 'chain' || who.kind === 'stores' ? who : scopeOf(who))

/** Whether the actor sees and manages the whole chain (HQ roles, the system). */
export const isChainWide = (actor: Actor): boolean => scopeOf(actor).kind === 'chain'

/**
 * The one store an actor works at: a store role's and a till's own (what they post, register and
 * hand over at unless they name another); null for chain-wide actors and region managers, who name
 * the store. A store role without a store has '' (matches nothing).
 */
export const homeStoreId = (actor: Actor): string | null => {
  if (actor.kind === 'pos') return actor.storeId
  if (actor.kind === 'staff' && isStoreRole(actor.role)) return actor.storeId ?? ''
  return null
}

export interface ScopeOptions {
  /**
   * Rows without a store are everyone's (a draw's gift prize waiting for whichever store the
   * member walks into); otherwise a row without a store is HQ's, outside every store's scope.
   */
  orUnassigned?: boolean
}

/**
 * Narrows a query to the rows in a scope (or an actor's); `column` holds the row's store
 * (joined if the store is another table's, e.g. `members.registration_store_id` for coupons).
 */
export const scopeToStore = <DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>, who: Actor | Scope, column: ReferenceExpression<DB, TB>, options: ScopeOptions = {},
): SelectQueryBuilder<DB, TB, O> => {
  const scope = toScope(who)
  if (scope.kind === 'chain') return qb
  const ids = scope.storeIds
  return qb.where((eb) => {
    const inStores = ids.length === 0 ? eb.or([]) : ids.length === 1 ? eb(column, '=', ids[0]!) : eb(column, 'in', ids)
    return options.orUnassigned ? eb.or([inStores, eb(column, 'is', null)]) : inStores
  })
}

/** Whether an entity of `storeId` is in the actor's scope. */
export const isInScope = (who: Actor | Scope, storeId: string | null | undefined, options: ScopeOptions = {}): boolean => {
  const scope = toScope(who)
  if (scope.kind === 'chain') return true
  if (storeId === null || storeId === undefined) return options.orUnassigned === true
  return scope.storeIds.includes(storeId)
}

/** Refuses an action on one entity outside the actor's scope (403 OUT_OF_STORE_SCOPE). */
export const assertInScope = (actor: Actor, storeId: string | null | undefined, what = 'member', options: ScopeOptions = {}): void => {
  if (!isInScope(actor, storeId, options)) throw forbidden('OUT_OF_STORE_SCOPE', [], `this ${what} belongs to another store`)
}

/**
 * The one store a read of one store's figures is for: a store role's own (asking for another
 * store is refused, not silently answered with its own), a chain role's choice or none (the
 * chain). A region manager names one of the region's stores (422 without one): one id cannot
 * hold several stores, so what reads a region's stores at once goes through `scopeWithFilter`
 * and `scopeToStore` (or `requestedStore` beside the actor's scope) instead.
 */
export const storeFilterFor = (actor: Actor, requested: string | null | undefined, field = 'storeId', reason = 'you can see only your own store'): string | undefined => {
  const scope = scopeWithFilter(actor, requested, field, reason)
  if (scope.kind === 'chain') return undefined
  if (scope.storeIds.length > 1) throw unprocessable('STORE_REQUIRED', [{ field, reason: 'name one of the stores of your region' }])
  // No store ('') finds nothing.
  return scope.storeIds[0] ?? ''
}

/**
 * The store a client narrowed a list to, checked against the actor's scope (403 outside it), or
 * undefined: for a query the actor's scope narrows as well (`scopeToStore`), so no store means all
 * of the actor's stores.
 */
export const requestedStore = (actor: Actor, requested: string | null | undefined, field = 'storeId', reason = 'you can see only your own store'): string | undefined => {
  if (requested === undefined || requested === null || requested === '') return undefined
  scopeWithFilter(actor, requested, field, reason)
  return requested
}

/**
 * The scope a list reads: the actor's, narrowed to the store a client asked for (a store
 * outside the actor's scope is refused, not silently answered with its own).
 */
export const scopeWithFilter = (actor: Actor, requested: string | null | undefined, field = 'storeId', reason = 'you can see only your own store'): Scope => {
  const scope = scopeOf(actor)
  if (requested === undefined || requested === null) return scope
  if (!isInScope(scope, requested)) throw forbidden('OUT_OF_STORE_SCOPE', [{ field, reason }], reason)
  return storeScope(requested)
}
