import { createHmac, randomBytes } from 'node:crypto';
import type { Account } from 'oidc-provider';
import type { UiLocale } from './idporten.constants';

interface SignedInResident {
  pid: string;
  locale: UiLocale;
}

/**
 * Who has logged in, by account id. ID-porten's `sub` is opaque, never the identity number, so the
 * account id is an HMAC of the number under a key that lives as long as the provider.
 */
export class ResidentAccounts {
  private readonly key = randomBytes(32);
  private readonly residents = new Map<string, SignedInResident>();

  /** Records the login and returns the account id (`sub`). The locale is the last login's. */
  signIn(pid: string, locale: UiLocale): string {
    const accountId = createHmac('sha256', this.key).update(pid).digest('base64url');
    this.residents.set(accountId, { pid, locale });
    return accountId;
  }

  /** oidc-provider's `findAccount`: the claims ID-porten issues (`pid`, `locale`). */
  readonly findAccount = async (_ctx: unknown, sub: string): Promise<Account | undefined> => {
    const resident = this.residents.get(sub);
    if (!resident) return undefined;
    return { accountId: sub, claims: () => ({ sub, pid: resident.pid, locale: resident.locale }) };
  };
}
