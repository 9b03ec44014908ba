import type { Db } from '../../db/database.js'
import { scopeToStore, type Scope } from '../../shared/scope.js'

// The dashboard's member figures: analytics reads across modules' tables (members, stores).

/** Members that are active or frozen, of the scope's stores. */
const live = (db: Db, scope: Scope) =>
  scopeToStore(db.selectFrom('members').where('members.status', 'in', ['active', 'frozen']), scope, 'members.registration_store_id')

export const countLive = async (db: Db, scope: Scope, registeredFrom?: string): Promise<number> => {
  let q = live(db, scope)
  if (registeredFrom) q = q.where('members.registered_at', '>=', registeredFrom)
  return Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
}

export const liveByStore = (db: Db, scope: Scope) =>
  live(db, scope).leftJoin('stores', 'stores.id', 'members.registration_store_id')
    .select(['members.registration_store_id as storeId', 'stores.name as storeName', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['members.registration_store_id', 'stores.name']).orderBy('count', 'desc').orderBy('stores.name').execute()

export const liveByChannel = (db: Db, scope: Scope) =>
  live(db, scope).select(['members.registration_channel as channel', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('members.registration_channel').orderBy('count', 'desc').orderBy('members.registration_channel').execute()
