import { handoverTaskUrl } from './handover-task-url';

describe(handoverTaskUrl, () => {
  it("links to the task on the municipality's own host, with PUBLIC_URL's scheme and port", () => {
    expect(
      handoverTaskUrl(
        'http://localhost:3000',
        { slug: 'fjordvik', hostnames: ['fjordvik.localhost'] },
        'j-1',
      ),
    ).toBe(
      'http://fjordvik.localhost:3000/saksbehandler/tilbakeskriving?kommune=fjordvik#task-j-1',
    );
  });

  it('uses PUBLIC_URL for a municipality without a host name of its own', () => {
    expect(
      handoverTaskUrl('https://minside.example.no/', { slug: 'asdal', hostnames: [] }, 'j-2'),
    ).toBe('https://minside.example.no/saksbehandler/tilbakeskriving?kommune=asdal#task-j-2');
  });
});
