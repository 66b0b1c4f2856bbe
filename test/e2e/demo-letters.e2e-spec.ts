import { demoLettersChoice, startDemoLetters, type DemoLetters } from '../../dev/demo-letters';
import { LetterChannelTest } from '../../src/digital-post';
import { Municipality } from '../../src/tenancy/municipality.entity';
import { createMunicipality } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

/** `DEMO_LETTERS=svarut npm start`: the demo municipalities send decisions to the SvarUt stand-in. */
describe('Demo letters (e2e)', () => {
  let letters: DemoLetters | undefined;
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    await letters?.close();
    t = undefined;
    letters = undefined;
  });

  it('reads DEMO_LETTERS: unset is email, an unknown value is one line to stop with', () => {
    expect(demoLettersChoice(undefined)).toBe('email');
    expect(demoLettersChoice(' svarut ')).toBe('svarut');
    expect(() => demoLettersChoice('fax')).toThrow(
      'DEMO_LETTERS must be one of email, svarut (or unset for email), got "fax"',
    );
  });

  it('svarut: every municipality sends to the stand-in, whose Maskinporten accepts the demo key; email undoes it', async () => {
    letters = await startDemoLetters('svarut');
    t = await startTestApp(letters.env);
    const m = await createMunicipality(t.em(), { slug: 'demo-letters' });
    await letters.configure(t.app);
    const row = await t.em().findOneOrFail(Municipality, m.id);
    expect(row.settings.letters).toMatchObject({ channel: 'svarut' });
    expect(await t.app.get(LetterChannelTest).token(row.slug, { ...row.settings })).toEqual({
      ok: true,
    });
    const url = /at (http:\/\/127\.0\.0\.1:\d+);/.exec(letters.line)?.[1];
    expect(await (await fetch(`${url}/admin/forsendelser`)).json()).toEqual([]);

    await startDemoLetters('email').then((email) => email.configure(t!.app));
    expect((await t.em().findOneOrFail(Municipality, m.id)).settings.letters).toBeUndefined();
  });
});
