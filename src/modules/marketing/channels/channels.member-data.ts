import type { MemberData } from '../../members/index.js'
import * as repo from './channels-member-data.repository.js'

/**
 * A member's messages (the marketing message log) and their WeChat OpenID and push token. A
 * merge moves them to the survivor; an erasure keeps the messages for the campaigns' counts with
 * recipient and text blanked, and deletes the channel ids.
 */
export const channelsMemberData: MemberData = {
  name: 'messages',
  count: repo.countMemberRows,
  move: repo.moveMemberRows,
  export: repo.memberRows,
  erase: (trx, memberId) => repo.eraseMemberRows(trx, memberId),
}
