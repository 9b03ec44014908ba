import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, ApiError, call, type Schemas } from '../api.js'
import { formatDateTime, useI18n, type WordKey } from '../i18n.js'
import { Button, Empty, Field, Loaded, Note, Page, Section, toast } from '../ui.js'

type Feedback = Schemas['MyFeedback']
const SUGGESTION_CATEGORIES = ['productsRange', 'service', 'environment', 'prices', 'membership', 'other'] as const
const MAX_PHOTOS = 3

/**
 * A photo made small enough to send from a cheap phone over mobile data: at most 1,600 px on its
 * long side, as JPEG (the server takes 2 MB each, by content).
 */
const shrink = (file: File): Promise<string> => new Promise((resolve, reject) => {
  const url = URL.createObjectURL(file)
  const img = new Image()
  img.onload = () => {
    const scale = Math.min(1, 1600 / Math.max(img.width, img.height))
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(img.width * scale)
    canvas.height = Math.round(img.height * scale)
    canvas.getContext('2d')!.drawImage(img, 0, 0, canvas.width, canvas.height)
    URL.revokeObjectURL(url)
    resolve(canvas.toDataURL('image/jpeg', 0.85))
  }
  img.onerror = () => { URL.revokeObjectURL(url); reject(new Error('not an image')) }
  img.src = url
})

const FeedbackForm = ({ kind, onDone }: { kind: 'complaint' | 'suggestion'; onDone: () => void }) => {
  const { t, lang, errorText } = useI18n()
  const queryClient = useQueryClient()
  const options = useQuery({ queryKey: ['feedback-options'], queryFn: () => call(api.GET('/api/v1/me/feedback/options')), staleTime: 600_000 })
  const [text, setText] = useState('')
  const [storeCode, setStoreCode] = useState('')
  const [categoryId, setCategoryId] = useState('')
  const [category, setCategory] = useState<(typeof SUGGESTION_CATEGORIES)[number]>('other')
  const [photos, setPhotos] = useState<string[]>([])
  const [photoError, setPhotoError] = useState<string | null>(null)
  const send = useMutation({
    mutationFn: () => kind === 'complaint'
      ? call(api.POST('/api/v1/me/complaints', { body: { categoryId, text: text.trim(), storeCode: storeCode || null, photos: photos.map((data) => ({ data })) } }))
      : call(api.POST('/api/v1/me/suggestions', { body: { text: text.trim(), storeCode: storeCode || null, category } })),
    onSuccess: (saved) => {
      toast(t(kind === 'complaint' ? 'complaintFiled' : 'suggestionSent', { no: saved.number }))
      void queryClient.invalidateQueries({ queryKey: ['feedback'] })
      onDone()
    },
  })
  const fieldError = (field: string) => (send.error instanceof ApiError ? send.error.details.find((d) => d.field === field || d.field.startsWith(`${field}/`) || d.field.startsWith(`${field}[`))?.reason ?? null : null)
  const addPhotos = async (files: FileList | null) => {
    setPhotoError(null)
    const picked = [...(files ?? [])].slice(0, MAX_PHOTOS - photos.length)
    try {
      const shrunk = await Promise.all(picked.map(shrink))
      setPhotos((p) => [...p, ...shrunk].slice(0, MAX_PHOTOS))
    } catch {
      setPhotoError(t('photoNotImage'))
    }
  }
  const categories = options.data?.complaintCategories ?? []
  const parentName = (id: string | null) => categories.find((c) => c.id === id)
  return (
    <form className="form" onSubmit={(e) => { e.preventDefault(); send.mutate() }} data-testid={`${kind}-form`}>
      {kind === 'complaint' ? (
        <Field label={t('complaintCategory')} error={fieldError('categoryId')}>
          <select value={categoryId} onChange={(e) => setCategoryId(e.target.value)} data-testid="complaint-category">
            <option value="">{t('pick')}</option>
            {categories.filter((c) => !categories.some((x) => x.parentId === c.id)).map((c) => {
              const parent = parentName(c.parentId)
              const name = (x: { name: string; nameEn: string | null }) => (lang === 'en-US' ? x.nameEn ?? x.name : x.name)
              return <option key={c.id} value={c.id}>{parent ? `${name(parent)} / ${name(c)}` : name(c)}</option>
            })}
          </select>
        </Field>
      ) : (
        <Field label={t('suggestionCategory')}>
          <select value={category} onChange={(e) => setCategory(e.target.value as typeof category)} data-testid="suggestion-category">
            {SUGGESTION_CATEGORIES.map((c) => <option key={c} value={c}>{t(`suggestion_${c}` as WordKey)}</option>)}
          </select>
        </Field>
      )}
      <Field label={t('aboutStore')} error={fieldError('storeCode')}>
        <select value={storeCode} onChange={(e) => setStoreCode(e.target.value)} data-testid="feedback-store">
          <option value="">{t('myStore')}</option>
          {(options.data?.stores ?? []).map((s) => <option key={s.code} value={s.code}>{s.name}</option>)}
        </select>
      </Field>
      <Field label={t(kind === 'complaint' ? 'complaintText' : 'suggestionText')} hint={`${text.length} / 2000`} error={fieldError('text')}>
        <textarea rows={5} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} data-testid="feedback-text" />
      </Field>
      {kind === 'complaint' && (
        <Field label={t('photosOptional', { n: MAX_PHOTOS })} error={photoError ?? fieldError('photos')}>
          <div className="thumbs">{photos.map((p, i) => <img key={i} src={p} alt="" onClick={() => setPhotos(photos.filter((_, j) => j !== i))} />)}</div>
          {photos.length < MAX_PHOTOS && <input type="file" accept="image/jpeg,image/png,image/webp" multiple onChange={(e) => void addPhotos(e.target.files)} data-testid="complaint-photos" />}
        </Field>
      )}
      {send.error && <Note kind="error">{errorText(send.error)}</Note>}
      <Button kind="primary" block type="submit" loading={send.isPending} disabled={text.trim().length < 2 || (kind === 'complaint' && !categoryId)} data-testid="feedback-submit">{t('send')}</Button>
      <Button block kind="link" onClick={onDone}>{t('cancel')}</Button>
    </form>
  )
}

