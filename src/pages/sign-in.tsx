import { Field, Notice } from './forms/fields.js';
import { Layout } from './layout.js';
import { nl } from './text/nl.js';

export interface SignInProps {
  readonly csrfToken: string;
  /** A Dutch message: why the last attempt was refused. */
  readonly error?: string;
  /** A Dutch message: e.g. "U bent uitgelogd." */
  readonly notice?: string;
  /** Where to go after signing in (a local path). */
  readonly back?: string;
}

export function SignInPage({ csrfToken, error, notice, back }: SignInProps) {
  return (
    <Layout title={nl.signIn.title}>
      <Notice notice={notice} />
      <p class="utrecht-paragraph">{nl.signIn.intro}</p>
      <form method="post" action="/inloggen" class="utrecht-form">
        <input type="hidden" name="_csrf" value={csrfToken} />
        {back !== undefined && <input type="hidden" name="terug" value={back} />}
        <Field name="token" label={nl.signIn.tokenLabel} hint={nl.signIn.tokenDescription} state={{ values: {}, errors: error === undefined ? {} : { token: error } }} type="password" autoComplete="off" required />
        <p>
          <button type="submit" class="utrecht-button utrecht-button--primary-action">
            {nl.signIn.submit}
          </button>
        </p>
      </form>
    </Layout>
  );
}

export interface MessageProps {
  readonly title: string;
  readonly message: string;
  readonly signedInAs?: string;
  readonly csrfToken?: string;
  readonly links?: ReadonlyArray<{ href: string; text: string }>;
}

/** A page with one message: an error, a refused link, the start page of a role without pages yet. */
export function MessagePage({ title, message, signedInAs, csrfToken, links = [] }: MessageProps) {
  return (
    <Layout title={title} {...(signedInAs === undefined ? {} : { signedInAs })} {...(csrfToken === undefined ? {} : { csrfToken })}>
      <p class="utrecht-paragraph">{message}</p>
      {links.length > 0 && (
        <ul class="utrecht-unordered-list">
          {links.map((link) => (
            <li class="utrecht-unordered-list__item">
              <a class="utrecht-link" href={link.href}>
                {link.text}
              </a>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
