import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { AUDIT_ACTIONS, type AuditAction } from '../../../../src/modules/audit/audit-actions.js'
import { LANGUAGES, resources, type Language } from '../../i18n/index.js'
import { describeAudit, type AuditEntryLike, type Translators } from './audit-words.js'

const ids = {
  member: 'mem_01jxq3m5v0aaaaaaaaaaaaaaaa', member2: 'mem_01jxq3m5v0bbbbbbbbbbbbbbbb', store: 'sto_01jxq3m5v0aaaaaaaaaaaaaaaa',
  store2: 'sto_01jxq3m5v0cccccccccccccccc', region: 'reg_01jxq3m5v0aaaaaaaaaaaaaaaa', staff: 'usr_01jxq3m5v0aaaaaaaaaaaaaaaa',
  key: 'key_01jxq3m5v0aaaaaaaaaaaaaaaa', product: 'prd_01jxq3m5v0aaaaaaaaaaaaaaaa', template: 'ctp_01jxq3m5v0aaaaaaaaaaaaaaaa',
  coupon: 'cpn_01jxq3m5v0aaaaaaaaaaaaaaaa', gift: 'gft_01jxq3m5v0aaaaaaaaaaaaaaaa', order: 'gor_01jxq3m5v0aaaaaaaaaaaaaaaa',
  rebate: 'rbp_01jxq3m5v0aaaaaaaaaaaaaaaa', draw: 'drw_01jxq3m5v0aaaaaaaaaaaaaaaa', prize: 'dpz_01jxq3m5v0aaaaaaaaaaaaaaaa',
  prize2: 'dpz_01jxq3m5v0bbbbbbbbbbbbbbbb', entry: 'den_01jxq3m5v0aaaaaaaaaaaaaaaa', memberImport: 'imp_01jxq3m5v0aaaaaaaaaaaaaaaa',
  receiptImport: 'rim_01jxq3m5v0aaaaaaaaaaaaaaaa', kpiTarget: 'kpt_01jxq3m5v0aaaaaaaaaaaaaaaa', run: 'cis_01jxq3m5v0aaaaaaaaaaaaaaaa', rule: '01jxq3m5v0aaaaaaaaaaaaaaaa',
}
const labels: Record<string, string> = {
  [ids.member]: '王**（8801000000000017）', [ids.member2]: '李**（8801000000000025）', [ids.store]: 'SH01 浦东店', [ids.store2]: 'BJ01 朝阳店',
  [ids.region]: '华东区', [ids.staff]: '小周（7788）', [ids.key]: '1号收银机', [ids.product]: '东北大米 5kg', [ids.template]: '满100减10',
  [ids.coupon]: '满100减10 1234 5678', [ids.gift]: '保温杯', [ids.order]: 'G20261204001', [ids.rebate]: '2026 年终返利', [ids.draw]: '春节抽奖',
  [ids.prize]: '10元券', [ids.prize2]: '50积分', [ids.memberImport]: '会员.csv', [ids.receiptImport]: '小票.csv', [ids.rule]: '周末双倍', tag_01jxq3m5v0aaaaaaaaaaaaaaaa: '投诉关注', [ids.kpiTarget]: '2026-03 复购率', sug_01jxq3m5v0aaaaaaaaaaaaaaaa: 'S2603021AB2', tkt_01jxq3m5v0aaaaaaaaaaaaaaaa: 'TS-20260302-0042', stm_01jxq3m5v0aaaaaaaaaaaaaaaa: '门店 浦东店', stm_01jxq3m5v0bbbbbbbbbbbbbbbb: '采购', scg_01jxq3m5v0aaaaaaaaaaaaaaaa: '商品质量', scg_01jxq3m5v0bbbbbbbbbbbbbbbb: '食品安全', svy_01jxq3m5v0aaaaaaaaaaaaaaaa: '顾客满意度调查', seg_01jxq3m5v0aaaaaaaaaaaaaaaa: '女性会员', cmp_01jxq3m5v0aaaaaaaaaaaaaaaa: '双十一会员日', jny_01jxq3m5v0aaaaaaaaaaaaaaaa: '新会员欢迎', 'tier:gold': '金卡', 'tier:silver': '银卡',
  mev_01jxq3m5v0aaaaaaaaaaaaaaaa: '春季新品试吃会',
}
const at = '2026-12-04T02:00:00.000Z'

