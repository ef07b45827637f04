import type { FastifyReply } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { nl } from './text/nl.js';

export interface LayoutProps {
  readonly title: string;
  /** Shown in the header with a sign-out form; absent on the sign-in pages. */
  readonly signedInAs?: string;
  /** The CSRF token for the sign-out form. */
  readonly csrfToken?: string;
  readonly children: ComponentChildren;
}

/** Every page: the NL Design System's Utrecht components under the neutral voorbeeld theme. */
export function Layout({ title, signedInAs, csrfToken, children }: LayoutProps) {
  return (
    <html lang="nl">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${nl.site.name}`}</title>
        <link rel="stylesheet" href="/static/tokens/theme.css" />
        <link rel="stylesheet" href="/static/utrecht/index.css" />
        <link rel="stylesheet" href="/static/pages.css" />
      </head>
      <body class="voorbeeld-theme utrecht-document utrecht-document--surface">
        <a class="utrecht-link skip-link" href="#inhoud">
          {nl.site.skipToContent}
        </a>
        <header class="page-header">
          <p class="utrecht-paragraph page-header__name">
            {nl.site.name} · {nl.site.ledger}
          </p>
          {signedInAs !== undefined && (
            <form method="post" action="/uitloggen" class="page-header__sign-out no-print">
              <span class="utrecht-paragraph">{nl.site.signedInAs(signedInAs)}</span>{' '}
              <input type="hidden" name="_csrf" value={csrfToken ?? ''} />
              <button type="submit" class="utrecht-button utrecht-button--secondary-action">
                {nl.site.signOut}
              </button>
            </form>
          )}
        </header>
        <main id="inhoud" class="page-main">
          <h1 class="utrecht-heading-1">{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

/** Server rendering: preact escapes every text and attribute, so a name cannot become markup. */
export function renderPage(page: VNode): string {
  return `<!doctype html>${renderToString(page)}`;
}

/** Pages are personal: never cached by a browser or a proxy. */
export function sendHtml(reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}
