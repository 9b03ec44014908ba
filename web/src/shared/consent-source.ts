import type { TFunction } from 'i18next'
import { CHANNELS, type Channel } from './member-options.js'

/** Sources as the server writes them: registration:<channel>, staff:<role>, till, import; others as they are. */
export const consentSource = (t: TFunction<'members'>, tc: TFunction, source: string): string => {
  const [kind, rest] = source.split(':', 2)
  if (kind === 'registration' && rest && (CHANNELS as string[]).includes(rest)) return t('consents.sources.registration', { channel: t(`channels.${rest as Channel}`) })
  if (kind === 'staff' && rest) return t('consents.sources.staff', { role: tc(`roles.${rest}` as never, { defaultValue: rest }) as string })
  if (source === 'till' || source === 'import' || source === 'member_page') return t(`consents.sources.${source}`)
  return source
}
