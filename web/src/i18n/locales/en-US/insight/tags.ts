import type zh from '../../zh-CN/insight/tags.js'
import type { Translation } from '../../../types.js'

export default {
} satisfies Translation<typeof zh>
