import type { ReferenceExpression, SelectQueryBuilder } from 'kysely'
import { isStoreRole, type Role } from './permissions.js'
import { forbidden } from './errors.js'

/**
 * Store scope, in one place. A store's staff and tills see and manage their own store's data
 * only; HQ roles and the system see the chain. Repositories narrow every store-scoped read with
 * `scopeToStore` (given the scope, or the actor it comes from), services check an action on one
 * entity with `assertInScope`, and a store filter a client sends goes through `scopeWithFilter`
 * (or `storeFilterFor`, for a single store id); services name only which column holds the
 * entity's store (a receipt's store, a member's registration store, a coupon's member's store,
 * a gift order's pick-up store).
 *
 * A scope is a set of stores, not one store id, so a region comes later as one more way of
 * filling it: a region role's scope is `{ kind: 'stores', storeIds: <the region's stores>,
 * regionId }`, resolved when the actor signs in, and every query and check here applies it
 * unchanged.
 */
/**
 * Who acts, as far as scope goes: any `Actor` (./actor.ts) fits. Named here rather than imported,
 * because actor.ts re-exports the scope checks for its callers and the two must not import each other.
 */
type Actor =
  | { kind: 'staff'; role: Role; storeId: string | null }
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
  if (actor.kind === 'staff' && isStoreRole(actor.role)) {
    // A store role without a store (a misconfigured account) sees nothing rather than everything.
    return actor.storeId ? storeScope(actor.storeId) : { kind: 'stores', storeIds: [], regionId: null }
  }
  return CHAIN
}

const toScope = (who: Actor | Scope): Scope => (who.kind === 'chain' || who.kind === 'stores' ? who : scopeOf(who))

/** The store an actor is confined to, or null for chain-wide actors. */
export const scopedStoreId = (actor: Actor): string | null => {
  const scope = scopeOf(actor)
  return scope.kind === 'stores' ? (scope.storeIds[0] ?? '') : null
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
 * The store a list is filtered by: a store role's own (asking for another store is refused,
 * not silently answered with its own), a chain role's choice or none.
 */
export const storeFilterFor = (actor: Actor, requested: string | null | undefined, field = 'storeId', reason = 'you can see only your own store'): string | undefined => {
  const scope = scopeWithFilter(actor, requested, field, reason)
  if (scope.kind === 'chain') return undefined
  // One id cannot hold several stores: a list of a region's stores reads through `scopeWithFilter`
  // and `scopeToStore`; here it narrows to one of them, never widens. No store ('') finds nothing.
  return scope.storeIds[0] ?? ''
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
