import type zh from '../zh-CN/dashboard.js'
import type { Translation } from '../../types.js'

export default {
  totalMembers: 'Members',
  newThisWeek: 'New this week (since {{since}})',
  byStore: 'Members by store',
  byChannel: 'Registration channel',
  members: 'Members',
  unassigned: 'No store',
  channels: { till: 'Till', qr: 'QR self-service', mini_program: 'Mini-program', import: 'Import' },
} satisfies Translation<typeof zh>
