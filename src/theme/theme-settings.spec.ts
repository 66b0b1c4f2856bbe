import { themeSettingsOf } from './theme-settings';

const LOGOS = new Set(['fjordvik.svg', 'asdal.png']);
const of = (settings: Record<string, unknown>) =>
  themeSettingsOf({ slug: 'bergvik', settings }, (file) => LOGOS.has(file));

describe('themeSettingsOf', () => {
  it('is empty when the municipality has no theme', () => {
    expect(of({})).toEqual({ ok: true, settings: {} });
    expect(of({ theme: {} })).toEqual({ ok: true, settings: {} });
  });

  it('reads the brand colour (in lower case) and a logo that exists', () => {
    expect(of({ theme: { brandColor: '#0B5E7A', logo: 'fjordvik.svg' } })).toEqual({
      ok: true,
      settings: { brandColor: '#0b5e7a', logo: 'fjordvik.svg' },
    });
    expect(of({ theme: { logo: 'asdal.png' } })).toEqual({
      ok: true,
      settings: { logo: 'asdal.png' },
    });
  });

  it.each([
    [{ theme: 'blue' }, /^municipality bergvik: settings\.theme must be an object .*, got "blue"$/],
    [
      { theme: { brandColour: '#0b5e7a' } },
      /settings\.theme has a key it does not know: "brandColour" \(known: brandColor, logo\)$/,
    ],
    [
      { theme: { brandColor: 'blue' } },
      /settings\.theme\.brandColor must be a colour written #rrggbb, got "blue"$/,
    ],
    [
      { theme: { brandColor: '#fff' } },
      /settings\.theme\.brandColor must be a colour written #rrggbb/,
    ],
    [
      { theme: { brandColor: 42 } },
      /settings\.theme\.brandColor must be a colour written #rrggbb, got 42$/,
    ],
    [
      { theme: { logo: '../secret.svg' } },
      /settings\.theme\.logo must be the name of an \.svg or \.png file in public\/logos\/, got "\.\.\/secret\.svg"$/,
    ],
    [
      { theme: { logo: 'fjordvik.gif' } },
      /settings\.theme\.logo must be the name of an \.svg or \.png file/,
    ],
    [
      { theme: { logo: 'missing.svg' } },
      /^municipality bergvik: settings\.theme\.logo names public\/logos\/missing\.svg, which does not exist$/,
    ],
  ])('refuses %j with one line naming the municipality and the setting', (settings, expected) => {
    const result = of(settings);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toMatch(expected);
    expect(result.problem).not.toContain('\n');
  });
});
