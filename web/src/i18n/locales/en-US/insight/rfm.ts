import type zh from '../../zh-CN/insight/rfm.js'
import type { Translation } from '../../../types.js'

export default {
} satisfies Translation<typeof zh>
