/**
 * Makes two redemptions of one sign-in link really race: every append of a SignInLinkRedeemed
 * waits until both instances have finished reading the link's stream, so each saw the link
 * unused before either writes. Both instances use the one client it returns (they share the
 * node anyway); make a new one for each race. Without it, the fake client answers so quickly that one
 * redemption could finish before the other reads, and the test would prove nothing.
 */
import type { EsdbClient } from '../../src/store/eventstoredb.js';
import { LINK_REDEEMED, LINK_STREAM_PREFIX } from '../../src/auth/esdb-tokens.js';

export function redeemRaceGate(client: EsdbClient, readers = 2): EsdbClient {
  let reads = 0;
  let release: () => void = () => {};
  const allRead = new Promise<void>((resolve) => (release = resolve));
  return {
    readStream: ((name: string, options?: object) => {
      const read = client.readStream(name, options as never);
      if (name.startsWith(LINK_STREAM_PREFIX)) {
        read.once('end', () => {
          reads += 1;
          if (reads >= readers) release();
        });
      }
      return read;
    }) as EsdbClient['readStream'],
    appendToStream: (async (name: string, events: unknown, options?: object) => {
      const batch = Array.isArray(events) ? events : [events];
      if (name.startsWith(LINK_STREAM_PREFIX) && batch.some((event: { type: string }) => event.type === LINK_REDEEMED)) await allRead;
      return client.appendToStream(name, events as never, options as never);
    }) as EsdbClient['appendToStream'],
    readAll: client.readAll.bind(client) as EsdbClient['readAll'],
    dispose: () => client.dispose(),
  };
}
