import type { Account } from 'oidc-provider';
import type { DemoStaffMember } from '../demo-staff';

/**
 * The members of staff the staff client's login page offers, by account id (their fixed `sub`).
 * Their ID tokens carry `name` and both kinds of role claim (`roles`, `groups`), as a
 * municipality's provider (Entra ID with app roles or group claims) would.
 */
export class StaffAccounts {
  private readonly bySubject: ReadonlyMap<string, DemoStaffMember>;

  constructor(readonly members: readonly DemoStaffMember[]) {
    this.bySubject = new Map(members.map((m) => [m.subject, m]));
  }

  /** The account id of a persona offered on the page, or undefined for anything else. */
  accountIdOf(persona: unknown): string | undefined {
    return this.members.find((m) => m.persona === persona)?.subject;
  }

  has(accountId: unknown): boolean {
    return typeof accountId === 'string' && this.bySubject.has(accountId);
  }

  readonly findAccount = (sub: string): Account | undefined => {
    const member = this.bySubject.get(sub);
    if (!member) return undefined;
    return {
      accountId: sub,
      claims: () => ({
        sub,
        name: member.name,
        roles: [...member.roles],
        groups: [...member.groups],
      }),
    };
  };
}
