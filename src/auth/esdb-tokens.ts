/**
 * Tokens and one-time sign-in links kept in EventStoreDB, so that every ledger instance and the
 * CLI see the same ones (issue 14, several instances). Like the Idempotency-Key streams they live
 * outside the ledger's log (src/store/esdb-records.ts): no projection, verification or export
 * sees them.
 *
 *   ledger-tokens                 TokenCreated (the record: id, role, scope, name, SHA-256 of the
 *                                 token, createdAt) and TokenRevoked (id, revokedAt). The token
 *                                 itself is never written: it is shown once to whoever made it.
 *   ledger-signin-link-<sha256>   SignInLinkCreated (the link's record, keyed by the SHA-256 of its
 *                                 code), then at most one SignInLinkRedeemed: it is appended with
 *                                 expected revision 0, so of two instances redeeming the same code
 *                                 at the same instant exactly one succeeds.
 *
 * The request path stays synchronous and constant-time: each instance keeps every token record in
 * memory and compares hashes there; polling the tokens stream keeps that memory current, so a
 * token created or revoked anywhere takes effect everywhere within one poll interval.
 */
import { z } from 'zod';
import type { EsdbClient } from '../store/eventstoredb.js';
import { appendRecordAt, LINK_STREAM_PREFIX, readStreamPage, TOKENS_STREAM } from '../store/esdb-records.js';
import { DEFAULT_RESILIENCE, type ResiliencePolicy } from '../store/esdb-resilience.js';
import { DEFAULT_LINK_MINUTES, isWellFormedCode, linkRefusal, LinkRecordSchema, newLink, sha256Hex, type RedeemOutcome, type SignInLinkStore } from './sign-in-links.js';
import {
  authenticateAmong,
  newToken,
  principalByIdAmong,
  recordToRevoke,
  TokenRecordSchema,
  type CreatedToken,
  type NewToken,
  type Principal,
  type TokenAdmin,
  type TokenRecord,
} from './tokens.js';

export { LINK_STREAM_PREFIX, TOKENS_STREAM };
export const TOKEN_CREATED = 'TokenCreated';
export const TOKEN_REVOKED = 'TokenRevoked';
export const LINK_CREATED = 'SignInLinkCreated';
export const LINK_REDEEMED = 'SignInLinkRedeemed';

/** How often a running instance reads the tokens stream for others' changes: the bound on how long a revocation takes to reach it. */
export const DEFAULT_TOKEN_POLL_MS = 1000;
const PAGE_SIZE = 500;

const TokenRevokedSchema = z.object({ id: z.string(), revokedAt: z.string() });

export function linkStream(codeSha256: string): string {
  return `${LINK_STREAM_PREFIX}${codeSha256}`;
}

export interface EsdbTokensOptions {
  readonly resilience?: Partial<ResiliencePolicy>;
  /** 0: no polling (the CLI, which reads once per command). */
  readonly pollMs?: number;
  /** A poll that failed (the node unreachable): the memory stays as it was until the next one succeeds. */
  readonly onPollError?: (error: unknown) => void;
}

