import type { ComponentType, ReactNode } from 'react'
import type { ChosenFile } from './FileStep.js'

export type ImportStatus = 'running' | 'completed' | 'failed' | 'cancelled'

/** What every kind's run record says (the API's import objects share these). */
export interface ImportRunBase {
  id: string
  status: ImportStatus
  sourceName: string
  totalBytes: number
  processedBytes: number
  /** What the kind refused (rows, receipts, …). */
  failed: number
  errorCode: string | null
  errorMessage: string | null
  createdAt: string
}

export interface ImportProblem {
  line: number
  column: string
  value: string
  reason: string
}

/** A number the run shows, with its label. */
export interface ImportCount {
  key: string
  title: string
  value: number
  color?: string
}

/** What step 2 (the kind's mapping and options) is given. */
export interface MappingStepProps<I, D> {
  chosen: ChosenFile
  draft: D | null
  onDraft: (d: D) => void
  onBack: () => void
  onStarted: (imp: I) => void
}

/**
 * A kind of import as the wizard shows it: its words (already translated), its API calls, its
 * counts and its mapping step. Members and receipts today; a later kind supplies the same.
 */
export interface ImportKindView<I extends ImportRunBase, D = unknown> {
  title: string
  subtitle: string
  steps: { file: string; mapping: string; run: string }
  /** Prefix of the test ids of its parts (`import`, `receipt-import`). */
  testId: string
  /** Test ids of its error table and its recent list. */
  errorsTestId: string
  recentTestId: string
  get: (id: string) => Promise<I>
  cancel: (id: string) => Promise<I>
  list: () => Promise<I[]>
  /** A page of the problems (a kind that answers them all at once gives no cursor). */
  errors: (id: string, cursor?: string) => Promise<{ items: ImportProblem[]; nextCursor: string | null }>
  errorsCsvUrl: (id: string, lang: string) => string
  hasErrors: (imp: I) => boolean
  counts: (imp: I) => ImportCount[]
  /** The words of a finished run: result title and summary. */
  words: {
    cancelConfirm: string
    completed: string
    completedWithErrors: (imp: I) => string
    failed: string
    cancelled: string
    summary: (imp: I) => string
    errors: string
    errorsHint: string
    noErrors: string
    download: string
    /** The label of what a run refused (rows, receipts). */
    refused: string
  }
  /** The counts the recent list shows between its status and its link. */
  recentColumns: Array<{ key: string; title: string; render: (imp: I) => ReactNode }>
  translateReason: (reason: string) => string
  MappingStep: ComponentType<MappingStepProps<I, D>>
}
