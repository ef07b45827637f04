import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS package loaded at its first use instead of when the service starts: the XML and QR
 * libraries that only exports and documents need cost a start about 0.2 s of CPU together, and
 * a start's first reads need none of them. Synchronous, so callers stay as they were.
 */
export function loadedOnFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
