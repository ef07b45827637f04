/**
 * Storage faults: the disk or the file, not the request, is at fault. They are told apart from
 * programming errors so the HTTP layer answers what happened (507 full, 503 unavailable) instead of
 * a bare 500, and so start-up can name the file and the cause.
 */

export type StorageFaultKind = 'full' | 'unavailable';

export interface StorageFault {
  readonly kind: StorageFaultKind;
  /** The error code as the driver or the OS gave it (SQLITE_FULL, SQLITE_IOERR_WRITE, ENOSPC …). */
  readonly code: string;
}

/** SQLite's and the OS's codes for "the disk is full" versus "the file cannot be read or written". */
const FULL_CODES = ['SQLITE_FULL', 'ENOSPC', 'EDQUOT'];
const UNAVAILABLE_CODES = ['SQLITE_BUSY', 'SQLITE_IOERR', 'SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'STORED_EVENT_CORRUPT', 'ESDB_UNAVAILABLE', 'ESDB_ACCESS_DENIED', 'EIO', 'EROFS', 'EACCES', 'EPERM'];
/** Faults that do not pass: the file itself is damaged, so every later read would meet them too. */
const DAMAGE_CODES = ['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'STORED_EVENT_CORRUPT'];

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** Extended codes (SQLITE_IOERR_WRITE, SQLITE_CORRUPT_INDEX) belong to their primary code. */
function matches(code: string, family: readonly string[]): boolean {
  return family.some((primary) => code === primary || code.startsWith(`${primary}_`));
}

/** The storage fault an error is, or undefined when it is something else (a bug, a rule). */
export function storageFaultOf(error: unknown): StorageFault | undefined {
  const code = codeOf(error);
  if (code === undefined) return undefined;
  if (matches(code, FULL_CODES)) return { kind: 'full', code };
  if (matches(code, UNAVAILABLE_CODES)) return { kind: 'unavailable', code };
  return undefined;
}

/** True when the fault is damage to the file (not a full disk or a passing I/O error): /health must report it. */
export function isDamage(fault: StorageFault): boolean {
  return matches(fault.code, DAMAGE_CODES);
}

/** Why a file could not be opened, in words an operator acts on, ending with the code. */
export function describeOpenFailure(error: unknown): string {
  const code = codeOf(error) ?? 'unknown';
  const reasons: Record<string, string> = {
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'it is a folder, not a file',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    SQLITE_READONLY: 'read-only file',
    SQLITE_CANTOPEN: 'SQLite cannot open the file',
    SQLITE_NOTADB: 'the file is not an SQLite database',
    SQLITE_CORRUPT: 'the database file is corrupt',
    SQLITE_FULL: 'the disk is full',
  };
  const primary = Object.keys(reasons).find((known) => code === known || code.startsWith(`${known}_`));
  const message = error instanceof Error ? error.message : String(error);
  return `${primary ? reasons[primary] : message} (${code})`;
}

/** Thrown when the store cannot be opened; its message names the path and the cause. */
export class StorageOpenError extends Error {
  override readonly name = 'StorageOpenError';
  constructor(
    readonly path: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
