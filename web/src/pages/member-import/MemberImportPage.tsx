import { Steps, Typography } from 'antd'
import { useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import type { MemberImport } from './api.js'
import { FileStep, type ChosenFile } from './FileStep.js'
import { ImportRun } from './ImportRun.js'
import { MappingStep, type Draft } from './MappingStep.js'
import { RecentImports } from './RecentImports.js'

/**
 * Member import: choose a CSV, map its columns, upload and follow the run. The import being
 * followed is in the URL (?id=), so a reload or a link from the recent list shows it again.
 */
export const MemberImportPage = () => {
  const { t } = useTranslation('imports', { keyPrefix: 'members' })
  const [params, setParams] = useSearchParams()
  const importId = params.get('id')
  const [step, setStep] = useState<0 | 1>(0)
  const [chosen, setChosen] = useState<ChosenFile | null>(null)
  const [draft, setDraft] = useState<Draft | null>(null)
  const [reloadKey, setReloadKey] = useState(0)
  const [live, setLive] = useState<MemberImport | null>(null)

  const choose = useCallback((c: ChosenFile | null) => {
    setChosen(c)
    setDraft(null)
  }, [])
  const view = useCallback((id: string) => {
    setParams({ id })
    window.scrollTo({ top: 0, behavior: 'smooth' })
  }, [setParams])
  const another = () => {
    setParams({})
    choose(null)
    setStep(0)
  }
  const refreshRecent = useCallback(() => setReloadKey((k) => k + 1), [])

  const current = importId ? 2 : step
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('subtitle')}</Typography.Paragraph>
      <Steps
        style={{ marginBottom: 16 }}
        current={current}
        items={[{ title: t('steps.file') }, { title: t('steps.mapping') }, { title: t('steps.run') }]}
      />
      {importId ? (
        <ImportRun key={importId} id={importId} onAnother={another} onProgress={setLive} onFinished={refreshRecent} />
      ) : step === 0 || !chosen ? (
        <FileStep chosen={chosen} onChosen={choose} onNext={() => setStep(1)} />
      ) : (
        <MappingStep
          chosen={chosen}
          draft={draft}
          onDraft={setDraft}
          onBack={() => setStep(0)}
          onStarted={(imp) => {
            view(imp.id)
            refreshRecent()
          }}
        />
      )}
      <RecentImports reloadKey={reloadKey} live={importId && live?.id === importId ? live : null} onView={view} />
    </>
  )
}

export default MemberImportPage
