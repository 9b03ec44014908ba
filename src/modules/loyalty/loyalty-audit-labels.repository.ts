import type { AuditLabels } from '../audit/index.js'

/** How the audit log names tiers (`tier:<code>`, named by code in rules, coupons and draws) and earning rules (by rule key). */
export const loyaltyAuditLabels: AuditLabels = {
  other: async (db, entries) => {
    const labels: Record<string, string> = {}
    // Tiers are few: all of them, whenever an entry has changes that may name one.
    if (entries.some((e) => e.changes !== null)) {
      for (const r of await db.selectFrom('tiers').select(['code', 'name']).execute()) labels[`tier:${r.code}`] = r.name
    }
    const ruleKeys = [...new Set(entries.flatMap((e) => (e.entityType === 'loyalty_rule' && e.entityId ? [e.entityId] : [])))]
    if (ruleKeys.length) {
      const rows = await db.selectFrom('loyalty_rules').select(['rule_key', 'name', 'version']).where('rule_key', 'in', ruleKeys).orderBy('version').execute()
      // Named by their latest version.
      for (const r of rows) labels[r.rule_key] = r.name
    }
    return labels
  },
}
