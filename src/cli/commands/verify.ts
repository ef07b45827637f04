import { projectionCodeVersion, recomputeCheckpoints, type CheckpointCheck } from '../../projections/checkpoints.js';
import { STANDARD_PROJECTIONS } from '../../projections/standard.js';
import { checkDigest, digestAt, type DigestCheck } from '../../store/integrity.js';
import { verifyWithAnchors, type AnchorReport, type VerifyWithAnchors } from '../../store/anchors.js';
import { checkRunningDigests, type RunningDigestCheck } from '../../store/log-digest.js';
import { comparePositions, type BusinessDayCheck } from '../../store/port.js';
import { openExistingLedger } from '../../store/open.js';
import type { CliCommand, CliContext } from '../command.js';
import { parseCommandOptions } from '../options.js';

const USAGE = [
  'verify [--json]                               recompute every hash chain; prints the digest to keep',
  'verify --at <position> [--json]               also print the digest at that position (e.g. the last event of the year)',
  'verify --digest <digest> --at <position>      also check a digest kept earlier: exit 1 when it no longer matches',
].join('\n       ');

interface Options {
  readonly json: boolean;
  readonly at?: string;
  readonly digest?: string;
}

function parseOptions(args: readonly string[], err: CliContext['err']): Options | undefined {
  const values = parseCommandOptions(
    args,
    { json: { type: 'boolean', default: false }, at: { type: 'string' }, digest: { type: 'string' } },
    USAGE,
    err,
    (values) => [
      ...(values.at !== undefined && !/^\d+$/.test(values.at) ? ['--at must be a log position (a decimal number)'] : []),
      ...(values.digest !== undefined && !/^[0-9a-fA-F]{64}$/.test(values.digest) ? ['--digest must be 64 hexadecimal characters'] : []),
      ...(values.digest !== undefined && values.at === undefined ? ['--digest needs --at: the position the digest was taken at'] : []),
    ],
  );
  if (!values) return undefined;
  return {
    json: values.json ?? false,
    ...(values.at === undefined ? {} : { at: BigInt(values.at).toString() }),
    ...(values.digest === undefined ? {} : { digest: values.digest.toLowerCase() }),
  };
}

function printAnchors(report: AnchorReport, anchorFile: string, out: CliContext['out']): void {
  if (report.checked === 0) {
    out(`  anchors:        none in ${anchorFile}`);
    return;
  }
  out(`  anchors:        ${report.checked} checked in ${anchorFile}, ${report.ok} agree`);
  if (!report.firstBad) return;
  out(`  FIRST BAD ANCHOR: line ${report.firstBad.line}: ${report.firstBad.problem}`);
  if (report.firstBad.anchored) out(`    anchored:  ${report.firstBad.anchored}`);
  if (report.firstBad.digest) out(`    now:       ${report.firstBad.digest}`);
  out(`    the log is vouched for up to position ${report.lastGoodPosition ?? '(none)'}`);
}

function printVerify(result: VerifyWithAnchors, anchorFile: string, out: CliContext['out']): void {
  printChains(result, out);
  printAnchors(result.anchors, anchorFile, out);
}

function printChains(result: VerifyWithAnchors, out: CliContext['out']): void {
  if (result.ok) {
    out('the log is intact: every hash chain recomputes');
    out(`  events:         ${result.events}`);
    out(`  last position:  ${result.lastPosition ?? '(empty log)'}`);
    out(`  last hash:      ${result.lastHash ?? '-'}`);
    out(`  digest:         ${result.digest}`);
    out(`  keep the digest and position; later: npm run cli -- verify --digest ${result.digest} --at ${result.lastPosition ?? '0'}`);
    return;
  }
  out(result.problem === result.anchors.firstBad?.problem ? 'THE LOG HAS BEEN TAMPERED WITH: an anchor kept outside it disagrees' : 'THE LOG HAS BEEN TAMPERED WITH (or is corrupt)');
  out(`  first bad position:  ${result.firstBadPosition}`);
  out(`  stream:              ${result.stream}`);
  out(`  problem:             ${result.problem}`);
  out(`  events intact before it: ${result.events}`);
}

function printDigest(check: DigestCheck, out: CliContext['out']): void {
  if (check.matches) {
    out(`digest at position ${check.position} MATCHES (${check.events} events): nothing up to it changed since the digest was taken`);
    return;
  }
  out(`digest at position ${check.position} DOES NOT MATCH`);
  out(`  kept:   ${check.expected}`);
  out(`  now:    ${check.digest} (over ${check.events} events)`);
  out(`  ${check.problem}`);
}

