/**
 * Which build of the bundles this code is: tools/build-dist.mjs gives every bundle it writes in one
 * run the same id (esbuild's `define` of __LEDGER_BUILD_ID__); code run from the modules (tsc's
 * dist, tsx) has none. The replay's main thread and its worker load two bundles, read from disk
 * one after the other: a build between the two reads could pair a main thread with a worker of
 * another build, whose split of the event types between the threads (replay-split.ts) may differ,
 * leaving a type checked by neither. The worker compares the ids and refuses another build's.
 */
declare const __LEDGER_BUILD_ID__: string | undefined;

export const BUILD_ID: string | undefined = typeof __LEDGER_BUILD_ID__ === 'string' ? __LEDGER_BUILD_ID__ : undefined;

/** The worker's verdict on a main thread of another build: nothing checked, so the replay is refused. */
export const OTHER_BUILD = "the replay's worker is from another build than its main thread (dist/ was rebuilt as the replay started): nothing was checked; run the replay again";
