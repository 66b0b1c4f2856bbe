import { DEMO_RESIDENTS } from '../demo-residents';
import { renderErrorPage, renderLoginPage, type LoginPageModel } from './login-page';

const model = (overrides: Partial<LoginPageModel> = {}): LoginPageModel => ({
  locale: 'nb',
  clientId: 'portal',
  loginAction: '/interaction/abc/login',
  abortAction: '/interaction/abc/abort',
  residents: DEMO_RESIDENTS,
  requiredLevel: 'idporten-loa-substantial',
  values: {},
  errors: {},
  ...overrides,
});

/** The start tag of the element with this id, attributes on one line. */
function tagWithId(html: string, id: string): string {
  const tag = new RegExp(`<[a-z]+\\s[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0] ?? '';
  return tag.replace(/\s+/g, ' ');
}

/** Every id named by aria-describedby or an error-summary link exists on the page. */
function danglingReferences(html: string): string[] {
  const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  const described = [...html.matchAll(/aria-describedby="([^"]+)"/g)].flatMap((m) =>
    m[1].split(' '),
  );
  const linked = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
  return [...described, ...linked].filter((id) => !ids.has(id));
}

describe('renderLoginPage', () => {
  it('escapes what the client and the tester sent', () => {
    const html = renderLoginPage(
      model({
        clientId: '<script>x</script>',
        values: { pid: '"><img src=x>' },
        errors: { pid: 'pidInvalid' },
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).toContain('value="&quot;&gt;&lt;img src=x&gt;"');
  });

  it('checks the level the client asked for and the resident picked last time', () => {
    const html = renderLoginPage(
      model({ requiredLevel: 'idporten-loa-high', values: { resident: DEMO_RESIDENTS[2].pid } }),
    );
    expect(tagWithId(html, 'acr-idporten-loa-high')).toContain(' checked');
    expect(tagWithId(html, 'acr-idporten-loa-substantial')).not.toContain(' checked');
    expect(tagWithId(html, 'resident-2')).toContain(`value="${DEMO_RESIDENTS[2].pid}" checked`);
  });

  it('links every error to its field and summary', () => {
    const html = renderLoginPage(
      model({ errors: { pid: 'pidMissing', acr: 'levelTooLow' }, values: { acr: 'bogus' } }),
    );
    expect(tagWithId(html, 'pid')).toContain(
      'aria-describedby="pid-hint pid-error" aria-invalid="true"',
    );
    expect(html).toMatch(/<fieldset[^>]*aria-describedby="acr-hint acr-error"/);
    expect(danglingReferences(html)).toEqual([]);
  });

  it('marks the English scenarios as English on a Norwegian page, and not on an English one', () => {
    expect(renderLoginPage(model({ locale: 'nn' }))).toMatch(/class="scenario"\s+lang="en"/);
    const english = renderLoginPage(model({ locale: 'en' }));
    expect(english).toContain('<html lang="en" data-color-scheme="auto">');
    expect(english).not.toMatch(/class="scenario"\s+lang=/);
    expect(english).toMatch(/>\s*Cancel\s*<\/button>/);
  });

  it('has no script and no inline style', () => {
    const html = renderLoginPage(model({ errors: { pid: 'pidInvalid' } }));
    expect(html).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
  });
});

describe('renderErrorPage', () => {
  it('shows the error code and escaped description', () => {
    const html = renderErrorPage('en', 'invalid_request', 'bad <redirect_uri>');
    expect(html).toContain('<code>invalid_request</code>');
    expect(html).toContain('bad &lt;redirect_uri&gt;');
  });
});
