/**
 * Every action the code records in the audit log, and the kinds of thing they name. The console
 * puts each into words (web/src/pages/audit/audit-words.ts); audit-actions.test.ts reads the
 * source for the actions recorded, so a new one fails there until it is listed (and worded).
 */
export const AUDIT_ACTIONS = [
  'auth.login', 'auth.login_failed', 'auth.logout', 'auth.password_change', 'auth.two_factor_enable', 'auth.two_factor_disable', 'staff.two_factor_reset', 'security.settings.update',
  'chain.rename', 'region.create', 'store.create', 'store.update', 'store.close', 'store.reopen',
  'staff.create', 'staff.update', 'staff.password_reset', 'pos_key.create', 'pos_key.revoke',
  'member.register', 'member.update', 'member.freeze', 'member.unfreeze', 'member.consent.grant', 'member.consent.withdraw', 'member.wechat.bind', 'member.wechat.unbind',
  'member.merge', 'member.merged_into', 'member.reveal', 'member.export', 'member.import', 'member.import_failed', 'member.import_cancelled',
  'member.lookup.limited', 'member.lookup.alert',
  'product.create', 'product.update', 'product.deactivate', 'product.reactivate', 'product.import',
  'receipt.import', 'receipt.import_failed', 'receipt.import_cancelled', 'return.approve', 'return.reject', 'till_settings.update', 'store_till_settings.update',
  'loyalty.adjust', 'loyalty.rule.create', 'loyalty.rule.revise', 'loyalty.rule.end', 'loyalty.tiers.save', 'loyalty.policy.update',
  'coupon.template.create', 'coupon.template.update', 'coupon.template.status', 'coupon.issue', 'coupon.issue.bulk', 'coupon.void',
  'gift.create', 'gift.update', 'gift.picture.set', 'gift.picture.remove', 'gift.stock.adjust',
  'gift.redeem', 'gift_order.collect', 'gift_order.cancel', 'gift_order.expire',
  'rebate.create', 'rebate.update', 'rebate.delete', 'rebate.run',
  'draw.create', 'draw.update', 'draw.activate', 'draw.close', 'draw.prize.stock', 'draw.enter',
  'job.retry', 'job.discard',
  'kpi_target.set', 'kpi_target.delete',
  'segment.create', 'segment.update', 'segment.archive', 'segment.snapshot', 'segment.export',
  'tag.create', 'tag.update', 'member.tag.add', 'member.tag.remove',
  'insight_settings.update',
  'suggestion.create', 'suggestion.update', 'suggestion.review', 'suggestion.adopt', 'suggestion.decline',
  'survey.create', 'survey.update', 'survey.delete', 'survey.open', 'survey.close', 'survey.invite',
  'ticket.create', 'ticket.take', 'ticket.assign', 'ticket.reassign', 'ticket.reply', 'ticket.resolve', 'ticket.reopen', 'ticket.close', 'ticket.compensate', 'ticket.escalate',
  'service.team.create', 'service.team.update', 'service.team.add_member', 'service.team.remove_member', 'service.category.create', 'service.category.update',
  'service.sla.update', 'service.sla.delete', 'service.settings.update',
  'message_provider.update', 'message_provider.test', 'message_template.create', 'message_template.update', 'marketing.settings.update',
  'campaign.create', 'campaign.update', 'campaign.submit', 'campaign.approve', 'campaign.withdraw', 'campaign.pause', 'campaign.resume', 'campaign.cancel', 'campaign.test',
  'campaign.settings.update',
  'event.create', 'event.update', 'event.open', 'event.close', 'event.cancel', 'event.register', 'event.cancel_registration', 'event.check_in',
  'journey.create', 'journey.update', 'journey.activate', 'journey.pause', 'journey.archive',
  'member.personal_data_export', 'member.erasure_request', 'member.erasure_cancel', 'member.erase', 'privacy.settings.update', 'privacy.retention_erase', 'backup.settings.update',
  'demo.seed', 'demo.receipts',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export const AUDIT_ENTITY_TYPES = [
  'chain', 'region', 'store', 'staff_user', 'pos_api_key', 'pos_key', 'member', 'member_import', 'product', 'receipt', 'receipt_import', 'return_request', 'till_settings',
  'loyalty_rule', 'tiers', 'loyalty_policy', 'coupon_template', 'gift', 'gift_order', 'rebate_programme', 'draw', 'job', 'segment', 'tag', 'kpi_target', 'insight_settings',
  'suggestion', 'survey', 'ticket', 'service_team', 'service_category', 'service_settings', 'message_provider', 'message_template', 'marketing_settings', 'campaign',
  'member_event', 'journey', 'privacy_settings', 'backup_settings', 'security_settings',
] as const
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number]
