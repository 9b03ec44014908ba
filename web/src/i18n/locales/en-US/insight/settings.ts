import type zh from '../../zh-CN/insight/settings.js'
import type { Translation } from '../../../types.js'

export default {
} satisfies Translation<typeof zh>
