import type { EntityManager } from '@mikro-orm/core';
import type { AppConfig, DatabaseConfig } from '../config/app.config';
import { TenancyService } from './tenancy.service';

function row(phone: string) {
  return {
    id: 'm1',
    slug: 'fjordvik',
    name: 'Fjordvik kommune',
    orgNumber: '999000001',
    contactEmail: 'post@fjordvik.example',
    contactPhone: phone,
    settings: {},
    hostnames: ['fjordvik.example'],
  };
}

/** A TenancyService whose reads of the table wait until the test answers them, in order. */
function tenancy() {
  const answers: ((rows: unknown[]) => void)[] = [];
  const find = jest.fn(() => new Promise<unknown[]>((resolve) => answers.push(resolve)));
  const em = { fork: () => ({ find }) } as unknown as EntityManager;
  const service = new TenancyService(
    em,
    { defaultMunicipality: undefined } as unknown as AppConfig,
    { kind: 'sqlite', url: undefined } as unknown as DatabaseConfig,
  );
  return { service, find, answer: (i: number, phone: string) => answers[i]([row(phone)]) };
}

const phone = async (service: TenancyService) => (await service.bySlug('fjordvik'))?.contactPhone;

describe(TenancyService.name, () => {
  it('reads the table once for all the requests that find the list out of date', async () => {
    const { service, find, answer } = tenancy();
    const asked = [phone(service), phone(service), phone(service)];
    answer(0, '1');
    expect(await Promise.all(asked)).toEqual(['1', '1', '1']);
    expect(await phone(service)).toBe('1');
    expect(find).toHaveBeenCalledTimes(1);
  });

  it('does not keep a read that began before a change was announced', async () => {
    const { service, find, answer } = tenancy();
    const before = phone(service);
    // The change commits, and is announced, while that read is under way.
    service.invalidate();
    const after = phone(service);
    expect(find).toHaveBeenCalledTimes(2);
    answer(0, 'old');
    answer(1, 'new');
    expect(await before).toBe('old');
    expect(await after).toBe('new');
    // The list kept is the one read after the change, so no stale copy lingers for 30 s.
    expect(await phone(service)).toBe('new');
    expect(find).toHaveBeenCalledTimes(2);
  });

  it('keeps nothing when the later read finishes first and the earlier one after it', async () => {
    const { service, answer } = tenancy();
    const before = phone(service);
    service.invalidate();
    const after = phone(service);
    answer(1, 'new');
    expect(await after).toBe('new');
    answer(0, 'old');
    expect(await before).toBe('old');
    expect(await phone(service)).toBe('new');
  });
});
