import type zh from '../zh-CN/draws.js'
import type { Translation } from '../../types.js'

export default {
  title: 'draws',
} satisfies Translation<typeof zh>