/** The running digests the store keeps per event (none kept, as on EventStoreDB: nothing printed). */
function printRunningDigests(check: RunningDigestCheck | undefined, out: CliContext['out']): void {
  if (!check) return;
  if (check.ok) {
    out(`  running digests: ${check.checked} recompute from the hashes`);
    return;
  }
  out(`  RUNNING DIGEST DIFFERS at position ${check.position} (${check.checked} before it recompute): ${check.problem}`);
  out(`    stored:     ${check.stored ?? '(none)'}`);
  out(`    recomputed: ${check.recomputed}`);
}

/** The business-date index (none kept, as on EventStoreDB: nothing printed). */
function printBusinessDays(check: BusinessDayCheck | undefined, out: CliContext['out']): void {
  if (!check) return;
  if (check.ok) {
    out(`  business dates: ${check.checked} index rows agree with the events`);
    return;
  }
  out(`  BUSINESS-DATE INDEX DIFFERS at position ${check.position} (${check.checked} before it agree): ${check.problem}`);
}

/** The stored projection checkpoints, each recomputed from the log (none stored: nothing printed). */
function printCheckpoints(checks: readonly CheckpointCheck[], out: CliContext['out']): void {
  if (checks.length === 0) return;
  const matching = checks.filter((check) => check.outcome === 'matches').length;
  out(`  checkpoints:    ${checks.length} stored, ${matching} recompute from the log`);
  for (const check of checks) {
    if (check.outcome === 'matches') continue;
    out(`  ${check.outcome === 'differs' ? 'CHECKPOINT DIFFERS' : 'checkpoint not used'}: ${check.projection} at position ${check.position}: ${check.problem}`);
  }
}

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: "check the log's hash chains, every anchor in ANCHOR_FILE, a digest kept earlier and every projection checkpoint (exit 0 intact, 1 tampered)",
  usage: USAGE,
  async run(args, { config, out, err }) {
    const options = parseOptions(args, err);
    if (!options) return 2;
    const store = await openExistingLedger(config, err);
    if (!store) return 2;
    try {
      const verified = await verifyWithAnchors(store, config.anchorFile);
      let digestCheck: DigestCheck | undefined;
      let digestOnly: { position: string; digest: string; events: number } | undefined;
      if (options.at !== undefined && options.digest !== undefined) {
        digestCheck = await checkDigest(store, options.at, options.digest);
      } else if (options.at !== undefined) {
        const last = (await store.lastPosition()) ?? '0';
        if (comparePositions(options.at, last) > 0) {
          // Printing it would hand the accountant a digest that changes as soon as the log grows.
          err(`the log ends at position ${last}; there is no digest at ${options.at} yet`);
          return 2;
        }
        const { digest, events } = await digestAt(store, options.at);
        digestOnly = { position: options.at, digest, events };
      }
      // Every stored checkpoint is folded again from the log: a start would trust the ones that match.
      const checkpoints = await recomputeCheckpoints(store, STANDARD_PROJECTIONS, projectionCodeVersion());
      const checkpointsDiffer = checkpoints.some((check) => check.outcome === 'differs');
      // A start checks checkpoints against these stored digests: each is recomputed from the hashes.
      const runningDigests = store.runningDigests ? await checkRunningDigests(store.runningDigests) : undefined;
      // Derived data the exports check as they read it; a row that differs is still a file changed outside the store.
      const businessDays = await store.businessDays?.check();
      if (options.json) {
        out(JSON.stringify({ ...verified, ...(digestCheck ? { digestCheck } : {}), ...(digestOnly ? { digestAt: digestOnly } : {}), ...(runningDigests ? { runningDigests } : {}), ...(businessDays ? { businessDays } : {}), ...(checkpoints.length > 0 ? { checkpoints } : {}) }, null, 2));
      } else {
        printVerify(verified, config.anchorFile, out);
        printRunningDigests(runningDigests, out);
        printBusinessDays(businessDays, out);
        printCheckpoints(checkpoints, out);
        if (digestCheck) printDigest(digestCheck, out);
        if (digestOnly) out(`digest at position ${digestOnly.position} (${digestOnly.events} events): ${digestOnly.digest}`);
      }
      // A matching digest says the stored hashes are unchanged; only with intact chains does that
      // mean the events themselves are: both must hold.
      // A checkpoint that differs is not a changed ledger, but a start would have served wrong answers
      // from it; a stored running digest that differs is a changed file a start would have trusted.
      return verified.ok && (digestCheck?.matches ?? true) && !checkpointsDiffer && (runningDigests?.ok ?? true) && (businessDays?.ok ?? true) ? 0 : 1;
    } finally {
      await store.close();
    }
  },
};
