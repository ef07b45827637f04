/**
 * What share of a CPU profile's busy samples ran under functions whose name matches a pattern,
 * for every .cpuprofile in a folder (as `npm run bench -- http --profile DIR` writes them). A
 * share stays comparable on a busy machine where CPU per request does not:
 *
 *   npm run bench -- http --only reads --seconds 8 --profile /tmp/profiles
 *   node tools/cpuprofile-share.mjs /tmp/profiles '^(logVersion|knownHeadBelow|authenticate)$'
 *
 * A sample counts once, for the outermost matching frame of its stack. Profiles of fewer than
 * 1,000 busy samples (tsx's loader thread) are skipped.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [folder, source] = process.argv.slice(2);
if (folder === undefined || source === undefined) {
  console.error('usage: node tools/cpuprofile-share.mjs <folder> <function-name-regex>');
  process.exit(2);
}
const pattern = new RegExp(source);

function profilesIn(path) {
  return readdirSync(path).flatMap((name) => {
    const child = join(path, name);
    if (statSync(child).isDirectory()) return profilesIn(child);
    return name.endsWith('.cpuprofile') ? [child] : [];
  });
}

for (const file of profilesIn(folder)) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const outermostMatch = new Map();
  const matchOf = (id) => {
    if (!outermostMatch.has(id)) {
      let found;
      for (let at = id; at !== undefined; at = parents.get(at)) {
        const name = nodes.get(at).callFrame.functionName;
        if (pattern.test(name)) found = name;
      }
      outermostMatch.set(id, found);
    }
    return outermostMatch.get(id);
  };
  let busy = 0;
  const perName = new Map();
  for (const sample of profile.samples) {
    if (nodes.get(sample).callFrame.functionName === '(idle)') continue;
    busy += 1;
    const name = matchOf(sample);
    if (name !== undefined) perName.set(name, (perName.get(name) ?? 0) + 1);
  }
  if (busy < 1000) continue;
  const percent = (count) => `${((100 * count) / busy).toFixed(2)}%`;
  const matched = [...perName.values()].reduce((sum, count) => sum + count, 0);
  const detail = [...perName].sort((a, b) => b[1] - a[1]).map(([name, count]) => `${name} ${percent(count)}`).join(', ');
  console.log(`${file}: ${busy.toLocaleString('en')} busy samples, ${percent(matched)} under /${source}/${detail ? ` (${detail})` : ''}`);
}
