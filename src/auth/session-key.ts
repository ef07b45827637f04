import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The key that encrypts page session cookies: generated once into a 0600 file in the data
 * folder, so sessions survive a restart; deleting the file signs everyone out.
 */
export function loadOrCreateSessionKey(file: string): Buffer {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // 'wx': two services starting at once must not each write a different key.
    try {
      writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const key = readFileSync(file);
  if (key.length !== 32) throw new Error(`${file} must hold a 32-byte session key; delete it to make a new one`);
  return key;
}
