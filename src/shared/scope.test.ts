import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Actor } from './actor.js'
import { assertInScope, isInScope, scopeOf, scopeToStore, scopeWithFilter, storeFilterFor } from './scope.js'

const staff = (role: 'hq_admin' | 'analyst' | 'store_manager' | 'cashier' | 'service_agent', storeId: string | null): Actor =>
  ({ kind: 'staff', userId: 'usr_1', username: 'u', role, storeId })
const pos: Actor = { kind: 'pos', keyId: 'key_1', name: 'till', storeId: 'sto_a' }
const system: Actor = { kind: 'system', name: 'job' }

describe('store scope', () => {
  it.each([
    ['HQ admin', staff('hq_admin', null), { kind: 'chain' }],
    ['analyst', staff('analyst', null), { kind: 'chain' }],
    ['system', system, { kind: 'chain' }],
    ['store manager', staff('store_manager', 'sto_a'), { kind: 'stores', storeIds: ['sto_a'], regionId: null }],
    ['cashier', staff('cashier', 'sto_a'), { kind: 'stores', storeIds: ['sto_a'], regionId: null }],
    ['service desk', staff('service_agent', 'sto_a'), { kind: 'stores', storeIds: ['sto_a'], regionId: null }],
    ['till key', pos, { kind: 'stores', storeIds: ['sto_a'], regionId: null }],
    // A store role without a store sees nothing, never the chain.
    ['store role without a store', staff('cashier', null), { kind: 'stores', storeIds: [], regionId: null }],
  ])('%s acts on %j', (_, actor, scope) => {
    expect(scopeOf(actor)).toEqual(scope)
  })

  it.each([
    [staff('cashier', 'sto_a'), 'sto_a', {}, true],
    [staff('cashier', 'sto_a'), 'sto_b', {}, false],
    [staff('cashier', 'sto_a'), null, {}, false],
    [staff('cashier', 'sto_a'), null, { orUnassigned: true }, true],
    [staff('cashier', 'sto_a'), 'sto_b', { orUnassigned: true }, false],
    [staff('cashier', null), null, {}, false],
    [staff('hq_admin', null), 'sto_b', {}, true],
    [pos, 'sto_b', {}, false],
  ])('an entity of %j at %s (%j) is in scope: %s', (actor, storeId, options, expected) => {
    expect(isInScope(actor, storeId, options)).toBe(expected)
    if (expected) expect(() => assertInScope(actor, storeId, 'receipt', options)).not.toThrow()
    else expect(() => assertInScope(actor, storeId, 'receipt', options)).toThrow(expect.objectContaining({ code: 'OUT_OF_STORE_SCOPE' }))
  })

  it('filters a list by the own store, refuses another and leaves chain roles their choice', () => {
    expect(storeFilterFor(staff('store_manager', 'sto_a'), undefined)).toBe('sto_a')
    expect(storeFilterFor(staff('store_manager', 'sto_a'), 'sto_a')).toBe('sto_a')
    expect(() => storeFilterFor(staff('store_manager', 'sto_a'), 'sto_b', 'pickupStoreId', 'picked up here'))
      .toThrow(expect.objectContaining({ code: 'OUT_OF_STORE_SCOPE', details: [{ field: 'pickupStoreId', reason: 'picked up here' }] }))
    expect(storeFilterFor(staff('analyst', null), 'sto_b')).toBe('sto_b')
    expect(storeFilterFor(staff('analyst', null), undefined)).toBeUndefined()
  })

  it('narrows a query by the column holding the store, or leaves a chain role\'s alone', () => {
    const db = new Kysely<{ receipts: { id: string; store_id: string | null } }>({
      dialect: { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (k) => new SqliteIntrospector(k), createQueryCompiler: () => new SqliteQueryCompiler() },
    })
    const q = () => db.selectFrom('receipts').select('id')
    expect(scopeToStore(q(), staff('hq_admin', null), 'store_id').compile().sql).toBe('select "id" from "receipts"')
    const own = scopeToStore(q(), pos, 'store_id').compile()
    expect(own.sql).toBe('select "id" from "receipts" where "store_id" = ?')
    expect(own.parameters).toEqual(['sto_a'])
    expect(scopeToStore(q(), pos, 'store_id', { orUnassigned: true }).compile().sql).toBe('select "id" from "receipts" where ("store_id" = ? or "store_id" is null)')
  })

  it('applies a scope of several stores (a region\'s, later) and one of none', () => {
    const db = new Kysely<{ receipts: { id: string; store_id: string | null } }>({
      dialect: { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (k) => new SqliteIntrospector(k), createQueryCompiler: () => new SqliteQueryCompiler() },
    })
    const q = () => db.selectFrom('receipts').select('id')
    const region = { kind: 'stores', storeIds: ['sto_a', 'sto_b'], regionId: 'reg_1' } as const
    const many = scopeToStore(q(), region, 'store_id').compile()
    expect(many.sql).toBe('select "id" from "receipts" where "store_id" in (?, ?)')
    expect(many.parameters).toEqual(['sto_a', 'sto_b'])
    expect(isInScope(region, 'sto_b')).toBe(true)
    expect(isInScope(region, 'sto_c')).toBe(false)
    expect(scopeToStore(q(), staff('cashier', null), 'store_id').compile().sql).toBe('select "id" from "receipts" where 1 = 0')
  })

  it('narrows a scope to the store a list asks for, inside the actor\'s scope only', () => {
    expect(scopeWithFilter(staff('analyst', null), undefined)).toEqual({ kind: 'chain' })
    expect(scopeWithFilter(staff('analyst', null), 'sto_b')).toEqual({ kind: 'stores', storeIds: ['sto_b'], regionId: null })
    expect(scopeWithFilter(pos, 'sto_a')).toEqual({ kind: 'stores', storeIds: ['sto_a'], regionId: null })
    expect(() => scopeWithFilter(pos, 'sto_b')).toThrow(expect.objectContaining({ code: 'OUT_OF_STORE_SCOPE' }))
  })
})
