import type { Logger } from 'pino'

// Only cache invalidation travels here. What must happen (welcome coupons, expiry notices, tier
// changes, merges' follow-ups) is a durable event of the outbox (src/modules/outbox), published in
// the transaction that records it.
export interface DomainEvents {
  /** A store's code, region or status changed (caches of stores and POS keys drop it). */
  'store.changed': { storeId: string; at: string }
  /** Products changed (prices, classes, eligibility, status): caches of the catalogue drop them. */
  'catalog.changed': { at: string }
}

export type EventName = keyof DomainEvents
type Handler<K extends EventName> = (payload: DomainEvents[K]) => void | Promise<void>

/**
 * In-process bus for cache invalidation (a store or the catalogue changed): a lost event costs
 * a stale cache entry until it expires, never a missed effect.
 * Handlers run after the emitting transaction committed; a failing handler is logged
 * and never undoes or fails the use case that emitted.
 */
export class EventBus {
  // One list per event name: on() and emit() keep each handler's payload typed.
  private handlers = new Map<EventName, Handler<never>[]>()
  private pending = new Set<Promise<void>>()
  constructor(private readonly log?: Pick<Logger, 'error'>) {}

  on<K extends EventName>(name: K, handler: Handler<K>): () => void {
    const list = this.handlers.get(name) ?? []
    list.push(handler)
    this.handlers.set(name, list)
    return () => {
      this.handlers.set(name, (this.handlers.get(name) ?? []).filter((h) => h !== handler))
    }
  }

  emit<K extends EventName>(name: K, payload: DomainEvents[K]): void {
    for (const handler of (this.handlers.get(name) ?? []) as Handler<K>[]) {
      const run = (async () => {
        try {
          await handler(payload)
        } catch (err) {
          this.log?.error({ err, event: name }, 'event handler failed')
        }
      })()
      this.pending.add(run)
      void run.finally(() => this.pending.delete(run))
    }
  }

  /** Resolves when every handler started so far has finished (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending])
  }
}
