import type zh from '../../zh-CN/marketing/templates.js'
import type { Translation } from '../../../types.js'

export default {
  title: 'Message templates',
  create: 'New template',
  edit: 'Edit template',
  empty: 'No templates yet',
  columns: { name: 'Name', channel: 'Channel', purpose: 'Purpose', variables: 'Variables', status: 'Status', updatedAt: 'Updated', actions: 'Actions' },
  purposeHelp: 'Marketing goes only to members who consented on the channel, within caps and quiet hours; an SMS ends "Reply T to unsubscribe", an email carries an unsubscribe link. Service notices (a gift is ready, a complaint was answered) are not bound by these.',
  statuses: { active: 'In use', archived: 'Archived' },
  archive: 'Archive',
  restore: 'Use again',
  all: 'All channels',
  form: {
    name: 'Name', channel: 'Channel', purpose: 'Purpose', subjectZh: 'Subject (Chinese)', subjectEn: 'Subject (English)', bodyZh: 'Text (Chinese)', bodyEn: 'Text (English, optional)',
    bodyEnHelp: 'Without it, members who read English get the Chinese text',
    providerTemplateCode: "Provider's template code", providerTemplateCodeHelp: "Alibaba Cloud SMS's TemplateCode, WeChat's template_id; the sandbox needs none",
    insert: 'Insert a variable',
  },
  variables: {
    memberName: 'Member name', cardNo: 'Card no.', pointsBalance: 'Points balance', expiringPoints: 'Points expiring', expiringDate: 'Expiry date', tier: 'Tier',
    couponName: 'Coupon name', couponValue: 'Coupon value', couponCode: 'Coupon code', couponValidUntil: 'Coupon valid until', storeName: 'Home store', recommendation: 'Recommended product',
  },
  preview: {
    title: 'Preview',
    member: 'Preview with a member', memberPlaceholder: 'Card no. or phone', find: 'Find', clear: 'Clear',
    lang: 'Language', coupon: 'With a coupon', couponPlaceholder: 'A coupon template (optional)',
    none: 'Write the text to see what the member gets',
    length: '{{length}} characters · {{segments}} SMS',
    lengthHelp: 'SMS are billed by length: every character of the signature and the text (Chinese, letters, digits, punctuation, spaces) counts one; up to 70 is one message, longer ones go in parts of 67.',
    missing: 'This member has no value for: {{names}} (sent empty)',
    samples: 'Sample values: {{names}} (the coupon code is drawn at issue)',
    masked: 'The name is masked as staff see it (same length); the member gets it whole.',
  },
  settings: {
    title: 'Sending settings', signature: 'SMS signature', signatureHelp: '2–12 characters without 【】 (the provider adds them); every SMS starts with it', save: 'Save', saved: 'Saved',
    emailTracking: 'Email tracking',
    emailTrackingHelp: 'When on, marketing emails to members also go as a web page: their links pass through Patron on the way, to count clicks, and a 1×1 transparent picture loads when the email is opened, to count opens. Opens are approximate: some mail clients block pictures and some load them in advance.',
  },
  saved: 'Saved',
} as const satisfies Translation<typeof zh>
