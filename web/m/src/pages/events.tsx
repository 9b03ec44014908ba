import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, call } from '../api.js'
import { formatDateTime, useI18n, type WordKey } from '../i18n.js'
import { Button, Empty, Loaded, Note, Page, Section, toast } from '../ui.js'

/** Member events: invitations and open events, register and cancel. */
export const EventsPage = () => {
  const { t, errorText } = useI18n()
  const queryClient = useQueryClient()
  const events = useQuery({ queryKey: ['events'], queryFn: () => call(api.GET('/api/v1/me/events')) })
  const done = (text: string) => () => { toast(text); void queryClient.invalidateQueries({ queryKey: ['events'] }) }
  const register = useMutation({ mutationFn: (eventId: string) => call(api.POST('/api/v1/me/events/{eventId}/registration', { params: { path: { eventId } } })), onSuccess: done(t('eventRegistered')) })
  const cancel = useMutation({ mutationFn: (eventId: string) => call(api.DELETE('/api/v1/me/events/{eventId}/registration', { params: { path: { eventId } } })), onSuccess: done(t('eventCancelled')) })
  const error = register.error ?? cancel.error
  return (
    <Page title={t('events')} back="/" testId="events-page">
      {error && <Note kind="error">{errorText(error)}</Note>}
      <Loaded query={events}>
        {(list) => list.length === 0 ? <Empty>{t('noEvents')}</Empty> : (
          <>
            {list.map((e) => (
              <Section key={e.id} testId="event" title={e.title}
                extra={e.registration?.status === 'registered' ? <span className="tag tag-green">{t('eventYouAreIn')}</span> : e.invited ? <span className="tag tag-gold">{t('eventInvited')}</span> : null}>
                <p className="small">{formatDateTime(e.startsAt)} – {formatDateTime(e.endsAt)}{e.storeName ? ` · ${e.storeName}` : ''}</p>
                {e.description && <p className="small muted">{e.description}</p>}
                <p className="small">{e.status === 'open' ? t('seatsLeft', { n: e.seatsLeft, of: e.capacity }) : t(`eventStatus_${e.status}` as WordKey)}</p>
                {e.canRegister && <Button kind="primary" block loading={register.isPending && register.variables === e.id} onClick={() => register.mutate(e.id)} data-testid="event-register">{t('eventRegister')}</Button>}
                {e.canCancel && <Button block loading={cancel.isPending && cancel.variables === e.id} onClick={() => cancel.mutate(e.id)} data-testid="event-cancel">{t('eventCancel')}</Button>}
              </Section>
            ))}
          </>
        )}
      </Loaded>
    </Page>
  )
}
