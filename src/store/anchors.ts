import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { ensurePrivateFile, ignoreNotice, type ModeNotice } from './file-modes.js';
import { DigestAccumulator } from './hashing.js';
import { verifyLog, type VerifyResult } from './integrity.js';
import { comparePositions, type EventStore } from './port.js';

/**
 * Anchors: digests of the log written outside the database, one JSON line each, to an append-only
 * file. Someone who rewrites an event in the SQLite file and recomputes its stream's hashes passes
 * the chain check; the digest at every anchor after that event no longer matches.
 */
const AnchorSchema = z.strictObject({
  position: z.string().regex(/^[1-9]\d*$/),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  time: z.iso.datetime(),
});
export type Anchor = z.infer<typeof AnchorSchema>;

/** One line of the anchor file: the anchor, or why the line is not one. */
export type AnchorLine = { readonly line: number; readonly anchor: Anchor } | { readonly line: number; readonly malformed: string };

export function readAnchorFile(file: string): AnchorLine[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  // A last line without its newline is a write that was cut short (a full disk, a crash): it
  // vouched for nothing and is skipped, as the next append starts on a line of its own.
  if (!text.endsWith('\n')) lines.pop();
  return lines.flatMap((text, index): AnchorLine[] => {
    if (text.trim() === '') return [];
    const line = index + 1;
    try {
      const parsed = AnchorSchema.safeParse(JSON.parse(text));
      return [parsed.success ? { line, anchor: parsed.data } : { line, malformed: parsed.error.issues[0]?.message ?? 'not an anchor' }];
    } catch {
      return [{ line, malformed: 'not JSON' }];
    }
  });
}

