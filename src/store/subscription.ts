import type { RecordedEvent, Subscription, SubscriptionHandler } from './port.js';

export interface CatchUpLoop {
  readonly after: string | undefined;
  readonly handler: SubscriptionHandler;
  /** The next events strictly after `after`, in order; empty when caught up. */
  readPage(after: string | undefined): Promise<readonly RecordedEvent[]>;
  /** Resolves when new events may exist (or the signal aborts). */
  waitForMore(signal: AbortSignal): Promise<void>;
  onError?(error: unknown): void;
}

/**
 * A catch-up subscription as a single loop: read pages until caught up, wait, repeat. One loop
 * means one delivery at a time, in log order, with no gap between "catch up" and "live".
 */
function defaultOnError(error: unknown): void {
  console.error('subscription stopped:', error);
}

export function runCatchUpSubscription(loop: CatchUpLoop): Subscription {
  const controller = new AbortController();
  let position = loop.after;
  const running = (async () => {
    while (!controller.signal.aborted) {
      try {
        const page = await loop.readPage(position);
        for (const event of page) {
          if (controller.signal.aborted) return;
          await loop.handler(event);
          position = event.position;
        }
        if (page.length === 0) await loop.waitForMore(controller.signal);
      } catch (error) {
        // A failing handler or read ends the subscription: delivering later events past a failed
        // one would break the in-order guarantee.
        if (!controller.signal.aborted) (loop.onError ?? defaultOnError)(error);
        return;
      }
    }
  })();
  return {
    async close() {
      controller.abort();
      await running;
    },
  };
}
