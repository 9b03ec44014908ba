import type zh from '../zh-CN/gifts.js'
import type { Translation } from '../../types.js'

export default {
  title: 'gifts',
} satisfies Translation<typeof zh>