/** Appends one line and fsyncs it before returning: an anchor that was logged is on disk. */
export function appendAnchor(file: string, anchor: Anchor, notice: ModeNotice = ignoreNotice): void {
  ensurePrivateFile(file, notice);
  dropInterruptedLine(file);
  const descriptor = openSync(file, 'a');
  try {
    writeSync(descriptor, `${JSON.stringify(anchor)}\n`);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * A last line without its newline is a write that was cut short (a full disk, a crash): it vouched
 * for nothing, and left in place it would sit in the middle of the file after the next anchor,
 * where it reads as an edit. It is cut off, as a database recovers an interrupted write.
 */
function dropInterruptedLine(file: string): void {
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  if (text.length === 0 || text.endsWith('\n')) return;
  truncateSync(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
}

export type AnchorReason = 'start' | 'interval' | 'shutdown';

/**
 * The newest anchor in the file does not match the log as it is now: events up to it were
 * changed since it was written. The service writes no new anchor over it (that would vouch for
 * the changed log) and reports it.
 */
export class AnchorMismatch extends Error {
  override readonly name = 'AnchorMismatch';
}

/** A store that can list positions and hashes without the events' JSON (SQLite can). */
export type HashListingStore = EventStore & { readHashes?(after?: string): AsyncIterable<{ position: string; hash: string }> };

export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/**
 * Hashes folded between two yields: a fold over a long log must not starve the service's
 * requests. 2,000 take ~3 ms; 20,000 (before) held every read waiting behind a slice for ~30 ms
 * while the start anchor folded a 1M log, the reads' p99 for the first seconds after a start.
 */
export const HASHES_PER_TURN = 2_000;

/** Positions and hashes in log order, after `after`: the fast path when the store has one. */
export function hashesOf(store: HashListingStore, after?: string): AsyncIterable<{ position: string; hash: string }> {
  if (store.readHashes) return store.readHashes(after);
  return store.readAll(after === undefined ? {} : { after });
}

/**
 * Writes anchors for a running service. The digest is folded incrementally from the events read
 * since the previous anchor (a digest at n+1 is SHA-256 of the digest at n and hash n+1), so an
 * anchor costs what was appended since, not a pass over the whole log. Calls are serialised.
 */
export class Anchorer {
  private readonly digest = new DigestAccumulator();
  private position: string | undefined;
  private lastAnchored: string | undefined;
  /** The file's newest anchor when the service started: checked against the log on the first anchor. */
  private toConfirm: Anchor | undefined;
  private refused: AnchorMismatch | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: HashListingStore,
    private readonly file: string,
    private readonly log: (details: { anchor: Anchor; file: string; reason: AnchorReason }, message: string) => void,
    private readonly clock: () => Date = () => new Date(),
    private readonly notice: ModeNotice = ignoreNotice,
  ) {
    const lines = readAnchorFile(file);
    const last = lines[lines.length - 1];
    if (last && 'anchor' in last) {
      this.lastAnchored = last.anchor.position;
      this.toConfirm = last.anchor;
    }
  }

  /** The anchor written, or undefined when the log is empty or did not move since the last one. */
  anchor(reason: AnchorReason): Promise<Anchor | undefined> {
    const next = this.queue.then(() => this.anchorNow(reason));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async anchorNow(reason: AnchorReason): Promise<Anchor | undefined> {
    if (this.refused) throw this.refused;
    try {
      return await this.foldAndWrite(reason);
    } catch (error) {
      // Once the log disagrees with the file, this process never anchors it again.
      if (error instanceof AnchorMismatch) this.refused = error;
      throw error;
    }
  }

  private async foldAndWrite(reason: AnchorReason): Promise<Anchor | undefined> {
    let folded = 0;
    for await (const event of hashesOf(this.store, this.position)) {
      // The start anchor folds the whole log while the service answers: in slices.
      folded += 1;
      if (folded % HASHES_PER_TURN === 0) await yieldToEventLoop();
      // The log skips the anchored position: the event there was deleted.
      if (this.toConfirm && comparePositions(event.position, this.toConfirm.position) > 0) this.confirm(this.toConfirm);
      this.digest.add(event.hash);
      this.position = event.position;
      if (event.position === this.toConfirm?.position) this.confirm(this.toConfirm);
    }
    // The log ends before the newest anchor: events it vouched for were deleted.
    if (this.toConfirm !== undefined) this.confirm(this.toConfirm);
    if (this.position === undefined || this.position === this.lastAnchored) return undefined;
    const anchor: Anchor = { position: this.position, digest: this.digest.value, time: this.clock().toISOString() };
    appendAnchor(this.file, anchor, this.notice);
    this.lastAnchored = anchor.position;
    this.log({ anchor, file: this.file, reason }, `anchor written to ${this.file}: position ${anchor.position}, digest ${anchor.digest}`);
    return anchor;
  }

  /**
   * The file's newest anchor, compared once with the digest folded up to its position (or, when
   * the log now ends before it, with nothing): a rewritten log is refused a fresh anchor.
   */
  private confirm(anchor: Anchor): void {
    const atAnchor = this.position === anchor.position;
    if (atAnchor && this.digest.value === anchor.digest) {
      this.toConfirm = undefined;
      return;
    }
    if (atAnchor) {
      throw new AnchorMismatch(`the newest anchor (${anchor.time}) at position ${anchor.position} does not match the log: events up to it were changed since; no new anchor was written`);
    }
    throw new AnchorMismatch(`the newest anchor (${anchor.time}) names position ${anchor.position}, which the log no longer has: events were deleted; no new anchor was written`);
  }
}

export interface BadAnchor {
  readonly line: number;
  readonly position: string | null;
  readonly time: string | null;
  readonly anchored: string | null;
  /** The digest the log gives at that position now; null when the log does not reach it. */
  readonly digest: string | null;
  readonly problem: string;
}

export interface AnchorReport {
  readonly checked: number;
  /** How many anchors agree with the log. */
  readonly ok: number;
  /** The disagreeing anchor at the lowest position (else the first unreadable line): where to start looking. */
  readonly firstBad?: BadAnchor;
  /** The highest position an agreeing anchor below firstBad vouches for; the log is unchanged up to it. */
  readonly lastGoodPosition?: string;
}

/** Recomputes the digest at every anchor's position in one pass over the log, and compares. */
export async function checkAnchors(store: HashListingStore, lines: readonly AnchorLine[]): Promise<AnchorReport> {
  const bad: BadAnchor[] = [];
  const good: Anchor[] = [];
  const pending: Array<{ line: number; anchor: Anchor }> = [];
  for (const entry of lines) {
    if ('anchor' in entry) pending.push(entry);
    else bad.push({ line: entry.line, position: null, time: null, anchored: null, digest: null, problem: `line ${entry.line} of the anchor file is not an anchor (${entry.malformed}): the file was edited` });
  }
  pending.sort((a, b) => comparePositions(a.anchor.position, b.anchor.position) || a.line - b.line);
  const digest = new DigestAccumulator();
  let next = 0;
  const settleUpTo = (limit: (position: string) => boolean): void => {
    while (next < pending.length && limit(pending[next]!.anchor.position)) {
      const { line, anchor } = pending[next]!;
      if (anchor.digest === digest.value) good.push(anchor);
      else bad.push({ line, position: anchor.position, time: anchor.time, anchored: anchor.digest, digest: digest.value, problem: `the anchor of ${anchor.time} (line ${line}) at position ${anchor.position} does not match: the events up to it were changed, removed, inserted or reordered since` });
      next += 1;
    }
  };
  for await (const event of hashesOf(store)) {
    // An anchor at a position the log skips now (a deleted event) is compared before what follows.
    settleUpTo((position) => comparePositions(position, event.position) < 0);
    digest.add(event.hash);
    settleUpTo((position) => position === event.position);
  }
  const last = await store.lastPosition();
  for (const { line, anchor } of pending.slice(next)) {
    bad.push({ line, position: anchor.position, time: anchor.time, anchored: anchor.digest, digest: null, problem: `the anchor of ${anchor.time} (line ${line}) names position ${anchor.position}, but the log ends at ${last ?? '(empty)'}: events were deleted` });
  }
  return summarise(lines.length, good, bad);
}

function summarise(checked: number, good: readonly Anchor[], bad: readonly BadAnchor[]): AnchorReport {
  // An anchor whose digest disagrees says more than an unreadable line: it comes first.
  const byPosition = (a: BadAnchor, b: BadAnchor): number =>
    a.position === null ? (b.position === null ? a.line - b.line : 1) : b.position === null ? -1 : comparePositions(a.position, b.position);
  const firstBad = [...bad].sort(byPosition)[0];
  const firstBadPosition = firstBad?.position ?? null;
  const vouching = good.filter((anchor) => firstBadPosition === null || comparePositions(anchor.position, firstBadPosition) < 0);
  const lastGood = vouching.reduce<Anchor | undefined>((highest, anchor) => (highest && comparePositions(highest.position, anchor.position) >= 0 ? highest : anchor), undefined);
  return {
    checked,
    ok: good.length,
    ...(firstBad ? { firstBad } : {}),
    ...(firstBad && lastGood ? { lastGoodPosition: lastGood.position } : {}),
  };
}

export type VerifyWithAnchors = VerifyResult & { readonly anchors: AnchorReport };

/**
 * verifyLog, then every anchor in the file. The answer is ok only when both hold; when the chains
 * recompute but an anchor disagrees, the first bad position is the first one no agreeing anchor
 * vouches for.
 */
export async function verifyWithAnchors(store: EventStore & Parameters<typeof verifyLog>[0], anchorFile: string | undefined): Promise<VerifyWithAnchors> {
  const verified = await verifyLog(store);
  const anchors = await checkAnchors(store, anchorFile === undefined ? [] : readAnchorFile(anchorFile));
  if (!verified.ok || anchors.firstBad === undefined) return { ...verified, anchors };
  const lastGood = anchors.lastGoodPosition;
  let firstBadPosition = '1';
  for await (const event of store.readAll({ ...(lastGood === undefined ? {} : { after: lastGood }), limit: 1 })) firstBadPosition = event.position;
  return {
    ok: false,
    events: lastGood === undefined ? 0 : (await countUpTo(store, lastGood)),
    firstBadPosition,
    stream: '',
    problem: anchors.firstBad.problem,
    anchors,
  };
}

async function countUpTo(store: HashListingStore, position: string): Promise<number> {
  let count = 0;
  for await (const event of hashesOf(store)) {
    if (comparePositions(event.position, position) > 0) break;
    count += 1;
  }
  return count;
}
