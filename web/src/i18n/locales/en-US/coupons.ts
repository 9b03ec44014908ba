import type zh from '../zh-CN/coupons.js'
import type { Translation } from '../../types.js'

export default {
  title: 'coupons',
} satisfies Translation<typeof zh>
