import {
  QueryClient, useInfiniteQuery, useMutation, useQuery, useQueryClient,
  type InfiniteData, type QueryKey, type UseQueryOptions,
} from '@tanstack/react-query'
import type { ClientPathsWithMethod, MaybeOptionalInit } from 'openapi-fetch'
import { useCallback, useMemo } from 'react'
import { api, call } from './client.js'
import type { paths } from './schema.js'

type Method = 'post' | 'put' | 'patch' | 'delete'
type PathsWithMethod<M extends Method | 'get'> = ClientPathsWithMethod<typeof api, M>
type Operation<P, M extends Method | 'get'> = P extends keyof paths ? (M extends keyof paths[P] ? paths[P][M] : never) : never
type Json<R> = R extends { content: { 'application/json': infer T } } ? T : R extends { content?: never } | { content: never } ? undefined : never
type Success<O> = O extends { responses: infer R } ? Json<R[(200 | 201 | 202 | 204) & keyof R]> : never

export type GetPath = PathsWithMethod<'get'>
/** A GET's parameters (path and query), as openapi-fetch takes them. */
export type GetInit<P extends GetPath> = MaybeOptionalInit<paths[P], 'get'>
/** What a GET answers with on success. */
export type GetData<P extends GetPath> = Success<Operation<P, 'get'>>
/** What a change sends (parameters and body) and what it answers with. */
export type MutationInit<M extends Method, P extends PathsWithMethod<M>> = MaybeOptionalInit<paths[P], M>
export type MutationData<M extends Method, P extends PathsWithMethod<M>> = Success<Operation<P, M>>

/**
 * A read's cache key: its path, then its parameters. Invalidating `[path]` reaches every read of
 * that path; `[path, { path: { id } }]` only the reads of one record (keys match by prefix).
 */
export const apiKey = <P extends GetPath>(path: P, init?: GetInit<P>): QueryKey =>
  (init && 'params' in init && init.params ? [path, init.params] : [path])

/** Reference data (stores, tiers, regions…) changes rarely and only through the console. */
export const REFERENCE_STALE_MS = 5 * 60_000

/**
 * The console's cache. A failed read shows at once (no retries: the page offers its own
 * retry); a read is not repeated when the window regains focus, only when it mounts again.
 */
export const createQueryClient = () => new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
    mutations: { retry: false },
  },
})

export const queryClient = createQueryClient()

/** Requests sent as POST that change nothing (a search, a preview, a quote, a segment's live count). */
const READS_BY_POST = /\/(lookup|name-search|reveal|merge-preview|quote|earn-test|segments\/count|segments\/preview|templates\/preview|tags\/test)$/

/** Whether a request that succeeded changed data (and so what the console shows may be out of date). */
export const isChange = (method: string, url: string): boolean =>
  method !== 'GET' && method !== 'HEAD' && !READS_BY_POST.test(new URL(url, 'http://console').pathname)

// Any change that succeeds (through the hooks below or a plain `call`: the till, the imports,
// a modal's save) reloads the reads on screen and drops the others, so no page shows data older
// than a change made from this console. useApiMutation's `invalidates` names the reads whose
// reload its onSuccess waits for; a read with `meta: KEEP_ON_CHANGE` is left as it is (a list
// filtered by status whose rows, once acted on, stay in view with their new state).
api.use({
  onResponse({ request, response }) {
    if (response.ok && isChange(request.method, request.url)) refreshAfterChange(queryClient)
    return undefined

  },
})

export const refreshAfterChange = (client: QueryClient) => {
  client.removeQueries({ type: 'inactive' })
  void client.invalidateQueries({ type: 'active', predicate: (query) => query.meta?.refreshOnChange !== false })
}

/** For a read that a change on its page must not reload (see above): it is reloaded by hand. */
export const KEEP_ON_CHANGE = { refreshOnChange: false }

type ReadOptions<P extends GetPath> = Omit<UseQueryOptions<GetData<P>, Error, GetData<P>, QueryKey>, 'queryKey' | 'queryFn'>

/**
 * A typed GET through the cache: `data` (undefined while loading), `error` (an ApiError, shown
 * with <ErrorResult> as errors.<CODE>) and `refetch` for a retry button.
 */
