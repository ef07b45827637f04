import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

/** The ledger, its WAL and SHM, the tokens and the anchors are for the service's user alone. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_FOLDER_MODE = 0o700;

/** Told when a mode was tightened, so the operator sees it in the log. */
export type ModeNotice = (details: { path: string; from: string; to: string }, message: string) => void;

const octal = (mode: number): string => `0${(mode & 0o777).toString(8)}`;

/**
 * Takes group and other permissions away from an existing file or folder. A sticky folder (/tmp)
 * is shared by design and left alone. Returns whether the mode changed.
 */
export function tightenMode(path: string, mode: number, notice: ModeNotice): boolean {
  if (!existsSync(path)) return false;
  const current = statSync(path).mode;
  if ((current & 0o1000) !== 0 || (current & 0o777 & ~mode) === 0) return false;
  chmodSync(path, mode);
  notice({ path, from: octal(current), to: octal(mode) }, `tightened the mode of ${path} from ${octal(current)} to ${octal(mode)}`);
  return true;
}

/**
 * Creates a missing folder (and its parents) 0700. An existing one is tightened only when it is
 * the service's own (DATA_DIR): SQLITE_PATH may point into a folder others share.
 */
export function ensurePrivateFolder(path: string, notice: ModeNotice, options: { tightenExisting: boolean }): void {
  if (!existsSync(path)) {
    mkdirSync(path, { recursive: true, mode: PRIVATE_FOLDER_MODE });
    // mkdir applies the umask; chmod makes the mode exact.
    chmodSync(path, PRIVATE_FOLDER_MODE);
    return;
  }
  if (options.tightenExisting) tightenMode(path, PRIVATE_FOLDER_MODE, notice);
}

/** Creates a missing file empty and 0600, before anyone else (SQLite: 0644) can create it wider. */
export function ensurePrivateFile(path: string, notice: ModeNotice): void {
  const existed = existsSync(path);
  // Opening for append creates nothing that exists and changes no byte, but fails the way a
  // writer would (EISDIR, ENOTDIR, EACCES, EROFS), before SQLite hides the cause.
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  if (existed) tightenMode(path, PRIVATE_FILE_MODE, notice);
  else chmodSync(path, PRIVATE_FILE_MODE);
}

export const ignoreNotice: ModeNotice = () => {};
