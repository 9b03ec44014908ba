import type zh from '../../zh-CN/service/tickets.js'
import type { Translation } from '../../../types.js'

export default {
  title: 'tickets',
} satisfies Translation<typeof zh>