/** What each action records (the shapes the services write), so each is put into words. */
const SAMPLES: Record<AuditAction, Omit<AuditEntryLike, 'action'> & { entityType: string }> = {
  'auth.login': { entityType: 'staff_user', entityId: ids.staff, changes: null },
  'auth.login_failed': { entityType: 'staff_user', entityId: ids.staff, changes: { ip: '10.0.0.1', reason: 'bad credentials' } },
  'auth.logout': { entityType: 'staff_user', entityId: ids.staff, changes: null },
  'auth.password_change': { entityType: 'staff_user', entityId: ids.staff, changes: null },
  'chain.rename': { entityType: 'chain', entityId: null, changes: { name: { from: '好邻居', to: '好邻居超市' } } },
  'region.create': { entityType: 'region', entityId: ids.region, changes: { code: 'HD', name: '华东区' } },
  'store.create': { entityType: 'store', entityId: ids.store, changes: { code: 'SH01', name: '浦东店', city: '上海' } },
  'store.update': { entityType: 'store', entityId: ids.store, changes: { name: { from: '浦东店', to: '浦东一店' }, region_id: { from: null, to: ids.region }, opened_on: { from: null, to: '2020-01-01' } } },
  'store.close': { entityType: 'store', entityId: ids.store, changes: { status: { from: 'open', to: 'closed' } } },
  'store.reopen': { entityType: 'store', entityId: ids.store, changes: { status: { from: 'closed', to: 'open' } } },
  'staff.create': { entityType: 'staff_user', entityId: ids.staff, changes: { username: '7788', role: 'cashier', storeId: ids.store } },
  'staff.update': { entityType: 'staff_user', entityId: ids.staff, changes: { role: { from: 'cashier', to: 'service_agent' }, storeId: { from: ids.store, to: ids.store2 }, status: { from: 'active', to: 'disabled' } } },
  'staff.password_reset': { entityType: 'staff_user', entityId: ids.staff, changes: null },
  'pos_key.create': { entityType: 'pos_api_key', entityId: ids.key, changes: { name: '1号收银机', keyPrefix: '3f9a2c' } },
  'pos_key.revoke': { entityType: 'pos_api_key', entityId: ids.key, changes: null },
  'member.register': { entityType: 'member', entityId: ids.member, changes: { channel: 'till', cardNo: '8801000000000017', consents: { sms: true, email: false } } },
  'member.update': { entityType: 'member', entityId: ids.member, changes: { phone: { from: '[redacted]', to: '[redacted]' }, occupation: { from: null, to: 'retired' }, gender: { from: 'male', to: 'female' } } },
  'member.freeze': { entityType: 'member', entityId: ids.member, changes: { status: { from: 'active', to: 'frozen' }, reason: '疑似盗刷' } },
  'member.unfreeze': { entityType: 'member', entityId: ids.member, changes: { status: { from: 'frozen', to: 'active' }, reason: null } },
  'member.consent.grant': { entityType: 'member', entityId: ids.member, changes: { channel: 'sms', granted: true, source: 'staff:cashier' } },
  'member.consent.withdraw': { entityType: 'member', entityId: ids.member, changes: { channel: 'email', granted: false, source: 'till' } },
  'member.wechat.bind': { entityType: 'member', entityId: ids.member, changes: null },
  'member.wechat.unbind': { entityType: 'member', entityId: ids.member, changes: null },
  'member.merge': { entityType: 'member', entityId: ids.member, changes: { survivorId: ids.member, mergedId: ids.member2, fieldsFilled: ['email', 'birthday'], moves: { points: 3, receipts: 2 }, reason: '同一人' } },
  'member.merged_into': { entityType: 'member', entityId: ids.member2, changes: { survivorId: ids.member, mergedId: ids.member2, fieldsFilled: [], moves: { points: 3 }, reason: null } },
  'member.reveal': { entityType: 'member', entityId: ids.member, changes: { fields: ['phone', 'name'] } },
  'member.export': { entityType: 'member', entityId: null, changes: { filter: { storeId: ids.store, status: 'active', registeredFrom: at } } },
  'member.import': { entityType: 'member_import', entityId: ids.memberImport, changes: { source: '会员.csv', rowsRead: 100, inserted: 90, updated: 5, skipped: 3, failed: 2 } },
  'member.import_failed': { entityType: 'member_import', entityId: ids.memberImport, changes: { source: '会员.csv', error: '文件不是 CSV' } },
  'member.import_cancelled': { entityType: 'member_import', entityId: ids.memberImport, changes: { source: '会员.csv', rows_read: 100, inserted: 90, updated: 5, skipped: 3, failed: 2 } },
  'member.lookup.limited': { entityType: 'staff_user', entityId: ids.staff, changes: { reason: 'per_minute', limit: 30 } },
  'member.lookup.alert': { entityType: 'pos_key', entityId: ids.key, changes: { misses: 20, threshold: 20 } },
  'product.create': { entityType: 'product', entityId: ids.product, changes: { sku: '10010001', name: '东北大米 5kg', listPrice: 4990, pointsEligible: true, soldByWeight: false } },
  'product.update': { entityType: 'product', entityId: ids.product, changes: { listPrice: { from: 4990, to: 5290 }, memberPrice: { from: null, to: 4790 } } },
  'product.deactivate': { entityType: 'product', entityId: ids.product, changes: { status: { from: 'active', to: 'inactive' } } },
  'product.reactivate': { entityType: 'product', entityId: ids.product, changes: { status: { from: 'inactive', to: 'active' } } },
  'product.import': { entityType: 'product', entityId: null, changes: { source: '商品.csv', update: true, read: 50, inserted: 40, updated: 8, skipped: 1, failed: 1 } },
  'receipt.import': { entityType: 'receipt_import', entityId: ids.receiptImport, changes: { source: '小票.csv', linesRead: 900, receiptsPosted: 300, returnsPosted: 4, receiptsSkipped: 0, membersCreated: 12, failed: 0, rowErrors: 1 } },
  'return.approve': { entityType: 'receipt', entityId: null, changes: { total: { from: null, to: 25_000 } } },
  'return.reject': { entityType: 'return_request', entityId: null, changes: { note: { from: null, to: '包装已拆' } } },
  'till_settings.update': { entityType: 'till_settings', entityId: null, changes: { returnApprovalAbove: { from: 20_000, to: 50_000 }, storeOverridable: { from: [], to: ['scaleLayout'] } } },
  'store_till_settings.update': { entityType: 'store', entityId: 'sto_1', changes: { scaleLayout: { from: 'hq', to: '2PPPPPXMMMMMC' } } },
  'insight_settings.update': { entityType: 'insight_settings', entityId: null, changes: { windowDays: { from: 365, to: 180 }, rfmMethod: { from: 'quintile', to: 'fixed' }, rfmRecencyCuts: { from: null, to: [7, 30, 90, 180] }, rfmMonetaryCuts: { from: null, to: [5000, 10_000, 20_000, 50_000] }, incomeThreshold: { from: null, to: '8k_12k' }, spendThreshold: { from: null, to: 300_000 }, frequencyMethod: { from: 'tercile', to: 'fixed' }, newDays: { from: null, to: 14 } } },
  'receipt.import_failed': { entityType: 'receipt_import', entityId: ids.receiptImport, changes: { source: '小票.csv', error: '缺少门店列' } },
  'receipt.import_cancelled': { entityType: 'receipt_import', entityId: ids.receiptImport, changes: { source: '小票.csv', processed_bytes: 1000, lines_read: 90, receipts_posted: 30, returns_posted: 1, receipts_skipped: 0, members_created: 2, failed: 0 } },
  'loyalty.adjust': { entityType: 'member', entityId: ids.member, changes: { points: -200, reason: '补录', balanceAfter: 800 } },
  'loyalty.rule.create': { entityType: 'loyalty_rule', entityId: ids.rule, changes: { after: { name: '周末双倍', definition: { kind: 'multiplier', factor: 2, weekdays: [6, 7] }, storeIds: [ids.store], validFrom: at, validTo: null } } },
  'loyalty.rule.revise': { entityType: 'loyalty_rule', entityId: ids.rule, changes: { definition: { from: { kind: 'multiplier', factor: 2, weekdays: [6, 7] }, to: { kind: 'multiplier', factor: 3, weekdays: [6, 7] } }, version: { from: 1, to: 2 } } },
  'loyalty.rule.end': { entityType: 'loyalty_rule', entityId: ids.rule, changes: { endsAt: at } },
  'loyalty.tiers.save': { entityType: 'tiers', entityId: null, changes: { before: [{ code: 'silver', name: '银卡', rank: 1, threshold: 100000, earnFactorPct: 100, memberPrices: true }], after: [{ code: 'silver', name: '银卡', rank: 1, threshold: 100000, earnFactorPct: 100, memberPrices: true }, { code: 'gold', name: '金卡', rank: 2, threshold: 500000, earnFactorPct: 150, memberPrices: true }] } },
  'loyalty.policy.update': { entityType: 'loyalty_policy', entityId: null, changes: { maxPointsPaymentPct: { from: 50, to: 30 }, expiry: { from: { mode: 'calendar_years', years: 1 }, to: { mode: 'rolling_months', months: 24 } }, tierBasis: { from: 'spend', to: 'points' } } },
  'coupon.template.create': { entityType: 'coupon_template', entityId: ids.template, changes: { after: { name: '满100减10', kind: 'threshold', value: 1000, minSpend: 10000, stacking: 'none', validDays: 30, scope: { departments: ['粮油'] }, autoIssue: 'registration', restoreOnReturn: true } } },
  'coupon.template.update': { entityType: 'coupon_template', entityId: ids.template, changes: { maxIssued: { from: null, to: 5000 }, stacksWith: { from: [], to: [ids.template] } } },
  'coupon.template.status': { entityType: 'coupon_template', entityId: ids.template, changes: { status: { before: 'active', after: 'paused' } } },
  'coupon.issue': { entityType: 'member', entityId: ids.member, changes: { templateId: ids.template, template: '满100减10', couponId: ids.coupon, note: '投诉补偿' } },
  'coupon.issue.bulk': { entityType: 'coupon_template', entityId: ids.template, changes: { runId: ids.run, issueKey: '9f2c', keys: 500, issued: 480, skipped: 20, failed: 0 } },
  'coupon.void': { entityType: 'member', entityId: ids.member, changes: { couponId: ids.coupon, code: '12345678', reason: '误发', before: 'issued' } },
  'gift.create': { entityType: 'gift', entityId: ids.gift, changes: { after: { id: ids.gift, name: '保温杯', pointsPrice: 2000, cashPrice: 990, stockMode: 'central', pickupDays: 14, status: 'active', createdAt: at, initialStock: [{ location: 'central', quantity: 100 }] } } },
  'gift.update': { entityType: 'gift', entityId: ids.gift, changes: { pointsPrice: { from: 2000, to: 1800 }, status: { from: 'active', to: 'inactive' } } },
  'gift.picture.set': { entityType: 'gift', entityId: ids.gift, changes: { from: null, to: { type: 'image/png', bytes: 2048 } } },
  'gift.picture.remove': { entityType: 'gift', entityId: ids.gift, changes: { from: 'image/webp', to: null } },
  'gift.stock.adjust': { entityType: 'gift', entityId: ids.gift, changes: { location: ids.store, delta: 20, reason: '到货' } },
  'gift.redeem': { entityType: 'gift_order', entityId: ids.order, changes: { orderNo: 'G20261204001', memberId: ids.member, giftId: ids.gift, quantity: 1, points: 2000, location: 'central' } },
  'gift_order.collect': { entityType: 'gift_order', entityId: ids.order, changes: { orderNo: 'G20261204001', memberId: ids.member, quantity: 1, cash: 990 } },
  'gift_order.cancel': { entityType: 'gift_order', entityId: ids.order, changes: { orderNo: 'G20261204001', memberId: ids.member, quantity: 1, points: 2000, reason: '会员不要了' } },
  'gift_order.expire': { entityType: 'gift_order', entityId: ids.order, changes: { orderNo: 'G20261204001', memberId: ids.member, quantity: 1, points: 2000, reason: null } },
  'rebate.create': { entityType: 'rebate_programme', entityId: ids.rebate, changes: { id: ids.rebate, name: '2026 年终返利', periodFrom: '2026-01-01', periodTo: '2026-12-31', basis: 'spend', brackets: [{ min: 100000, rateBp: 100 }], tierRates: null, reward: 'points', couponTemplateId: null, minRebate: 100, status: 'draft', membersRewarded: 0, totalRebate: 0, pointValueFen: 1, createdBy: 'admin', createdAt: at, updatedAt: at, runAt: null, runBy: null } },
  'rebate.update': { entityType: 'rebate_programme', entityId: ids.rebate, changes: { reward: { from: 'points', to: 'coupon' }, couponTemplateId: { from: null, to: ids.template } } },
  'rebate.delete': { entityType: 'rebate_programme', entityId: ids.rebate, changes: { name: '2026 年终返利' } },
  'rebate.run': { entityType: 'rebate_programme', entityId: ids.rebate, changes: { membersRewarded: 120, totalRebate: 360000, reward: 'points', pointValueFen: 1 } },
  'draw.create': { entityType: 'draw', entityId: ids.draw, changes: { after: { name: '春节抽奖', startsAt: at, endsAt: at, entryPoints: 100, freeTiers: ['gold'], freeMinSpend: 20000, perMemberLimit: 3, perDayLimit: 1, noPrizeWeight: 50, prizes: [{ name: '10元券', kind: 'coupon', couponTemplateId: ids.template, stock: 100, weight: 10 }] } } },
  'draw.update': { entityType: 'draw', entityId: ids.draw, changes: { entryPoints: { from: 100, to: 50 }, prizes: { from: [{ name: '10元券' }], to: [{ name: '10元券' }, { name: '50积分' }] } } },
  'draw.activate': { entityType: 'draw', entityId: ids.draw, changes: { status: { from: 'draft', to: 'active' } } },
  'draw.close': { entityType: 'draw', entityId: ids.draw, changes: { status: { from: 'active', to: 'closed' } } },
  'draw.prize.stock': { entityType: 'draw', entityId: ids.draw, changes: { prizeId: ids.prize, stock: { from: 100, to: 120 } } },
  'draw.enter': { entityType: 'member', entityId: ids.member, changes: { drawId: ids.draw, entryId: ids.entry, costPoints: 100, freeReason: null, outcome: 'won', prizeId: ids.prize2, fellBack: true } },
  'job.retry': { entityType: 'job', entityId: null, changes: { job: 'coupons.issueWelcome', attempts: 5, error: '券模板不存在' } },
  'job.discard': { entityType: 'job', entityId: null, changes: { job: 'points.expiring-notice', attempts: 5, error: '券模板不存在' } },
  'segment.create': { entityType: 'segment', entityId: 'seg_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { name: '母婴高价值', segmentRule: '性别是女 且 近90天在品类「母婴」购买至少2次' } },
  'segment.update': { entityType: 'segment', entityId: 'seg_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { name: { from: '母婴', to: '母婴高价值' }, segmentRule: { from: '性别是女', to: '性别是女 且 有标签「沉睡客户」' } } },
  'segment.archive': { entityType: 'segment', entityId: 'seg_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { archived: { from: false, to: true } } },
  'segment.snapshot': { entityType: 'segment', entityId: 'seg_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { members: 1200, asOf: '2026-03-02' } },
  'segment.export': { entityType: 'segment', entityId: 'seg_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { format: 'CSV', asOf: '2026-03-02', snapshot: false } },
  'kpi_target.set': { entityType: 'kpi_target', entityId: ids.kpiTarget, changes: { period: '2026-03', target: { from: 0.3, to: 0.35 } } },
  'kpi_target.delete': { entityType: 'kpi_target', entityId: ids.kpiTarget, changes: { period: '2026-03', target: { from: 0.35, to: null } } },
  'tag.create': { entityType: 'tag', entityId: 'tag_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { name: '母婴人群', tagRule: '近90天在大类「母婴」购买至少2次', members: 1200 } },
  'tag.update': { entityType: 'tag', entityId: 'tag_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { name: { from: '母婴', to: '母婴人群' }, tagRule: { from: '近90天在大类「母婴」购买过', to: '近90天在大类「母婴」购买至少2次' }, added: 3, removed: 40 } },
  'member.tag.add': { entityType: 'member', entityId: ids.member, changes: { tagId: 'tag_01jxq3m5v0aaaaaaaaaaaaaaaa', note: '投诉过生鲜质量' } },
  'member.tag.remove': { entityType: 'member', entityId: ids.member, changes: { tagId: 'tag_01jxq3m5v0aaaaaaaaaaaaaaaa' } },
  'suggestion.create': { entityType: 'suggestion', entityId: 'sug_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { category: 'productsRange', storeId: ids.store, memberId: null } },
  'suggestion.update': { entityType: 'suggestion', entityId: 'sug_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { reply: { from: null, to: '感谢您的建议' }, category: { from: 'other', to: 'prices' } } },
  'suggestion.review': { entityType: 'suggestion', entityId: 'sug_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'received', to: 'under_review' } } },
  'suggestion.adopt': { entityType: 'suggestion', entityId: 'sug_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'under_review', to: 'adopted' }, changeNote: { from: null, to: '周末营业至22点' } } },
  'suggestion.decline': { entityType: 'suggestion', entityId: 'sug_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'received', to: 'declined' }, reply: { from: null, to: '暂不调整' } } },
  'survey.create': { entityType: 'survey', entityId: 'svy_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { title: '顾客满意度调查', questions: 5, triggers: ['after_complaint'] } },
  'survey.update': { entityType: 'survey', entityId: 'svy_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { title: { from: '满意度调查', to: '顾客满意度调查' }, closesAt: { from: null, to: at }, allowAnonymous: { from: true, to: false }, questionsChanged: true } },
  'survey.delete': { entityType: 'survey', entityId: 'svy_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { title: '顾客满意度调查' } },
  'survey.open': { entityType: 'survey', entityId: 'svy_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'draft', to: 'open' } } },
  'survey.close': { entityType: 'survey', entityId: 'svy_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'open', to: 'closed' } } },
  'survey.invite': { entityType: 'survey', entityId: 'svy_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { segmentId: 'seg_01jxq3m5v0aaaaaaaaaaaaaaaa', members: 1200, invited: 1180 } },
  'ticket.create': { entityType: 'ticket', entityId: 'tkt_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { ticketKind: 'complaint', memberId: ids.member, categoryId: 'scg_01jxq3m5v0aaaaaaaaaaaaaaaa', severity: 'high', ticketChannel: 'desk' } },
  'ticket.take': { entityType: 'ticket', entityId: 'tkt_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { assigneeId: ids.staff } },
  'ticket.assign': { entityType: 'ticket', entityId: 'tkt_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { teamId: { from: null, to: 'stm_01jxq3m5v0aaaaaaaaaaaaaaaa' }, assigneeId: { from: null, to: ids.staff }, reason: null } },
  'ticket.reassign': { entityType: 'ticket', entityId: 'tkt_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { teamId: { from: 'stm_01jxq3m5v0aaaaaaaaaaaaaaaa', to: 'stm_01jxq3m5v0bbbbbbbbbbbbbbbb' }, assigneeId: { from: ids.staff, to: null }, reason: '需要采购部门跟进' } },
  'ticket.reply': { entityType: 'ticket', entityId: 'tkt_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { replyChannel: 'phone' } },
  'ticket.resolve': { entityType: 'ticket', entityId: 'tkt_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { outcome: '退款并致歉' } },
  'ticket.reopen': { entityType: 'ticket', entityId: 'tkt_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { reason: '回访不满意', satisfaction: 2 } },
  'ticket.close': { entityType: 'ticket', entityId: 'tkt_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { reason: null, satisfaction: 5 } },
  'ticket.compensate': { entityType: 'ticket', entityId: 'tkt_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { memberId: ids.member, points: null, couponTemplateId: ids.template, faceValue: 1000, couponId: ids.coupon } },
  'ticket.escalate': { entityType: 'ticket', entityId: 'tkt_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { deadline: 'first_response', level: 1, escalatedTo: 'team_lead', userId: ids.staff } },
  'service.team.create': { entityType: 'service_team', entityId: 'stm_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { name: '门店 浦东店', teamKind: 'store', storeId: ids.store, leadUserId: ids.staff } },
  'service.team.update': { entityType: 'service_team', entityId: 'stm_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { name: '浦东店服务组', active: false, workingHours: true } },
  'service.team.add_member': { entityType: 'service_team', entityId: 'stm_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { userId: ids.staff } },
  'service.team.remove_member': { entityType: 'service_team', entityId: 'stm_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { userId: ids.staff } },
  'service.category.create': { entityType: 'service_category', entityId: 'scg_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { name: '过期', parentId: 'scg_01jxq3m5v0bbbbbbbbbbbbbbbb' } },
  'service.category.update': { entityType: 'service_category', entityId: 'scg_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { name: '临期商品', sort: 20, active: true } },
  'service.sla.update': { entityType: 'service_settings', entityId: null, changes: { policies: 3 } },
  'service.sla.delete': { entityType: 'service_settings', entityId: null, changes: { categoryId: 'scg_01jxq3m5v0aaaaaaaaaaaaaaaa', severity: 'high' } },
  'service.settings.update': { entityType: 'service_settings', entityId: null, changes: { fields: ['escalationChain', 'holidays', 'compensationLimits'] } },
  'message_provider.update': { entityType: 'message_provider', entityId: null, changes: { messageChannel: 'sms', providerKind: { from: 'sandbox', to: 'aliyun_sms' }, enabled: true, settingsChanged: 5, secretsChanged: 2 } },
  'message_provider.test': { entityType: 'message_provider', entityId: null, changes: { messageChannel: 'email', providerKind: 'smtp', messageStatus: 'sent' } },
  'message_template.create': { entityType: 'message_template', entityId: 'mtp_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { name: '积分到期提醒', messageChannel: 'sms', purpose: 'marketing' } },
  'message_template.update': { entityType: 'message_template', entityId: 'mtp_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'active', to: 'archived' }, bodyZh: { from: '您好', to: '您好，欢迎光临' } } },
  'marketing.settings.update': { entityType: 'marketing_settings', entityId: null, changes: { smsSignature: { from: '惠民', to: '惠民超市' }, emailTracking: { from: false, to: true } } },
  'campaign.create': { entityType: 'campaign', entityId: 'cmp_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { name: '双十一会员日', channels: ['wechat', 'sms'], holdoutPct: 10 } },
  'campaign.update': { entityType: 'campaign', entityId: 'cmp_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { fields: ['name', 'description', 'segmentId', 'audienceMode', 'snapshotId', 'excludeSegmentIds', 'channels', 'templateIds', 'couponTemplateId', 'scheduleKind', 'sendAt', 'recurrence', 'repeatUntil', 'ratePerMinute', 'holdoutPct', 'attributionDays'] } },
  'campaign.submit': { entityType: 'campaign', entityId: 'cmp_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'draft', to: 'pending_approval' } } },
  'campaign.approve': { entityType: 'campaign', entityId: 'cmp_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'pending_approval', to: 'scheduled' } } },
  'campaign.withdraw': { entityType: 'campaign', entityId: 'cmp_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'pending_approval', to: 'draft' }, reason: '优惠力度太大' } },
  'campaign.pause': { entityType: 'campaign', entityId: 'cmp_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'running', to: 'paused' } } },
  'campaign.resume': { entityType: 'campaign', entityId: 'cmp_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'paused', to: 'running' } } },
  'campaign.cancel': { entityType: 'campaign', entityId: 'cmp_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'paused', to: 'cancelled' }, unsent: 120 } },
  'campaign.test': { entityType: 'campaign', entityId: 'cmp_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { messageChannel: 'wechat', messageStatus: 'delivered' } },
  'campaign.settings.update': { entityType: 'marketing_settings', entityId: null, changes: { capCount: { from: 4, to: 3 }, capDays: { from: 30, to: 14 }, quietStart: { from: '21:00', to: '22:00' }, quietEnd: { from: '08:00', to: '09:00' }, chainHoldoutPct: { from: 0, to: 5 }, approvalRequired: { from: false, to: true }, costs: { from: { sms: 5, email: 0, wechat: 0, push: 0 }, to: { sms: 6, email: 1, wechat: 0, push: 0 } } } },
  'event.create': { entityType: 'member_event', entityId: 'mev_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { title: '春季新品试吃会', kind: 'launch', storeId: ids.store, startsAt: at, endsAt: '2026-12-04T04:00:00.000Z', capacity: 30, segmentId: 'seg_01jxq3m5v0aaaaaaaaaaaaaaaa', campaignId: 'cmp_01jxq3m5v0aaaaaaaaaaaaaaaa' } },
  'event.update': { entityType: 'member_event', entityId: 'mev_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { kind: { from: 'launch', to: 'panel' }, capacity: { from: 30, to: 40 }, storeId: { from: ids.store, to: ids.store2 }, campaignId: { from: null, to: 'cmp_01jxq3m5v0aaaaaaaaaaaaaaaa' } } },
  'event.open': { entityType: 'member_event', entityId: 'mev_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'draft', to: 'open' } } },
  'event.close': { entityType: 'member_event', entityId: 'mev_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'open', to: 'closed' } } },
  'event.cancel': { entityType: 'member_event', entityId: 'mev_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'open', to: 'cancelled' } } },
  'event.register': { entityType: 'member', entityId: ids.member, changes: { eventId: 'mev_01jxq3m5v0aaaaaaaaaaaaaaaa', registrationChannel: 'member_page' } },
  'event.cancel_registration': { entityType: 'member', entityId: ids.member, changes: { eventId: 'mev_01jxq3m5v0aaaaaaaaaaaaaaaa', reason: '临时有事' } },
  'event.check_in': { entityType: 'member', entityId: ids.member, changes: { eventId: 'mev_01jxq3m5v0aaaaaaaaaaaaaaaa' } },
  'journey.create': { entityType: 'journey', entityId: 'jny_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { name: '新会员欢迎', trigger: 'registered', stepCount: 6 } },
  'journey.update': { entityType: 'journey', entityId: 'jny_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { fields: ['name', 'description', 'trigger', 'steps'], journeyVersion: { from: 1, to: 2 } } },
  'journey.activate': { entityType: 'journey', entityId: 'jny_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'draft', to: 'active' }, journeyVersion: 1 } },
  'journey.pause': { entityType: 'journey', entityId: 'jny_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'active', to: 'paused' } } },
  'journey.archive': { entityType: 'journey', entityId: 'jny_01jxq3m5v0aaaaaaaaaaaaaaaa', changes: { status: { from: 'paused', to: 'archived' }, exitedMembers: 12 } },
  'member.personal_data_export': { entityType: 'member', entityId: ids.member, changes: { bytes: 18_432 } },
  'member.erasure_request': { entityType: 'member', entityId: ids.member, changes: { coolingOffDays: 15, dueAt: '2026-12-19T02:00:00.000Z' } },
  'member.erasure_cancel': { entityType: 'member', entityId: ids.member, changes: { dueAt: '2026-12-19T02:00:00.000Z' } },
  'member.erase': { entityType: 'member', entityId: ids.member, changes: { records: 2 } },
  'privacy.settings.update': { entityType: 'privacy_settings', entityId: null, changes: { coolingOffDays: { from: 15, to: 7 }, retentionYears: { from: 0, to: 3 } } },
  'privacy.retention_erase': { entityType: 'privacy_settings', entityId: null, changes: { count: 1_204, skipped: 3, retentionYears: 3, cutoff: '2023-12-04T00:00:00.000Z' } },
  'auth.two_factor_enable': { entityType: 'staff_user', entityId: ids.staff, changes: null },
  'auth.two_factor_disable': { entityType: 'staff_user', entityId: ids.staff, changes: null },
  'staff.two_factor_reset': { entityType: 'staff_user', entityId: ids.staff, changes: null },
  'security.settings.update': { entityType: 'security_settings', entityId: null, changes: { sessionIdleMinutes: { from: 720, to: 30 }, requireTwoFactorForHqAdmins: { from: false, to: true } } },
  'backup.settings.update': { entityType: 'backup_settings', entityId: null, changes: { enabled: { from: true, to: false }, keepDaily: { from: 7, to: 14 } } },
  'demo.seed': { entityType: 'chain', entityId: null, changes: { seed: 1, members: 20000, inserted: 20000, products: 400, sales: 60000, returns: 300 } },
  'demo.receipts': { entityType: 'chain', entityId: null, changes: { seed: 1, sales: 60000, end: '2026-12-03', count: 60000, last: { storeCode: 'SH01', receiptNo: '20261203-0001' } } },
}

let tr: Record<Language, Translators>
beforeAll(async () => {
  const instance = i18next.createInstance()
  await instance.init({ lng: 'zh-CN', resources, ns: Object.keys(resources['zh-CN']), defaultNS: 'common', interpolation: { escapeValue: false } })
  tr = Object.fromEntries(LANGUAGES.map((lng) => [lng, (ns: string) => instance.getFixedT(lng, ns as never) as unknown as ReturnType<Translators>])) as Record<Language, Translators>
})

const words = (lng: Language, action: AuditAction) => describeAudit(tr[lng], { action, ...SAMPLES[action] }, labels, 'Asia/Shanghai')

/** What a person should never have to read: an id, a field's code name, an enumeration's code. */
const RAW = [/[a-z]{3}_[0-9a-z]{10,}/, /\b[a-z]+[A-Z][A-Za-z]*\b/, /\b[a-z]+_[a-z_]+\b/, /\[redacted\]/]

describe('every audited action in words', () => {
  it('has a sample for every action the server records', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...AUDIT_ACTIONS].sort())
  })

  describe.each(LANGUAGES)('in %s', (lng) => {
    it.each(AUDIT_ACTIONS.map((a) => [a]))('%s', (action) => {
      const w = words(lng, action)
      const all = [w.action, w.entity ?? '', ...w.lines].join('\n')
      expect(w.action).not.toBe(action)
      for (const raw of RAW) expect(all, `${lng} ${action}:\n${all}`).not.toMatch(raw)
      // Chinese words in Chinese: no field or value left in lowercase English.
      if (lng === 'zh-CN') expect(all.replace(/会员\.csv|小票\.csv|商品\.csv|\bKB\b/g, ''), all).not.toMatch(/[a-z]{3,}/)
      const recorded = Object.keys(SAMPLES[action].changes ?? {}).filter((k) => !['runId', 'issueKey', 'entryId', 'version', 'id', 'createdAt', 'updatedAt', 'createdBy', 'processed_bytes'].includes(k))
      if (recorded.length > 0) expect(w.lines.length).toBeGreaterThan(0)
    })
  })
})

describe('reads as a person would say it', () => {
  it.each([
    ['draw.enter', 'zh-CN', '参与抽奖', '会员：王**（8801000000000017）', ['抽奖活动: 春节抽奖', '消耗积分: 100', '结果: 中奖', '奖品: 50积分', '原奖品已抽完，改发备选奖品']],
    ['draw.enter', 'en-US', 'Entered a draw', 'Member: 王**（8801000000000017）', ['Draw: 春节抽奖', 'Points spent: 100', 'Result: Won', 'Prize: 50积分', 'Prize ran out, fallback given']],
    ['gift.redeem', 'zh-CN', '积分换购礼品', '换购订单：G20261204001', ['会员: 王**（8801000000000017）', '礼品: 保温杯', '数量: 1', '积分: 2,000', '库存地点: 总仓']],
    ['staff.update', 'zh-CN', '修改员工', '员工：小周（7788）', ['角色: 收银员 → 客服', '门店: SH01 浦东店 → BJ01 朝阳店', '状态: 正常 → 已停用']],
    ['product.update', 'en-US', 'Changed a product', 'Product: 东北大米 5kg', ['Price: ¥49.90 → ¥52.90', 'Member price: None → ¥47.90']],
    ['loyalty.rule.end', 'zh-CN', '结束积分规则', '积分规则：周末双倍', ['结束时间: 2026-12-04 10:00']],
    ['chain.rename', 'zh-CN', '修改连锁名称', '连锁', ['名称: 好邻居 → 好邻居超市']],
    ['campaign.create', 'zh-CN', '新建营销活动', '营销活动：双十一会员日', ['名称: 双十一会员日', '渠道（按优先顺序）: 微信、短信', '对照组比例（%）: 10']],
    ['campaign.update', 'zh-CN', '修改营销活动', '营销活动：双十一会员日', ['修改的内容: 名称、说明、客群、受众方式、客群快照、排除的客群、渠道（按优先顺序）、消息模板、优惠券模板、发送方式、发送时间、重复周期、重复截止、每分钟发送条数、对照组比例（%）、效果统计天数']],
    ['journey.create', 'zh-CN', '新建自动旅程', '自动旅程：新会员欢迎', ['名称: 新会员欢迎', '触发条件: 注册成为会员', '步骤数: 6']],
    ['journey.update', 'zh-CN', '修改自动旅程', '自动旅程：新会员欢迎', ['修改的内容: 名称、说明、触发条件、步骤', '旅程版本: 1 → 2']],
    ['journey.archive', 'en-US', 'Archived a journey', 'Journey: 新会员欢迎', ['Status: Paused → Archived', 'Members taken out of the journey: 12']],
    ['campaign.withdraw', 'zh-CN', '营销活动退回草稿', '营销活动：双十一会员日', ['状态: 待审批 → 草稿', '原因: 优惠力度太大']],
    ['campaign.settings.update', 'zh-CN', '修改营销活动设置', '营销设置', ['每位会员最多收到（条）: 4 → 3', '频次周期（天）: 30 → 14', '免打扰开始: 21:00 → 22:00', '免打扰结束: 08:00 → 09:00', '全局对照组（%）: 0 → 5', '须经审批: 否 → 是', '每条消息成本: 短信 ¥0.05，邮件 ¥0.00，微信 ¥0.00，App 推送 ¥0.00 → 短信 ¥0.06，邮件 ¥0.01，微信 ¥0.00，App 推送 ¥0.00']],
    ['event.create', 'zh-CN', '新建会员活动', '会员活动：春季新品试吃会', ['标题: 春季新品试吃会', '类型: 新品发布', '门店: SH01 浦东店', '开始时间: 2026-12-04 10:00', '结束时间: 2026-12-04 12:00', '名额: 30', '客群: 女性会员', '邀请所用的营销活动: 双十一会员日']],
    ['event.register', 'zh-CN', '会员活动报名', '会员：王**（8801000000000017）', ['会员活动: 春季新品试吃会', '报名渠道: 会员页面']],
    ['member.erasure_request', 'zh-CN', '申请删除个人信息', '会员：王**（8801000000000017）', ['冷静期（天）: 15', '执行时间: 2026-12-19 10:00']],
    ['privacy.retention_erase', 'zh-CN', '批量申请删除长期未活跃会员', '个人信息设置', ['数量: 1,204', '跳过: 3', '长期未活跃年限（年）: 3', '未活跃起算时间: 2023-12-04 08:00']],
    ['privacy.retention_erase', 'en-US', 'Asked to erase the long-inactive members', 'Personal-data settings', ['Count: 1,204', 'Skipped: 3', 'Inactive for (years): 3', 'Inactive since: 2023-12-04 08:00']],
    ['event.check_in', 'en-US', 'Checked in at an event', 'Member: 王**（8801000000000017）', ['Event: 春季新品试吃会']],
  ] as const)('%s in %s', (action, lng, actionText, entity, lines) => {
    const w = words(lng, action)
    expect(w).toEqual({ action: actionText, entity, lines })
  })

  it('names an id it has no label for as deleted, never the id', () => {
    const w = describeAudit(tr['zh-CN'], { action: 'coupon.issue', entityType: 'member', entityId: 'mem_01jxq3m5v0zzzzzzzzzzzzzzzz', changes: { couponId: 'cpn_01jxq3m5v0zzzzzzzzzzzzzzzz' } }, {}, 'Asia/Shanghai')
    expect(w.entity).toBe('会员：（已删除）')
    expect(w.lines).toEqual(['优惠券: （已删除）'])
  })
})
