import type { Channel, MessagePurpose } from '../channels/channels.table.js'

export type TemplateStatus = 'active' | 'archived'

export interface MessageTemplatesTable {
  id: string
  name: string
  channel: Channel
  purpose: MessagePurpose
  subject_zh: string | null
  subject_en: string | null
  body_zh: string
  body_en: string | null
  /** the provider's own template (Alibaba's TemplateCode, WeChat's template_id), when it needs one */
  provider_template_code: string | null
  status: TemplateStatus
  version: number
  created_by: string | null
  created_at: string
  updated_by: string | null
  updated_at: string
}

export interface MarketingSettingsTable {
  key: string
  value: string
  updated_by: string | null
  updated_at: string
}

export interface TemplatesTables {
  message_templates: MessageTemplatesTable
  marketing_settings: MarketingSettingsTable
}
