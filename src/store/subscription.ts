import type { EventEmitter } from 'node:events';
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

/** How often a subscription looks for events written by another process (the CLI, another node). */
export const POLL_INTERVAL_MS = 250;

/**
 * Resolves on the adapter's next `appended` (this process wrote), on `closed`, on abort, or after
 * `pollMs`: events another process appended raise no event here, so the loop also polls.
 */
export function waitForAppendOrPoll(appended: EventEmitter, signal: AbortSignal, pollMs: number = POLL_INTERVAL_MS): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      appended.off('appended', done);
      appended.off('closed', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, pollMs);
    appended.on('appended', done);
    appended.on('closed', done);
    signal.addEventListener('abort', done);
  });
}
