import type zh from '../../zh-CN/service/feedback.js'
import type { Translation } from '../../../types.js'

export default {
  title: 'feedback',
} satisfies Translation<typeof zh>
