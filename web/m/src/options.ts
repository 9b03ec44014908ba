import type { Lang } from './i18n.js'

// The profile's choices in both languages (the same words as the staff console's members pages).
type Words = Record<string, Record<Lang, string>>
export const OPTIONS = {
  gender: { female: { 'zh-CN': '女', 'en-US': 'Female' }, male: { 'zh-CN': '男', 'en-US': 'Male' } },
  occupation: {
    student: { 'zh-CN': '学生', 'en-US': 'Student' },
    office_worker: { 'zh-CN': '公司职员', 'en-US': 'Office worker' },
    civil_servant: { 'zh-CN': '公务员/事业单位', 'en-US': 'Civil servant' },
    professional: { 'zh-CN': '专业人士', 'en-US': 'Professional' },
    worker: { 'zh-CN': '工人', 'en-US': 'Worker' },
    self_employed: { 'zh-CN': '个体经营', 'en-US': 'Self-employed' },
    service: { 'zh-CN': '服务业', 'en-US': 'Service industry' },
    farmer: { 'zh-CN': '农民', 'en-US': 'Farmer' },
    retired: { 'zh-CN': '退休', 'en-US': 'Retired' },
    homemaker: { 'zh-CN': '家庭主妇/主夫', 'en-US': 'Homemaker' },
    other: { 'zh-CN': '其他', 'en-US': 'Other' },
  },
  education: {
    primary: { 'zh-CN': '小学', 'en-US': 'Primary school' },
    junior_high: { 'zh-CN': '初中', 'en-US': 'Junior high' },
    senior_high: { 'zh-CN': '高中/中专', 'en-US': 'Senior high' },
    vocational: { 'zh-CN': '职高/技校', 'en-US': 'Vocational school' },
    college: { 'zh-CN': '大专', 'en-US': 'College' },
    bachelor: { 'zh-CN': '本科', 'en-US': "Bachelor's" },
    master: { 'zh-CN': '硕士', 'en-US': "Master's" },
    doctorate: { 'zh-CN': '博士', 'en-US': 'Doctorate' },
  },
  incomeBand: {
    below_3k: { 'zh-CN': '3千以下', 'en-US': 'Below ¥3k' },
    '3k_5k': { 'zh-CN': '3千-5千', 'en-US': '¥3k–5k' },
    '5k_8k': { 'zh-CN': '5千-8千', 'en-US': '¥5k–8k' },
    '8k_12k': { 'zh-CN': '8千-1.2万', 'en-US': '¥8k–12k' },
    '12k_20k': { 'zh-CN': '1.2万-2万', 'en-US': '¥12k–20k' },
    '20k_plus': { 'zh-CN': '2万以上', 'en-US': '¥20k and above' },
  },
} satisfies Record<string, Words>
export type OptionField = 'occupation' | 'education' | 'incomeBand'
