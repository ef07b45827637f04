/**
 * Which errors are storage faults: the HTTP layer answers 507 for "full" and 503 for
 * "unavailable", and anything else stays what it was (a rule's refusal, or a logged 500 for a bug).
 * The codes are the ones better-sqlite3 and Node put on `error.code`.
 */
import t from 'tap';
import { describeOpenFailure, storageFaultOf } from '../../src/store/faults.js';

const withCode = (code: string): Error => Object.assign(new Error(code), { code });

t.test('a full disk, from SQLite or from the OS, is a "full" fault', async (t) => {
  for (const code of ['SQLITE_FULL', 'ENOSPC', 'EDQUOT']) t.same(storageFaultOf(withCode(code)), { kind: 'full', code }, code);
});

t.test('I/O errors, corruption, a lock held too long and read-only files, extended codes included, are "unavailable"', async (t) => {
  // SQLITE_BUSY: another process held the write lock past busy_timeout; nothing was written, a retry may pass.
  for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'STORED_EVENT_CORRUPT', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_INDEX', 'SQLITE_NOTADB', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_CANTOPEN', 'EIO', 'EROFS']) {
    t.same(storageFaultOf(withCode(code)), { kind: 'unavailable', code }, code);
  }
});

t.test('other errors are not storage faults: a constraint, a code-less bug, a fastify code', async (t) => {
  for (const error of [withCode('SQLITE_CONSTRAINT_UNIQUE'), new TypeError('x is undefined'), withCode('FST_ERR_CTP_INVALID_MEDIA_TYPE'), 'a string', null]) {
    t.equal(storageFaultOf(error), undefined, String(error));
  }
  t.equal(storageFaultOf(withCode('SQLITE_FULLY_FAKE')), undefined, 'a code that only starts like one is not it');
});

t.test('an open failure is described in words, ending with its code', async (t) => {
  t.equal(describeOpenFailure(withCode('SQLITE_READONLY')), 'read-only file (SQLITE_READONLY)');
  t.equal(describeOpenFailure(withCode('EACCES')), 'permission denied (EACCES)');
  t.equal(describeOpenFailure(withCode('SQLITE_IOERR_READ')), 'SQLITE_IOERR_READ (SQLITE_IOERR_READ)', 'an unlisted code keeps the driver message');
});