export const useApiQuery = <P extends GetPath>(path: P, init?: GetInit<P>, options?: ReadOptions<P>) =>
  useQuery<GetData<P>, Error, GetData<P>, QueryKey>({
    queryKey: apiKey(path, init),
    queryFn: ({ signal }) => call(api.GET(path as never, { ...(init as object), signal } as never)) as Promise<GetData<P>>,
    ...options,
  })

/**
 * Sets a read's cached data: a change's answer shown at once, before the reload the change
 * starts has come back (e.g. a saved row replaced in its list).
 */
export const useSetApiData = <P extends GetPath>(path: P, init?: GetInit<P>) => {
  const client = useQueryClient()
  const key = JSON.stringify(apiKey(path, init))
  return useCallback(
    (update: (previous: GetData<P> | undefined) => GetData<P> | undefined) => client.setQueryData<GetData<P>>(JSON.parse(key) as QueryKey, update),
    [client, key],
  )
}

type Invalidates<D, V> = QueryKey[] | ((data: D, variables: V) => QueryKey[])


/**
 * A typed change (POST, PUT, PATCH, DELETE): `mutateAsync(init)` sends it with its parameters
 * and body and answers with the data or throws the ApiError. On success the reads named in
 * `invalidates` have loaded again before `onSuccess` runs.
 */
export const useApiMutation = <M extends Method, P extends PathsWithMethod<M>>(
  method: M,
  path: P,
  options: {
    invalidates?: Invalidates<MutationData<M, P>, MutationInit<M, P>>
    onSuccess?: (data: MutationData<M, P>, variables: MutationInit<M, P>) => unknown
  } = {},
) => {
  const client = useQueryClient()
  const send = api[method.toUpperCase() as Uppercase<M>] as unknown as (path: string, init: unknown) => Promise<{ data?: MutationData<M, P>; error?: unknown; response: Response }>
  return useMutation<MutationData<M, P>, Error, MutationInit<M, P>>({
    mutationFn: (init) => call(send(path, init)),
    onSuccess: async (data, variables) => {
      const keys = typeof options.invalidates === 'function' ? options.invalidates(data, variables) : options.invalidates ?? []
      // The reload the change started is awaited, not started again.
      await Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey }, { cancelRefetch: false })))
      await options.onSuccess?.(data, variables)
    },
  })
}

interface CursorPage { items: unknown[]; nextCursor: string | null }
type PagedPath = { [P in GetPath]: GetData<P> extends CursorPage ? P : never }[GetPath]
type Item<P extends PagedPath> = GetData<P> extends { items: (infer T)[] } ? T : never

/**
 * A list the API pages by cursor, shown a page at a time with "load more": the items so far
 * (null while the first page loads), the error, `more` and `load` (a retry from the start).
 */
export const useApiPages = <P extends PagedPath>(path: P, init?: GetInit<P>, options: { enabled?: boolean; meta?: typeof KEEP_ON_CHANGE } = {}) => {
  const query = useInfiniteQuery<GetData<P>, Error, InfiniteData<GetData<P>, string | undefined>, QueryKey, string | undefined>({
    queryKey: [...apiKey(path, init), 'pages'],
    queryFn: ({ pageParam, signal }) => {
      const params = ((init as { params?: { query?: object } } | undefined)?.params ?? {}) as { query?: object }
      const query = { ...params.query, ...(pageParam ? { cursor: pageParam } : {}) }
      return call(api.GET(path as never, { ...(init as object), params: { ...params, query }, signal } as never)) as Promise<GetData<P>>
    },
    initialPageParam: undefined,
    getNextPageParam: (last) => (last as CursorPage).nextCursor ?? undefined,
    enabled: options.enabled,
    meta: options.meta,

  })
  const items = useMemo(() => (query.data ? query.data.pages.flatMap((p) => (p as CursorPage).items as Item<P>[]) : null), [query.data])
  const { fetchNextPage, refetch } = query
  const more = useCallback(() => void fetchNextPage(), [fetchNextPage])
  const load = useCallback(() => void refetch(), [refetch])
  return {
    items,
    /** The pages as the API sent them, for what comes with each page besides its items. */
    pages: query.data?.pages ?? null,

    nextCursor: query.hasNextPage ? 'more' : null,
    loadingMore: query.isFetchingNextPage,
    error: query.error,
    more,
    load,
  }
}
