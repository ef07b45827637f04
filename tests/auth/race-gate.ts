/**
 * Makes two instances really race on one stream: once armed, every gated append waits until
 * `readers` reads of the stream have finished, so each instance saw the same state before either
 * writes. Without it, the fake client answers so quickly that one instance could finish before the
 * other reads, and a "race" test would prove nothing. Both instances use `client` (they share the
 * node anyway); make a new gate for each race.
 */
import type { EventData } from '@eventstore/db-client';
import type { EsdbClient } from '../../src/store/eventstoredb.js';
import { LINK_REDEEMED, LINK_STREAM_PREFIX } from '../../src/auth/esdb-tokens.js';

export class RaceGate {
  readonly client: EsdbClient;
  private armed: { reads: number; readers: number; release: () => void; allRead: Promise<void> } | undefined;

  constructor(
    inner: EsdbClient,
    private readonly isRaced: (stream: string, batch?: readonly EventData[]) => boolean,
  ) {
    this.client = {
      readStream: ((name: string, options?: object) => {
        const read = inner.readStream(name, options as never);
        const armed = this.armed;
        if (armed && this.isRaced(name)) {
          // 'close', not 'end': a read of a stream that does not exist yet ends in an error, and counts too.
          read.once('close', () => {
            armed.reads += 1;
            if (armed.reads >= armed.readers) armed.release();
          });
        }
        return read;
      }) as EsdbClient['readStream'],
      appendToStream: (async (name: string, events: EventData | EventData[], options?: object) => {
        if (this.armed && this.isRaced(name, Array.isArray(events) ? events : [events])) await this.armed.allRead;
        return inner.appendToStream(name, events, options as never);
      }) as EsdbClient['appendToStream'],
      readAll: inner.readAll.bind(inner) as EsdbClient['readAll'],
      dispose: () => inner.dispose(),
    };
  }

  /** From now on, gated appends wait for `readers` reads of the raced stream. */
  arm(readers = 2): this {
    let release: () => void = () => {};
    const allRead = new Promise<void>((resolve) => (release = resolve));
    this.armed = { reads: 0, readers, release, allRead };
    return this;
  }
}

/** Two redemptions of one sign-in link: neither appends its SignInLinkRedeemed before both read the link. */
export function redeemRaceGate(client: EsdbClient): EsdbClient {
  const isRedeem = (stream: string, batch?: readonly EventData[]) =>
    stream.startsWith(LINK_STREAM_PREFIX) && (batch === undefined || batch.some((event) => event.type === LINK_REDEEMED));
  return new RaceGate(client, isRedeem).arm().client;
}
