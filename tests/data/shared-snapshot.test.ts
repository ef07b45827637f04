import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { hasProjectShared, PROJECT_SHARED, SHARED_SNAPSHOT } from '../helpers/shared.js';

function filesBelow(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

t.test('the tests’ snapshot of ../shared equals the project’s shared folder, file by file', async (t) => {
  if (!hasProjectShared()) {
    t.comment(`snapshot check skipped: no ${PROJECT_SHARED} beside this clone; the tests use the snapshot in ${SHARED_SNAPSHOT}`);
    t.test('snapshot against ../shared', { skip: `no ${PROJECT_SHARED} beside this clone` }, async () => {});
    return;
  }
  const files = filesBelow(SHARED_SNAPSHOT);
  t.ok(files.length >= 7, 'fixtures, the XSD and the camt.053 samples');
  for (const file of files) {
    const name = relative(SHARED_SNAPSHOT, file);
    t.ok(readFileSync(file).equals(readFileSync(join(PROJECT_SHARED, name))), `${name} is unchanged`);
  }
});
