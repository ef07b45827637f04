import { text } from './text.js';

const t = text.treasurer;

/** The treasurer's pages, each reachable from every other; the current one is marked for screen readers. */
const PAGES: ReadonlyArray<{ href: string; label: string }> = [
  { href: '/penningmeester', label: t.navDashboard },
  { href: '/penningmeester/kamers', label: t.navRooms },
  { href: '/penningmeester/invoeren', label: t.navForms },
];

export function TreasurerNav({ current }: { readonly current: string }) {
  return (
    <nav aria-label={t.nav} class="treasurer-nav no-print">
      <ul class="treasurer-nav__list">
        {PAGES.map(({ href, label }) => (
          <li>
            <a class="utrecht-link" href={href} {...(href === current ? { 'aria-current': 'page' as const } : {})}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
