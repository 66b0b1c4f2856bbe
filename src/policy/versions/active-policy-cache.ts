import type { ActivePolicy } from './active-policy';

/**
 * The active version per municipality, held in memory so a decision costs no extra round trip.
 * Whoever learns of a change (an activation in this process, a notification from another) calls
 * `invalidate`; while changes cannot be heard at all (`setTrusted(false)`: the listener is down),
 * every `get` reads afresh, so a missed notification never leaves an old version in force.
 *
 * A read that began before an invalidation is answered but not kept: otherwise it could put the
 * old version back after the new one was announced.
 */
export class ActivePolicyCache {
  private readonly entries = new Map<string, ActivePolicy>();
  private readonly reading = new Map<string, { generation: number; read: Promise<ActivePolicy> }>();
  private generation = 0;
  private trusted = true;

  constructor(private readonly load: (municipalityId: string) => Promise<ActivePolicy>) {}

  get(municipalityId: string): Promise<ActivePolicy> {
    if (this.trusted) {
      const known = this.entries.get(municipalityId);
      if (known) return Promise.resolve(known);
      const inFlight = this.reading.get(municipalityId);
      if (inFlight && inFlight.generation === this.generation) return inFlight.read;
    }
    return this.read(municipalityId);
  }

  invalidate(municipalityId: string): void {
    this.generation++;
    this.entries.delete(municipalityId);
  }

  invalidateAll(): void {
    this.generation++;
    this.entries.clear();
  }

  /** false while changes made elsewhere cannot be heard; true again once they can (after a re-read). */
  setTrusted(trusted: boolean): void {
    if (trusted === this.trusted) return;
    this.trusted = trusted;
    this.invalidateAll();
  }

  private read(municipalityId: string): Promise<ActivePolicy> {
    const generation = this.generation;
    const read = this.load(municipalityId).then(
      (active) => {
        this.forget(municipalityId, read);
        if (this.trusted && generation === this.generation)
          this.entries.set(municipalityId, active);
        return active;
      },
      (error: unknown) => {
        this.forget(municipalityId, read);
        throw error;
      },
    );
    this.reading.set(municipalityId, { generation, read });
    return read;
  }

  private forget(municipalityId: string, read: Promise<ActivePolicy>): void {
    if (this.reading.get(municipalityId)?.read === read) this.reading.delete(municipalityId);
  }
}
