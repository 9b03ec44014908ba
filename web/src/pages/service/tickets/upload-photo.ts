import { ApiError, type FieldError, type Schemas } from '../../../api/client.js'

type ErrorBody = { error?: { code?: string; message?: string; details?: FieldError[] } } | null

/** Sends a ticket's photo (multipart: openapi-fetch cannot); failures become the same ApiError as any other call. */
export const uploadTicketPhoto = async (ticketId: string, file: File): Promise<Schemas['TicketPhoto']> => {
  const form = new FormData()
  form.append('file', file, file.name)
  const response = await fetch(`/api/v1/tickets/${encodeURIComponent(ticketId)}/photos`, { method: 'POST', body: form, credentials: 'same-origin' })
    .catch((err: unknown) => Promise.reject(new ApiError(0, 'NETWORK', (err as Error).message)))
  const body = (await response.json().catch(() => null)) as Schemas['TicketPhoto'] | ErrorBody
  if (response.ok) return body as Schemas['TicketPhoto']
  const error = (body as ErrorBody)?.error
  if (response.status === 401) window.dispatchEvent(new Event('patron:signed-out'))
  throw new ApiError(response.status, error?.code ?? (response.status >= 500 ? 'INTERNAL' : 'unknown'), error?.message ?? response.statusText, error?.details ?? [])
}

export const photoUrl = (ticketId: string, photoId: string) => `/api/v1/tickets/${encodeURIComponent(ticketId)}/photos/${encodeURIComponent(photoId)}`
