import type zh from '../../zh-CN/insight/pareto.js'
import type { Translation } from '../../../types.js'

export default {
} satisfies Translation<typeof zh>
