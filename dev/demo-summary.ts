import type { DemoResident } from './demo-residents';
import type { DemoStaffMember } from './demo-staff';

export interface DemoSummary {
  /** Each demo municipality's name and the address its residents open. */
  municipalities: readonly { slug: string; name: string; url: string }[];
  /** The embedded test login's address; absent when a real provider is configured. */
  testLogin?: string;
  residents: readonly DemoResident[];
  staff: readonly DemoStaffMember[];
  examplePid: string;
  /** Where the demo keeps its data, to say how to start over. */
  database: string;
}

/**
 * The few lines `npm start` ends with: where to go, who to log in as and what each shows. Plain
 * text, no colour, so it reads the same in any terminal and in a CI log.
 */
export function demoSummary(summary: DemoSummary): string {
  const width = (names: readonly string[]) => Math.max(...names.map((n) => n.length));
  const nameOf = (slug: string) =>
    summary.municipalities.find((m) => m.slug === slug)?.name.replace(/ kommune$/, '') ?? slug;
  const placeWidth = width(summary.municipalities.map((m) => nameOf(m.slug)));
  const lines = ['', 'minside-faktura demo is running. Open:'];
  for (const m of summary.municipalities)
    lines.push(`  ${nameOf(m.slug).padEnd(placeWidth)}  ${m.url}  (staff: ${m.url}/saksbehandler)`);
  if (summary.testLogin) {
    lines.push(`  Test login (not ID-porten): ${summary.testLogin}`, '');
    lines.push('Residents, each on the test login of the municipality they live in:');
    const nameWidth = width(summary.residents.map((r) => r.name));
    for (const r of summary.residents)
      lines.push(
        `  ${nameOf(r.municipality).padEnd(placeWidth)}  ${r.name.padEnd(nameWidth)}  ${r.pid}  ${r.scenario}`,
      );
    lines.push(`  Or type ${summary.examplePid}: a valid number with no invoices.`, '');
    lines.push("Staff, on the test login's staff page (after /saksbehandler):");
    const staffWidth = width(summary.staff.map((s) => s.name));
    for (const s of summary.staff) lines.push(`  ${s.name.padEnd(staffWidth)}  ${s.scenario}`);
  }
  lines.push('', `Data: ${summary.database} (delete it to start over). Ctrl+C stops the demo.`, '');
  return lines.join('\n');
}
