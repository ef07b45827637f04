import { parseArgs } from 'node:util';
import { ROLES, type Role, type TokenAdmin } from '../../auth/tokens.js';
import { openConfiguredTokens } from '../../auth/open-tokens.js';
import type { SignInLinkStore } from '../../auth/sign-in-links.js';
import type { CliCommand, CliContext } from '../command.js';

export const tokensCommand: CliCommand = {
  name: 'tokens',
  summary: 'create, list and revoke bearer tokens',
  usage: [
    'tokens create --role treasurer|accountant|financier|teamleader|kascommissie [--scope <financier or kamer id>] [--name <who>]',
    'tokens link --role <role> [--scope <financier or kamer id>] [--name <who>]   (a one-time sign-in link for the pages)',
    'tokens list',
    'tokens revoke <id or id prefix>',
  ].join('\n       '),
  async run(args, context) {
    const [action, ...rest] = args;
    // The tokens file next to a SQLite ledger, or the node's tokens stream when EVENTSTORE_URL is set.
    const opened = await openConfiguredTokens(context.config);
    try {
      return await runTokensAction(action, rest, opened.tokens, opened.signInLinks, context);
    } finally {
      await opened.close();
    }
  },
};

/** One `tokens` action against whichever registry and links the configuration opened (a test hands in its own). */
export async function runTokensAction(
  action: string | undefined,
  rest: readonly string[],
  tokens: TokenAdmin,
  links: SignInLinkStore,
  { config, out, err }: CliContext,
): Promise<number> {
  switch (action) {
    case 'create': {
      const values = tokenOptions(rest, err);
      if (!values) return 2;
      const { token, record } = await tokens.create(values);
      out(`created token ${record.id} (${record.role}${record.scope ? `:${record.scope}` : ''})`);
      out('the token is shown only this once:');
      out(token);
      return 0;
    }
    case 'link': {
      const values = tokenOptions(rest, err);
      if (!values) return 2;
      // A token of its own, whose secret nobody sees: the link signs in as it, and revoking it
      // (tokens revoke <id>) ends the sessions it opened.
      const { record } = await tokens.create({ ...values, name: values.name ?? 'sign-in link' });
      const code = await links.create(record.id, new Date(), config.SIGN_IN_LINK_MINUTES);
      err(`token ${record.id} (${record.role}${record.scope ? `:${record.scope}` : ''}); the link works once, for ${config.SIGN_IN_LINK_MINUTES} minutes:`);
      out(`http://${config.HOST}:${config.PORT}/inloggen/${code}`);
      return 0;
    }
    case 'list':
      for (const record of await tokens.list()) {
        const scope = record.scope ? `:${record.scope}` : '';
        out(`${record.id}  ${record.role}${scope}  ${record.name ?? ''}  created ${record.createdAt}${record.revokedAt ? `  REVOKED ${record.revokedAt}` : ''}`);
      }
      return 0;
    case 'revoke': {
      const id = rest[0];
      if (!id) {
        err('usage: tokens revoke <id>');
        return 2;
      }
      const revoked = await tokens.revoke(id);
      out(`revoked ${revoked.id}`);
      return 0;
    }
    default:
      err(`usage: ${tokensCommand.usage}`);
      return 2;
  }
}

/** `--role`, `--scope` and `--name`, as `tokens create` and `tokens link` both take them; undefined after an error was said. */
function tokenOptions(args: readonly string[], err: (line: string) => void): { role: Role; scope?: string; name?: string } | undefined {
  const { values } = parseArgs({
    args: [...args],
    options: { role: { type: 'string' }, scope: { type: 'string' }, name: { type: 'string' } },
    strict: true,
  });
  if (!values.role || !(ROLES as readonly string[]).includes(values.role)) {
    err(`--role must be one of ${ROLES.join(', ')}`);
    return undefined;
  }
  return { role: values.role as Role, ...(values.scope ? { scope: values.scope } : {}), ...(values.name ? { name: values.name } : {}) };
}
