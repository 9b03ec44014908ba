import type { Db, Trx } from '../../db/database.js'
import type { RegionsTable, StoresTable } from './org.table.js'

type Conn = Db | Trx

// The chain's settings live in the shared key-value table under keys of their own.
const CHAIN_NAME_KEY = 'chain.name'

export const readChainName = async (conn: Conn): Promise<string | undefined> =>
  (await conn.selectFrom('meta').select('value').where('key', '=', CHAIN_NAME_KEY).executeTakeFirst())?.value

export const writeChainName = async (conn: Conn, name: string): Promise<void> => {
  await conn.insertInto('meta').values({ key: CHAIN_NAME_KEY, value: name })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: name })).execute()
}

export const findRegionById = (conn: Conn, id: string) => conn.selectFrom('regions').selectAll().where('id', '=', id).executeTakeFirst()

export const findRegions = (conn: Conn) => conn.selectFrom('regions').selectAll().orderBy('code').execute()

export const findRegionsByIds = (conn: Conn, ids: readonly string[]) =>
  ids.length === 0 ? Promise.resolve([]) : conn.selectFrom('regions').selectAll().where('id', 'in', ids).execute()

export const insertRegion = async (conn: Conn, row: RegionsTable): Promise<void> => {
  await conn.insertInto('regions').values(row).execute()
}

export const findStoreById = (conn: Conn, id: string) => conn.selectFrom('stores').selectAll().where('id', '=', id).executeTakeFirst()

export const findStoreByCode = (conn: Conn, code: string) => conn.selectFrom('stores').selectAll().where('code', '=', code).executeTakeFirst()

export const findStoresByIds = (conn: Conn, ids: readonly string[]) =>
  ids.length === 0 ? Promise.resolve([]) : conn.selectFrom('stores').selectAll().where('id', 'in', ids).execute()

export const findStores = (conn: Conn, filter: { status?: StoresTable['status']; regionId?: string; limit?: number } = {}) => {
  let q = conn.selectFrom('stores').selectAll()
  if (filter.status) q = q.where('status', '=', filter.status)
  if (filter.regionId) q = q.where('region_id', '=', filter.regionId)
  q = q.orderBy('code')
  if (filter.limit !== undefined) q = q.limit(filter.limit)
  return q.execute()
}

export const countStores = async (conn: Conn): Promise<number> =>
  Number((await conn.selectFrom('stores').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

export const insertStore = async (conn: Conn, row: StoresTable): Promise<void> => {
  await conn.insertInto('stores').values(row).execute()
}

export const updateStore = async (conn: Conn, id: string, patch: Partial<StoresTable>): Promise<void> => {
  await conn.updateTable('stores').set(patch).where('id', '=', id).execute()
}
