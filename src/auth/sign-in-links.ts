import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const LinkRecordSchema = z.object({
  /** SHA-256 of the code, hex. The code itself is never stored. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  tokenId: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  usedAt: z.string().optional(),
});
type LinkRecord = z.infer<typeof LinkRecordSchema>;
const LinksFileSchema = z.object({ version: z.literal(1), links: z.array(LinkRecordSchema) });

export const DEFAULT_LINK_MINUTES = 15;

export type RedeemOutcome =
  | { readonly ok: true; readonly tokenId: string }
  | { readonly ok: false; readonly reason: 'unknown' | 'used' | 'expired' };

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * One-time sign-in links: a random code, stored only as its SHA-256 with the token it signs in as
 * and its expiry, in a 0600 file next to the tokens file. The CLI writes it and the service
 * redeems from it, so every call re-reads the file (links are rare; no cache to go stale).
 */
export class SignInLinks {
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
    const code = randomBytes(32).toString('base64url');
    const record: LinkRecord = {
      sha256: sha256Hex(code),
      tokenId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + validMinutes * 60_000).toISOString(),
    };
    // Expired links are dropped whenever a new one is made, so the file does not grow forever.
    this.save([...this.load().filter((link) => link.usedAt === undefined && Date.parse(link.expiresAt) > now.getTime()), record]);
    return code;
  }

  /** Marks the link used (whatever happens next): a code signs in once, never twice. */
  redeem(code: string, now: Date): RedeemOutcome {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(code)) return { ok: false, reason: 'unknown' };
    const hash = sha256Hex(code);
    const links = this.load();
    const link = links.find((candidate) => candidate.sha256 === hash);
    if (!link) return { ok: false, reason: 'unknown' };
    if (link.usedAt !== undefined) return { ok: false, reason: 'used' };
    if (Date.parse(link.expiresAt) <= now.getTime()) return { ok: false, reason: 'expired' };
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
