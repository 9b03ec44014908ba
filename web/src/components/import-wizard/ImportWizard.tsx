import { Steps, Typography } from 'antd'
import { useCallback, useState } from 'react'
import { useSearchParams } from 'react-router'
import { FileStep, type ChosenFile } from './FileStep.js'
import { ImportRun } from './ImportRun.js'
import { RecentImports } from './RecentImports.js'
import type { ImportKindView, ImportRunBase } from './types.js'

/**
 * An import page of any kind: choose a file, map its columns (the kind's step), upload and
 * follow the run, and the recent runs below. The run being followed is in the URL (?id=), so a
 * reload or a link from the recent list shows it again.
 */
export const ImportWizard = <I extends ImportRunBase, D>({ kind }: { kind: ImportKindView<I, D> }) => {
  const [params, setParams] = useSearchParams()
  const importId = params.get('id')
  const [step, setStep] = useState<0 | 1>(0)
  const [chosen, setChosen] = useState<ChosenFile | null>(null)
  const [draft, setDraft] = useState<D | null>(null)
  const [reloadKey, setReloadKey] = useState(0)
  const [live, setLive] = useState<I | null>(null)
  // The parts below read the kind; only step 2 knows its draft's shape.
  const shown = kind as unknown as ImportKindView<I, never>

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
  const { MappingStep } = kind

  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{kind.title}</Typography.Title>
      <Typography.Paragraph type="secondary">{kind.subtitle}</Typography.Paragraph>
      <Steps
        style={{ marginBottom: 16 }}
        current={importId ? 2 : step}
        items={[{ title: kind.steps.file }, { title: kind.steps.mapping }, { title: kind.steps.run }]}
      />
      {importId ? (
        <ImportRun key={importId} kind={shown} id={importId} onAnother={another} onProgress={setLive} onFinished={refreshRecent} />
      ) : step === 0 || !chosen ? (
        <FileStep chosen={chosen} onChosen={choose} onNext={() => setStep(1)} />
      ) : (
        <MappingStep
          chosen={chosen} draft={draft} onDraft={setDraft} onBack={() => setStep(0)}
          onStarted={(imp) => {
            view(imp.id)
            refreshRecent()
          }}
        />
      )}
      <RecentImports kind={shown} reloadKey={reloadKey} live={importId && live?.id === importId ? live : null} onView={view} />
    </>
  )
}
