import type zh from '../../zh-CN/insight/quadrants.js'
import type { Translation } from '../../../types.js'

export default {
} satisfies Translation<typeof zh>
