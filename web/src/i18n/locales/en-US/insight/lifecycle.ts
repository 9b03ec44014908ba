import type zh from '../../zh-CN/insight/lifecycle.js'
import type { Translation } from '../../../types.js'

export default {
} satisfies Translation<typeof zh>
