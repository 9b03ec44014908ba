import type zh from '../zh-CN/rebates.js'
import type { Translation } from '../../types.js'

export default {
  title: 'rebates',
} satisfies Translation<typeof zh>
