import type { AuditLabels } from '../audit/index.js'

/**
 * How the audit log names rewards' things: coupon templates, coupons (template and code), bulk
 * issues (their file), gifts, gift orders (order number), rebate programmes, draws and prizes.
 */
export const rewardsAuditLabels: AuditLabels = {
  byPrefix: {
    ctp: (db, ids) => db.selectFrom('coupon_templates').select(['id', 'name as label']).where('id', 'in', ids).execute(),
    cpn: (db, ids) => db.selectFrom('coupons').innerJoin('coupon_templates as t', 't.id', 'coupons.template_id')
      .select(['coupons.id as id', 'coupons.code', 't.name']).where('coupons.id', 'in', ids).execute()
      .then((rows) => rows.map((r) => ({ id: r.id, label: `${r.name} ${r.code}` }))),
    cis: (db, ids) => db.selectFrom('coupon_issues').select(['id', 'source_name as label']).where('id', 'in', ids).execute(),
    gft: (db, ids) => db.selectFrom('gifts').select(['id', 'name as label']).where('id', 'in', ids).execute(),
    gor: (db, ids) => db.selectFrom('gift_orders').select(['id', 'order_no as label']).where('id', 'in', ids).execute(),
    rbp: (db, ids) => db.selectFrom('rebate_programmes').select(['id', 'name as label']).where('id', 'in', ids).execute(),
    drw: (db, ids) => db.selectFrom('draws').select(['id', 'name as label']).where('id', 'in', ids).execute(),
    dpz: (db, ids) => db.selectFrom('draw_prizes').select(['id', 'name as label']).where('id', 'in', ids).execute(),
  },
}
