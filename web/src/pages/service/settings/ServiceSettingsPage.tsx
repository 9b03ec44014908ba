import { Card, Skeleton, Tabs } from 'antd'
import { useTranslation } from 'react-i18next'
import { useApiQuery } from '../../../api/query.js'
import { ErrorResult } from '../../../components/ErrorResult.js'
import { CategoriesTab } from './CategoriesTab.js'
import { DeskTab, HolidaysTab, LimitsTab } from './DeskTabs.js'
import { SlaTab } from './SlaTab.js'
import { TeamsTab } from './TeamsTab.js'

/** 服务设置: teams, the category tree, SLA policies, escalation and follow-up, compensation limits, holidays. */
export const ServiceSettingsPage = () => {
  const { t } = useTranslation('service', { keyPrefix: 'tickets' })
  const { data: settings, error, refetch } = useApiQuery('/api/v1/service/settings')
  const needsSettings = (children: (s: NonNullable<typeof settings>) => React.ReactNode) =>
    error ? <ErrorResult error={error} onRetry={() => void refetch()} /> : settings ? children(settings) : <Skeleton active />
  return (
    <Card title={t('settings.title')} data-testid="service-settings">
      <Tabs
        items={[
          { key: 'teams', label: <span data-testid="settings-tab-teams">{t('settings.tabs.teams')}</span>, children: <TeamsTab /> },
          { key: 'categories', label: <span data-testid="settings-tab-categories">{t('settings.tabs.categories')}</span>, children: <CategoriesTab /> },
          { key: 'sla', label: <span data-testid="settings-tab-sla">{t('settings.tabs.sla')}</span>, children: <SlaTab /> },
          // Keyed by the settings' time, so a save elsewhere shows in a form opened afterwards.
          { key: 'desk', label: <span data-testid="settings-tab-desk">{t('settings.tabs.desk')}</span>, children: needsSettings((s) => <DeskTab key={s.updatedAt ?? ''} settings={s} />) },
          { key: 'limits', label: <span data-testid="settings-tab-limits">{t('settings.tabs.limits')}</span>, children: needsSettings((s) => <LimitsTab key={s.updatedAt ?? ''} settings={s} />) },
          { key: 'holidays', label: <span data-testid="settings-tab-holidays">{t('settings.tabs.holidays')}</span>, children: needsSettings((s) => <HolidaysTab key={s.updatedAt ?? ''} settings={s} />) },
        ]}
      />
    </Card>
  )
}

export default ServiceSettingsPage
