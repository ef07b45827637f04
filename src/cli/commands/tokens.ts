import { parseArgs } from 'node:util';
import { ROLES, TokenRegistry, type Role } from '../../auth/tokens.js';
import { SignInLinks } from '../../auth/sign-in-links.js';
import type { CliCommand } from '../command.js';

export const tokensCommand: CliCommand = {
  name: 'tokens',
  summary: 'create, list and revoke bearer tokens',
  usage: [
    'tokens create --role treasurer|accountant|financier|teamleader|kascommissie [--scope <financier or kamer id>] [--name <who>]',
    'tokens link --role <role> [--scope <financier or kamer id>] [--name <who>]   (a one-time sign-in link for the pages)',
    'tokens list',
    'tokens revoke <id or id prefix>',
  ].join('\n       '),
  async run(args, { config, out, err }) {
    const [action, ...rest] = args;
    const tokens = TokenRegistry.open(config.tokensFile);
    switch (action) {
      case 'create': {
        const values = tokenOptions(rest, err);
        if (!values) return 2;
        const { token, record } = tokens.create({
          role: values.role,
          ...(values.scope ? { scope: values.scope } : {}),
          ...(values.name ? { name: values.name } : {}),
        });
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
        const { record } = tokens.create({
          role: values.role,
          ...(values.scope ? { scope: values.scope } : {}),
          name: values.name ?? 'sign-in link',
        });
        const now = new Date();
        const code = SignInLinks.open(config.signInLinksFile).create(record.id, now, config.SIGN_IN_LINK_MINUTES);
        err(`token ${record.id} (${record.role}${record.scope ? `:${record.scope}` : ''}); the link works once, for ${config.SIGN_IN_LINK_MINUTES} minutes:`);
        out(`http://${config.HOST}:${config.PORT}/inloggen/${code}`);
        return 0;
      }
      case 'list':
        for (const record of tokens.list()) {
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
        const revoked = tokens.revoke(id);
        out(`revoked ${revoked.id}`);
        return 0;
      }
      default:
        err(`usage: ${tokensCommand.usage}`);
        return 2;
    }
  },
};

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
