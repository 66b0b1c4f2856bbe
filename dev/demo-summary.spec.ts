import { DEMO_EXAMPLE_PID, DEMO_RESIDENTS } from './demo-residents';
import { DEMO_STAFF } from './demo-staff';
import { demoSummary, type DemoSummary } from './demo-summary';

const summary = (overrides: Partial<DemoSummary> = {}): DemoSummary => ({
  municipalities: [
    { slug: 'fjordvik', name: 'Fjordvik kommune', url: 'http://localhost:3000' },
    { slug: 'asdal', name: 'Åsdal kommune', url: 'http://asdal.localhost:3000' },
  ],
  testLogin: 'http://localhost:3001',
  residents: DEMO_RESIDENTS,
  staff: DEMO_STAFF,
  examplePid: DEMO_EXAMPLE_PID,
  database: 'data/minside-faktura.sqlite',
  ...overrides,
});

describe(demoSummary, () => {
  it('says where to go: each municipality, its staff pages and the test login', () => {
    const text = demoSummary(summary());
    expect(text).toContain(
      '  Fjordvik  http://localhost:3000  (staff: http://localhost:3000/saksbehandler)',
    );
    expect(text).toContain(
      '  Åsdal     http://asdal.localhost:3000  (staff: http://asdal.localhost:3000/saksbehandler)',
    );
    expect(text).toContain('Test login (not ID-porten): http://localhost:3001');
  });

  it('names every resident with their municipality, number and story, and the example number', () => {
    const text = demoSummary(summary());
    for (const r of DEMO_RESIDENTS) {
      const line = text.split('\n').find((l) => l.includes(r.pid))!;
      expect(line).toContain(r.name);
      expect(line).toContain(r.scenario);
      expect(line).toContain(r.municipality === 'asdal' ? 'Åsdal' : 'Fjordvik');
    }
    expect(text).toContain(`Or type ${DEMO_EXAMPLE_PID}: a valid number with no invoices.`);
    for (const s of DEMO_STAFF) expect(text).toContain(`${s.name}`);
  });

  it('is short plain text: no colour codes, no JSON, about a screen', () => {
    const text = demoSummary(summary());
    expect(text).not.toMatch(/\u001b\[|^\{/m);
    expect(text.split('\n').length).toBeLessThanOrEqual(25);
  });

  it('leaves out the test login and its people when a real provider is configured', () => {
    const text = demoSummary(summary({ testLogin: undefined }));
    expect(text).not.toContain('Test login');
    expect(text).not.toContain(DEMO_RESIDENTS[0].pid);
    expect(text).toContain('http://asdal.localhost:3000');
  });
});
