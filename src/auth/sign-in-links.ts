import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export const LinkRecordSchema = z.object({
  /** SHA-256 of the code, hex. The code itself is never stored. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  tokenId: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  usedAt: z.string().optional(),
});
export type LinkRecord = z.infer<typeof LinkRecordSchema>;
const LinksFileSchema = z.object({ version: z.literal(1), links: z.array(LinkRecordSchema) });

export const DEFAULT_LINK_MINUTES = 15;

export type RedeemOutcome =
  | { readonly ok: true; readonly tokenId: string }
  | { readonly ok: false; readonly reason: 'unknown' | 'used' | 'expired' };

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** What the pages and the CLI do with links: in a file next to the tokens, or in EventStoreDB (src/auth/esdb-tokens.ts). */
export interface SignInLinkStore {
  create(tokenId: string, now: Date, validMinutes?: number): string | Promise<string>;
  /** Redeems the code at most once, whatever happens next. */
  redeem(code: string, now: Date): RedeemOutcome | Promise<RedeemOutcome>;
}

/** A new random code and the record that keeps its hash: the code itself is never stored. */
export function newLink(tokenId: string, now: Date, validMinutes: number): { code: string; record: LinkRecord } {
  const code = randomBytes(32).toString('base64url');
  const record: LinkRecord = {
    sha256: sha256Hex(code),
    tokenId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + validMinutes * 60_000).toISOString(),
  };
  return { code, record };
}

/** Whether a presented code can be one this ledger made at all (anything else is not looked up). */
export function isWellFormedCode(code: string): boolean {
  return /^[A-Za-z0-9_-]{20,100}$/.test(code);
}

/** Why a found link may not be redeemed now, or undefined when it may. */
export function linkRefusal(link: LinkRecord, now: Date): 'used' | 'expired' | undefined {
  if (link.usedAt !== undefined) return 'used';
  if (Date.parse(link.expiresAt) <= now.getTime()) return 'expired';
  return undefined;
}

/**
 * One-time sign-in links: a random code, stored only as its SHA-256 with the token it signs in as
 * and its expiry, in a 0600 file next to the tokens file. The CLI writes it and the service
 * redeems from it, so every call re-reads the file (links are rare; no cache to go stale).
 */
export class SignInLinks implements SignInLinkStore {
  private memory: LinkRecord[] = [];

  private constructor(private readonly file: string | undefined) {}

  static open(file: string): SignInLinks {
    return new SignInLinks(file);
  }

  /** For tests: nothing touches the disk. */
  static inMemory(): SignInLinks {
    return new SignInLinks(undefined);
  }

  create(tokenId: string, now: Date, validMinutes = DEFAULT_LINK_MINUTES): string {
    const { code, record } = newLink(tokenId, now, validMinutes);
    // Expired links are dropped whenever a new one is made, so the file does not grow forever.
    this.save([...this.load().filter((link) => link.usedAt === undefined && Date.parse(link.expiresAt) > now.getTime()), record]);
    return code;
  }

  /** Marks the link used (whatever happens next): a code signs in once, never twice. */
  redeem(code: string, now: Date): RedeemOutcome {
    if (!isWellFormedCode(code)) return { ok: false, reason: 'unknown' };
    const hash = sha256Hex(code);
    const links = this.load();
    const link = links.find((candidate) => candidate.sha256 === hash);
    if (!link) return { ok: false, reason: 'unknown' };
    const refusal = linkRefusal(link, now);
    if (refusal) return { ok: false, reason: refusal };
    this.save(links.map((candidate) => (candidate === link ? { ...link, usedAt: now.toISOString() } : candidate)));
    return { ok: true, tokenId: link.tokenId };
  }

  private load(): LinkRecord[] {
    if (!this.file) return this.memory;
    if (!existsSync(this.file)) return [];
    const parsed = LinksFileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
    if (!parsed.success) throw new Error(`${this.file} is not a valid sign-in links file: ${parsed.error.message}`);
    return parsed.data.links;
  }

  private save(links: LinkRecord[]): void {
    if (!this.file) {
      this.memory = links;
      return;
    }
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ version: 1, links }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}
