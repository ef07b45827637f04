/**
 * What the page tests share: a world with two financiers (each with a paid and an overdue
 * invoice, put in through the HTTP commands), and a small cookie-keeping client over app.inject
 * that behaves as a browser does with the session cookie.
 */
import type { Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { setCooperative, setFinancierDetails } from '../http/parties.fixtures.js';

export interface PageWorld {
  readonly api: TestApp;
  readonly mitrosInvoice: { id: string; number: string };
  readonly portaalInvoice: { id: string; number: string };
}

async function ok(api: TestApp, url: string, body: unknown, method: 'POST' | 'PUT' = 'POST'): Promise<Record<string, unknown>> {
  const response = await api.request(api.tokens.treasurer, { method, url, payload: body as object });
  if (response.statusCode !== 201) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

export async function pageWorld(t: Test, options: { mitrosName?: string } = {}): Promise<PageWorld> {
  const api = await createTestApp(t, { start: '2020-01-10T10:00:00Z' });
  await ok(api, '/kamers', { id: 'top', name: 'TOP' });
  await ok(api, '/financiers', { id: 'portaal', name: 'Portaal', kind: 'housing-corporation', pays: 'invoice' });
  await ok(api, '/financiers', { id: 'mitros', name: options.mitrosName ?? 'Mitros', kind: 'housing-corporation', pays: 'invoice' });
  // The invoice PDFs need both parties' details on the invoice.
  await setCooperative(api);
  await setFinancierDetails(api, 'mitros', { address: { street: 'Proefweg 1', postcode: '9999 ZZ', city: 'Proefstad' } });
  await ok(api, '/pledges', { financier: 'mitros', kamer: 'top', year: 2020, amount: '3000.00', form: 'cash', status: 'committed', reference: 'MIT-2020-7' });
  await ok(api, '/pledges', { financier: 'mitros', kamer: 'top', year: 2020, amount: '400.00', form: 'in-kind', status: 'proposed' });
  await ok(api, '/pledges', { financier: 'portaal', kamer: 'top', year: 2020, amount: '5000.00', form: 'cash', status: 'committed' });
  const invoice = async (financier: string, amount: string) => {
    const issued = await ok(api, '/invoices', { financier, kamer: 'top', year: 2020, issueDate: '2020-01-10', lines: [{ description: 'Bijdrage', amount }] });
    return { id: issued.id as string, number: issued.number as string };
  };
  const mitrosPaid = await invoice('mitros', '1234.50');
  const mitrosInvoice = await invoice('mitros', '200.00');
  const portaalInvoice = await invoice('portaal', '999.00');
  // Mid-March: the 200.00 invoice is past its due date (7 February), so it is overdue.
  api.clock.set('2020-03-15T10:00:00Z');
  await ok(api, '/payments/received', { date: '2020-01-20', amount: '1234.50', payerName: 'Mitros', allocations: [{ invoice: mitrosPaid.id, amount: '1234.50' }] });
  return { api, mitrosInvoice, portaalInvoice };
}

/** The hidden CSRF field of the page's (first) form. */
export function csrfTokenIn(html: string): string {
  const token = /name="_csrf" value="([^"]*)"/.exec(html)?.[1];
  if (!token) throw new Error('no _csrf field in the page');
  return token;
}

/** A browser's worth of cookie handling over app.inject: keeps the session cookie it is given. */
export class PageClient {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly api: TestApp) {}

  get hasSessionCookie(): boolean {
    return this.cookies.has('bwk_sessie');
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.keep(await this.api.app.inject({ method: 'GET', url, headers: this.cookieHeader() }));
  }

  async postForm(url: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.api.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams(fields).toString(),
        headers: { ...this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
  }

  /** Posts a multipart form (as a browser sends a file upload): text fields and one file. */
  async postMultipart(url: string, fields: Record<string, string>, file: { field: string; name: string; type?: string; content: string | Buffer }): Promise<LightMyRequestResponse> {
    const boundary = `----bwk-test-${Date.now()}`;
    const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
    const fileHead = `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'text/csv'}\r\n\r\n`;
    const payload = Buffer.concat([Buffer.from(parts.join('') + fileHead), Buffer.from(file.content), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    return this.keep(
      await this.api.app.inject({ method: 'POST', url, payload, headers: { ...this.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` } }),
    );
  }

  /** Opens the sign-in page and pastes the token into its form. */
  async signInWithToken(token: string): Promise<LightMyRequestResponse> {
    const form = await this.get('/inloggen');
    return this.postForm('/inloggen', { token, _csrf: csrfTokenIn(form.body) });
  }

  /** Signs out through the form on a signed-in page. */
  async signOut(fromPage = '/financier'): Promise<LightMyRequestResponse> {
    const page = await this.get(fromPage);
    return this.postForm('/uitloggen', { _csrf: csrfTokenIn(page.body) });
  }

  private cookieHeader(): Record<string, string> {
    return this.cookies.size === 0 ? {} : { cookie: [...this.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ') };
  }

  private keep(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = cookie.value === '' || cookie.maxAge === 0 || (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now());
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }
}
