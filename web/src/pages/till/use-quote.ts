import { useCallback, useEffect, useRef, useState } from 'react'
import { api, call } from '../../api/client.js'
import type { Quote, QuoteBody } from './types.js'

export interface QuoteRequest {
  /** quoteKey(): what the quote answers for */
  key: string
  body: QuoteBody
  /** the basket lines, in the order of body.lines */
  lineIds: string[]
}

export interface QuoteState {
  quote: Quote | null
  /** the basket lines the quote priced, in the order of its lines */
  lineIds: string[]
  /** the request the quote (or the error) answers */
  key: string | null
  error: unknown
  loading: boolean
}

const EMPTY: QuoteState = { quote: null, lineIds: [], key: null, error: null, loading: false }

/**
 * The quote of the basket, fetched a moment after the basket stops changing. The last quote
 * stays on screen (marked stale) while the next one loads. `get` gives the quote of a request
 * at once, from the answer already in hand or on its way when it is for the same basket.
 */
export const useQuote = (request: QuoteRequest | null, delayMs = 250) => {
  const [state, setState] = useState<QuoteState>(EMPTY)
  const latest = useRef<{ key: string; promise: Promise<Quote> } | null>(null)

  const get = useCallback((req: QuoteRequest, force = false): Promise<Quote> => {
    if (!force && latest.current?.key === req.key) return latest.current.promise
    const promise = call(api.POST('/api/v1/pos/quote', { body: req.body }))
    const mine = { key: req.key, promise }
    latest.current = mine
    setState((s) => ({ ...s, loading: true }))
    promise.then(
      (quote) => {
        if (latest.current === mine) setState({ quote, lineIds: req.lineIds, key: req.key, error: null, loading: false })
      },
      (error: unknown) => {
        if (latest.current !== mine) return
        latest.current = null
        setState((s) => ({ ...s, key: req.key, error, loading: false }))
      },
    )
    return promise
  }, [])

  const key = request?.key ?? null
  const requestRef = useRef(request)
  // Declared first, so the effect below sees the request of this render.
  useEffect(() => {
    requestRef.current = request
  })
  useEffect(() => {
    const req = requestRef.current
    if (!req) {
      latest.current = null
      setState(EMPTY)
      return
    }
    const timer = setTimeout(() => void get(req).catch(() => undefined), delayMs)
    return () => clearTimeout(timer)
  }, [key, delayMs, get])

  const refresh = useCallback(() => {
    if (requestRef.current) void get(requestRef.current, true).catch(() => undefined)
  }, [get])

  return {
    ...state,
    /** the quote on screen is for another basket than the one now */
    stale: state.key !== key,
    /** the error is about the basket now */
    error: state.key === key ? state.error : null,
    get,
    refresh,
  }
}
