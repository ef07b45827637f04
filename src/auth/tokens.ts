import { hash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { SlugSchema } from '../domain/ids.js';

/** `kascommissie`: the members' audit committee that checks the year before the accountant approves it (docs/years.md). */
export const ROLES = ['treasurer', 'accountant', 'financier', 'teamleader', 'kascommissie'] as const;
export type Role = (typeof ROLES)[number];
/** Roles whose tokens are bound to one financier or one room. */
export const SCOPED_ROLES: ReadonlySet<Role> = new Set(['financier', 'teamleader']);

export const TokenRecordSchema = z.object({
  id: z.string(),
  role: z.enum(ROLES),
  scope: SlugSchema.optional(),
  name: z.string().optional(),
  /** SHA-256 of the token, hex. The token itself is never stored. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
});
export type TokenRecord = z.infer<typeof TokenRecordSchema>;
const TokensFileSchema = z.object({ version: z.literal(1), tokens: z.array(TokenRecordSchema) });

/** Who a request is from: what goes into `recordedBy` and what the role checks read. */
export interface Principal {
  readonly tokenId: string;
  readonly role: Role;
  readonly scope?: string;
  /** e.g. "treasurer:Anna" or "financier:mitros#1a2b3c4d" */
  readonly subject: string;
}

/** One-shot hashing: every API request hashes its token, and `hash` costs half a createHash/update/digest. */
function sha256(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}

export function principalOf(record: TokenRecord): Principal {
  const roleAndScope = record.scope ? `${record.role}:${record.scope}` : record.role;
  const who = record.name ? `(${record.name})` : `#${record.id.slice(0, 8)}`;
  return { tokenId: record.id, role: record.role, ...(record.scope ? { scope: record.scope } : {}), subject: `${roleAndScope}${who}` };
}

export interface NewToken {
  readonly role: Role;
  readonly scope?: string;
  readonly name?: string;
}
export interface CreatedToken {
  /** The secret, shown once to whoever asked for it; only its hash is kept. */
  readonly token: string;
  readonly record: TokenRecord;
}

/**
 * What the request path asks of the tokens, synchronously: the file registry and the registry
 * kept in EventStoreDB (src/auth/esdb-tokens.ts) both answer from memory.
 */
export interface TokenLookup {
  authenticate(presented: string): Principal | undefined;
  principalById(id: string): Principal | undefined;
  /**
   * Brings the memory up to date with the shared store now, where there is one: a sign-in link
   * made on another instance may name a token this one has not polled yet.
   */
  catchUp?(): Promise<void>;
}

/** What the CLI and start-up do with tokens: synchronous on the file, asynchronous on EventStoreDB. */
export interface TokenAdmin extends TokenLookup {
  list(): readonly TokenRecord[] | Promise<readonly TokenRecord[]>;
  hasActiveTokens(): boolean | Promise<boolean>;
  create(input: NewToken, now?: Date): CreatedToken | Promise<CreatedToken>;
  revoke(id: string, now?: Date): TokenRecord | Promise<TokenRecord>;
  /** Creates the token only while no active token exists (the first start); undefined when one did. */
  createFirst(input: NewToken, now?: Date): CreatedToken | undefined | Promise<CreatedToken | undefined>;
}

/** A new random token and the record that keeps its hash, after checking role and scope. */
export function newToken(input: NewToken, now: Date): CreatedToken {
  if (SCOPED_ROLES.has(input.role) && !input.scope) throw new Error(`a ${input.role} token needs a scope (--scope <id>)`);
  if (!SCOPED_ROLES.has(input.role) && input.scope) throw new Error(`a ${input.role} token has no scope`);
  if (input.scope !== undefined) SlugSchema.parse(input.scope);
  const token = `bwk_${randomBytes(32).toString('base64url')}`;
  const record: TokenRecord = {
    id: randomUUID(),
    role: input.role,
    ...(input.scope ? { scope: input.scope } : {}),
    ...(input.name ? { name: input.name } : {}),
    sha256: sha256(token).toString('hex'),
    createdAt: now.toISOString(),
  };
  return { token, record };
}

/** The one record an id or id prefix names (revoked or not), or an error saying why not. */
export function recordToRevoke(records: readonly TokenRecord[], id: string): TokenRecord {
  const matches = records.filter((record) => record.id === id || record.id.startsWith(id));
  if (matches.length !== 1) throw new Error(matches.length === 0 ? `no token with id ${id}` : `id ${id} is ambiguous`);
  return matches[0]!;
}

/**
 * The principal of a token id, while the token exists and is not revoked: a page session holds
 * only the id and asks this on every request, so revoking the token ends its sessions.
 */
export function principalByIdAmong(records: readonly TokenRecord[], id: string): Principal | undefined {
  const record = records.find((candidate) => candidate.id === id);
  return record && !record.revokedAt ? principalOf(record) : undefined;
}

/**
 * Compares the presented token's hash with every record's hash in constant time, and never stops
 * early, so timing tells nothing about which token nearly matched.
 */
export function authenticateAmong(records: readonly TokenRecord[], presented: string): Principal | undefined {
  const presentedHash = sha256(presented);
  let found: TokenRecord | undefined;
  for (const record of records) {
    const matches = timingSafeEqual(presentedHash, hashBytesOf(record));
    if (matches && !record.revokedAt) found = record;
  }
  return found ? principalOf(found) : undefined;
}

/**
 * Each record's hash as bytes, decoded once (records are replaced, never changed, when the
 * tokens are re-read): every request compares against every record, so decoding the hex each
 * time cost as much per token as the hashing did.
 */
const hashBytes = new WeakMap<TokenRecord, Buffer>();
function hashBytesOf(record: TokenRecord): Buffer {
  let bytes = hashBytes.get(record);
  if (!bytes) {
    bytes = Buffer.from(record.sha256, 'hex');
    hashBytes.set(record, bytes);
  }
  return bytes;
}

/**
 * Bearer tokens, stored only as SHA-256 hashes in a JSON file under the data folder (mode 0600).
 * The file is re-read when it changes, so `npm run cli -- tokens create` takes effect on a
 * running service without a restart.
 */
export class TokenRegistry implements TokenAdmin {
  private records: TokenRecord[] = [];
  private loadedMtimeMs = -1;
  private lastCheckMs = 0;

  private constructor(private readonly file: string | undefined) {}

  static open(file: string): TokenRegistry {
    const registry = new TokenRegistry(file);
    registry.reloadIfChanged(true);
    return registry;
  }

  /** For tests: nothing touches the disk. */
  static inMemory(): TokenRegistry {
    return new TokenRegistry(undefined);
  }

  list(): readonly TokenRecord[] {
    this.reloadIfChanged(true);
    return this.records;
  }

  hasActiveTokens(): boolean {
    return this.list().some((record) => !record.revokedAt);
  }

  create(input: NewToken, now = new Date()): CreatedToken {
    this.reloadIfChanged(true);
    const created = newToken(input, now);
    this.records = [...this.records, created.record];
    this.save();
    return created;
  }

  createFirst(input: NewToken, now = new Date()): CreatedToken | undefined {
    return this.hasActiveTokens() ? undefined : this.create(input, now);
  }

  revoke(id: string, now = new Date()): TokenRecord {
    this.reloadIfChanged(true);
    const revoked = { ...recordToRevoke(this.records, id), revokedAt: now.toISOString() };
    this.records = this.records.map((record) => (record.id === revoked.id ? revoked : record));
    this.save();
    return revoked;
  }

  principalById(id: string): Principal | undefined {
    this.reloadIfChanged(false);
    return principalByIdAmong(this.records, id);
  }

  authenticate(presented: string): Principal | undefined {
    this.reloadIfChanged(false);
    return authenticateAmong(this.records, presented);
  }

  private reloadIfChanged(force: boolean): void {
    if (!this.file) return;
    const nowMs = Date.now();
    if (!force && nowMs - this.lastCheckMs < 1000) return;
    this.lastCheckMs = nowMs;
    if (!existsSync(this.file)) {
      this.records = [];
      return;
    }
    const mtimeMs = statSync(this.file).mtimeMs;
    if (mtimeMs === this.loadedMtimeMs && !force) return;
    const parsed = TokensFileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
    if (!parsed.success) throw new Error(`${this.file} is not a valid tokens file: ${parsed.error.message}`);
    this.records = parsed.data.tokens;
    this.loadedMtimeMs = mtimeMs;
  }

  private save(): void {
    if (!this.file) return;
    // The data folder holds the ledger and the token hashes: the service's user alone reads it.
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ version: 1, tokens: this.records }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
    this.loadedMtimeMs = statSync(this.file).mtimeMs;
  }
}