export class EsdbTokenRegistry implements TokenAdmin {
  private records: TokenRecord[] = [];
  /** The revision of the tokens stream the memory has read up to (exclusive). */
  private nextRevision = 0n;
  /** Reads run one after another, each starting after it was asked for: a caller never gets an older read's result. */
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly client: EsdbClient,
    private readonly policy: ResiliencePolicy,
  ) {}

  static async open(client: EsdbClient, options: EsdbTokensOptions = {}): Promise<EsdbTokenRegistry> {
    const registry = new EsdbTokenRegistry(client, { ...DEFAULT_RESILIENCE, ...options.resilience });
    await registry.catchUp();
    const pollMs = options.pollMs ?? DEFAULT_TOKEN_POLL_MS;
    if (pollMs > 0) {
      registry.timer = setInterval(() => {
        registry.catchUp().catch((error: unknown) => options.onPollError?.(error));
      }, pollMs);
      // The poll alone never keeps the process alive.
      registry.timer.unref();
    }
    return registry;
  }

  /** Stops polling; the client belongs to whoever opened the registry. */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  authenticate(presented: string): Principal | undefined {
    return authenticateAmong(this.records, presented);
  }

  principalById(id: string): Principal | undefined {
    return principalByIdAmong(this.records, id);
  }

  /** Reads what was appended to the tokens stream since the last read. */
  catchUp(): Promise<void> {
    const read = this.queue.then(() => this.readNew());
    this.queue = read.catch(() => undefined);
    return read;
  }

  async list(): Promise<readonly TokenRecord[]> {
    await this.catchUp();
    return this.records;
  }

  async hasActiveTokens(): Promise<boolean> {
    return (await this.list()).some((record) => !record.revokedAt);
  }

  async create(input: NewToken, now = new Date()): Promise<CreatedToken> {
    const created = newToken(input, now);
    await this.appendAtHead(TOKEN_CREATED, created.record);
    return created;
  }

  /**
   * The first-start token: created only while no active token exists. Checked at the exact head
   * it appends at, so of two instances starting together on an empty node, one creates it.
   */
  async createFirst(input: NewToken, now = new Date()): Promise<CreatedToken | undefined> {
    const created = newToken(input, now);
    const noneActive = () => !this.records.some((record) => !record.revokedAt);
    return (await this.appendAtHead(TOKEN_CREATED, created.record, noneActive)) ? created : undefined;
  }

  /** A revocation is a new event; revoking a revoked token again changes nothing. */
  async revoke(id: string, now = new Date()): Promise<TokenRecord> {
    await this.catchUp();
    const record = recordToRevoke(this.records, id);
    if (record.revokedAt) return record;
    await this.appendAtHead(TOKEN_REVOKED, { id: record.id, revokedAt: now.toISOString() });
    return recordToRevoke(this.records, record.id);
  }

  /**
   * Appends at the exact head the memory has read, so an append whose answer was lost is resolved
   * by reading back, never written twice; when another instance appended first, reads and tries
   * again, as long as `stillWanted` holds for what it read. False when it no longer did.
   */
  private async appendAtHead(type: string, data: unknown, stillWanted: () => boolean = () => true): Promise<boolean> {
    await this.catchUp();
    for (;;) {
      if (!stillWanted()) return false;
      const after = this.nextRevision === 0n ? 'no-stream' : Number(this.nextRevision - 1n);
      const written = await appendRecordAt(this.client, this.policy, TOKENS_STREAM, { type, data }, after);
      await this.catchUp();
      if (written) return true;
    }
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const page = await readStreamPage(this.client, this.policy, TOKENS_STREAM, this.nextRevision, PAGE_SIZE);
      for (const event of page) {
        this.apply(event.type, event.data);
        this.nextRevision = event.revision + 1n;
      }
      if (page.length < PAGE_SIZE) return;
    }
  }

  private apply(type: string, data: unknown): void {
    if (type === TOKEN_CREATED) {
      const record = TokenRecordSchema.parse(data);
      if (!this.records.some((known) => known.id === record.id)) this.records = [...this.records, record];
    } else if (type === TOKEN_REVOKED) {
      const { id, revokedAt } = TokenRevokedSchema.parse(data);
      // The first revocation counts: a token is revoked once, whoever repeats it.
      this.records = this.records.map((record) => (record.id === id && !record.revokedAt ? { ...record, revokedAt } : record));
    } else {
      throw new Error(`${TOKENS_STREAM} holds an event of unknown type ${type}: written by a newer ledger?`);
    }
  }
}

export class EsdbSignInLinks implements SignInLinkStore {
  private readonly policy: ResiliencePolicy;

  constructor(
    private readonly client: EsdbClient,
    options: Pick<EsdbTokensOptions, 'resilience'> = {},
  ) {
    this.policy = { ...DEFAULT_RESILIENCE, ...options.resilience };
  }

  async create(tokenId: string, now: Date, validMinutes = DEFAULT_LINK_MINUTES): Promise<string> {
    const { code, record } = newLink(tokenId, now, validMinutes);
    const written = await appendRecordAt(this.client, this.policy, linkStream(record.sha256), { type: LINK_CREATED, data: record }, 'no-stream');
    // 256 random bits: a second link with the same code does not happen; if it did, refuse it.
    if (!written) throw new Error('a sign-in link with this code exists already; make another');
    return code;
  }

  async redeem(code: string, now: Date): Promise<RedeemOutcome> {
    if (!isWellFormedCode(code)) return { ok: false, reason: 'unknown' };
    const stream = linkStream(sha256Hex(code));
    const [created, redeemed] = await readStreamPage(this.client, this.policy, stream, 0n, 2);
    if (created?.type !== LINK_CREATED) return { ok: false, reason: 'unknown' };
    const link = LinkRecordSchema.parse(created.data);
    if (redeemed) return { ok: false, reason: 'used' };
    const refusal = linkRefusal(link, now);
    if (refusal) return { ok: false, reason: refusal };
    // Expected revision 0, right after the link's creation: of two instances redeeming at once,
    // one appends and the other is refused by the node.
    const won = await appendRecordAt(this.client, this.policy, stream, { type: LINK_REDEEMED, data: { redeemedAt: now.toISOString() } }, 0);
    return won ? { ok: true, tokenId: link.tokenId } : { ok: false, reason: 'used' };
  }
}
