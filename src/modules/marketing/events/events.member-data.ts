import type { MemberData } from '../../members/index.js'
import * as repo from './events-member-data.repository.js'

/**
 * A member's event registrations. A merge moves them to the survivor (one registration per event
 * and person); an erasure keeps them for the events' seats and attendance, held by the erasure's
 * holder, with nothing that names the person.
 */
export const eventsMemberData: MemberData = {
  name: 'eventRegistrations',
  count: repo.countRegistrations,
  move: repo.moveRegistrations,
  export: async (conn, memberId) => ({ event_registrations: await repo.registrationRows(conn, memberId) }),
  erase: (trx, memberId, keep) => repo.eraseRegistrations(trx, memberId, keep.holderId),
}
