import type { Db } from '../../db/database.js'

// The dashboard's member figures: analytics reads across modules' tables (members, stores).

/** Members that are active or frozen, of one store when given. */
const live = (db: Db, storeId: string | null) => {
  let q = db.selectFrom('members').where('members.status', 'in', ['active', 'frozen'])
  if (storeId) q = q.where('members.registration_store_id', '=', storeId)
  return q
}

export const countLive = async (db: Db, storeId: string | null, registeredFrom?: string): Promise<number> => {
  let q = live(db, storeId)
  if (registeredFrom) q = q.where('members.registered_at', '>=', registeredFrom)
  return Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
}

export const liveByStore = (db: Db, storeId: string | null) =>
  live(db, storeId).leftJoin('stores', 'stores.id', 'members.registration_store_id')
    .select(['members.registration_store_id as storeId', 'stores.name as storeName', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['members.registration_store_id', 'stores.name']).orderBy('count', 'desc').orderBy('stores.name').execute()

export const liveByChannel = (db: Db, storeId: string | null) =>
  live(db, storeId).select(['members.registration_channel as channel', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('members.registration_channel').orderBy('count', 'desc').orderBy('members.registration_channel').execute()
