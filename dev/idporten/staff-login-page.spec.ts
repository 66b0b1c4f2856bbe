import { DEMO_STAFF } from '../demo-staff';
import { renderStaffLoginPage, type StaffLoginPageModel } from './staff-login-page';

const model = (overrides: Partial<StaffLoginPageModel> = {}): StaffLoginPageModel => ({
  locale: 'nb',
  clientId: 'portal-staff',
  loginAction: '/interaction/abc/login',
  abortAction: '/interaction/abc/abort',
  staff: DEMO_STAFF,
  ...overrides,
});

describe('renderStaffLoginPage', () => {
  it('offers every demo member of staff, nothing to type', () => {
    const html = renderStaffLoginPage(model());
    for (const member of DEMO_STAFF) expect(html).toContain(`value="${member.persona}"`);
    expect(html).not.toContain('name="pid"');
  });

  it('escapes what the client sent', () => {
    const html = renderStaffLoginPage(model({ clientId: '<script>x</script>' }));
    expect(html).not.toContain('<script>x');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
  });

  it('explains a missing choice with a summary linking to the first choice', () => {
    const html = renderStaffLoginPage(model({ locale: 'en', missing: true }));
    expect(html).toContain('<title>Error: Log in as staff (test)</title>');
    expect(html).toContain('href="#staff-0"');
    expect(html).toContain('id="staff-0"');
    expect(html).toContain('aria-describedby="staff-error"');
    expect(html).toContain('id="staff-error"');
  });
});
