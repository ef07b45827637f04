/**
 * Where the tests find the agreements' figures and the public standards. `tests/data/shared` is
 * a snapshot of the project's `../shared` folder (fixtures, the XAF 3.2 XSD, camt.053 samples),
 * so `npm test` works in a clone anywhere, not only beside `../shared`. When `../shared` is there,
 * tests/data/shared-snapshot.test.ts checks the snapshot still equals it byte for byte.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SHARED_SNAPSHOT = resolve(REPO_ROOT, 'tests/data/shared');
export const SHARED_FIXTURES = resolve(SHARED_SNAPSHOT, 'fixtures');
export const XAF_XSD = resolve(SHARED_SNAPSHOT, 'standards/XmlAuditfileFinancieel3.2.xsd');
export const CAMT053_SAMPLES = resolve(SHARED_SNAPSHOT, 'standards/camt053');

/** The project's own shared folder beside the checkout, when this clone has one. */
export const PROJECT_SHARED = resolve(REPO_ROOT, '../shared');
export const hasProjectShared = (): boolean => existsSync(PROJECT_SHARED);