const FeedbackItem = ({ f }: { f: Feedback }) => {
  const { t } = useI18n()
  return (
    <Section testId="feedback-item" title={<>{t(f.kind === 'complaint' ? 'complaint' : 'suggestion')} {f.number}</>} extra={<span className={`tag${['resolved', 'closed', 'adopted'].includes(f.status) ? ' tag-green' : ''}`}>{t(`fbStatus_${f.status}` as WordKey)}</span>}>
      <p className="small muted">{formatDateTime(f.createdAt)}{f.storeName ? ` · ${f.storeName}` : ''}{f.categoryName ? ` · ${f.categoryName}` : ''}</p>
      <p>{f.text}</p>
      {f.photos.length > 0 && <div className="thumbs">{f.photos.map((p) => <img key={p.id} src={`/api/v1/me/complaints/${f.id}/photos/${p.id}`} alt="" loading="lazy" />)}</div>}
      {f.replies.map((r, i) => <div key={i} className="reply"><div className="small muted">{t('replyFrom', { at: formatDateTime(r.at) })}</div>{r.body}</div>)}
    </Section>
  )
}

/** Feedback: file a complaint (with photos) or a suggestion, and follow each one's status and replies. */
export const FeedbackPage = () => {
  const { t } = useI18n()
  const [form, setForm] = useState<'complaint' | 'suggestion' | null>(null)
  const feedback = useInfiniteQuery({
    queryKey: ['feedback'],
    queryFn: ({ pageParam }) => call(api.GET('/api/v1/me/feedback', { params: { query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  return (
    <Page title={t('feedback')} back="/" testId="feedback-page">
      {form ? <FeedbackForm kind={form} onDone={() => setForm(null)} /> : (
        <>
          <div className="inline">
            <Button kind="primary" block onClick={() => setForm('complaint')} data-testid="new-complaint">{t('newComplaint')}</Button>
            <Button block onClick={() => setForm('suggestion')} data-testid="new-suggestion">{t('newSuggestion')}</Button>
          </div>
          <Loaded query={feedback}>
            {(data) => {
              const list = data.pages.flatMap((p) => p.items)
              if (list.length === 0) return <Empty>{t('noFeedback')}</Empty>
              return (
                <>
                  {list.map((f) => <FeedbackItem key={`${f.kind}-${f.id}`} f={f} />)}
                  {feedback.hasNextPage && <Button block loading={feedback.isFetchingNextPage} onClick={() => void feedback.fetchNextPage()}>{t('more')}</Button>}
                </>
              )
            }}
          </Loaded>
        </>
      )}
    </Page>
  )
}
