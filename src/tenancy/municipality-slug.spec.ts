import { municipalitySlugOf } from './municipality-slug';

describe(municipalitySlugOf.name, () => {
  it('passes a slug of a–z, 0–9 and - up to 64 characters', () => {
    for (const slug of ['nordby', 'indre-fosen', 'k2', 'a'.repeat(64)])
      expect(municipalitySlugOf(slug)).toBe(slug);
  });

  it.each([
    '',
    'Nordby',
    'nord by',
    'nordby/../x',
    'å-kommune',
    'a'.repeat(65),
    42,
    undefined,
    ['nordby'],
  ])('refuses %j', (value) => expect(municipalitySlugOf(value)).toBeUndefined());
});
