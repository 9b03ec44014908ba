import { useCallback, useEffect, useState } from 'react'

export interface CursorPage<T> {
  items: T[]
  nextCursor: string | null
}

/**
 * A list the API pages by cursor, shown a page at a time with "load more": `fetchPage` reads one
 * page (the first without a cursor). It loads again when `fetchPage` or `version` changes.
 */
export const useCursorPages = <T>(fetchPage: (cursor?: string) => Promise<CursorPage<T>>, version = 0) => {
  const [items, setItems] = useState<T[] | null>(null)
  const [nextCursor, setNextCursor] = useState<string | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const load = useCallback(() => {
    setError(null)
    setItems(null)
    fetchPage().then((p) => { setItems(p.items); setNextCursor(p.nextCursor) }, setError)
  }, [fetchPage])
  useEffect(load, [load, version])

  const more = () => {
    if (!nextCursor) return
    setLoadingMore(true)
    fetchPage(nextCursor)
      .then((p) => { setItems((e) => [...(e ?? []), ...p.items]); setNextCursor(p.nextCursor) }, setError)
      .finally(() => setLoadingMore(false))
  }

  return { items, nextCursor, loadingMore, error, load, more }
}
