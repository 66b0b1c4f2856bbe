import { Inject, Injectable } from '@nestjs/common';
import { type DigitalPostConfig, digitalPostConfig } from './digital-post.config';
import { DigitalPostError } from './digital-post.errors';
import {
  LETTER_SECRETS,
  LetterSettingsError,
  type SecretLookup,
  svarUtSettingsOf,
} from './letter-settings';
import { MaskinportenClient } from './maskinporten.client';

export type TokenTestResult = { ok: true } | { ok: false; code: string; line?: string };

/**
 * The operators' "test": asks Maskinporten for a token with the municipality's settings as
 * stored, so a wrong key, client id or audience shows before a letter waits on it. Sends no letter;
 * a client of its own, so the test never reuses (or leaves) a cached token.
 */
@Injectable()
export class LetterChannelTest {
  constructor(
    @Inject(LETTER_SECRETS) private readonly secrets: SecretLookup,
    @Inject(digitalPostConfig.KEY) private readonly config: DigitalPostConfig,
  ) {}

  async token(slug: string, settings: Record<string, unknown>): Promise<TokenTestResult> {
    try {
      const svarut = svarUtSettingsOf(slug, settings, this.secrets);
      await new MaskinportenClient(this.config.timeoutMs).token(svarut.maskinporten);
      return { ok: true };
    } catch (error) {
      if (error instanceof LetterSettingsError)
        return { ok: false, code: 'not-configured', line: error.message };
      if (error instanceof DigitalPostError) return { ok: false, code: error.code };
      throw error;
    }
  }
}
