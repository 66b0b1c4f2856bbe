/** A `policy.activated` entry of a municipality's chain, as the history reads it. */
export interface Activation {
  seq: number;
  versionId: string;
  at: Date;
  /** `seed:<file>`, or the person who put it in force (the approver of its draft). */
  by: string;
}

/** A `policy.published` entry: a draft's approval, appended right after the activation it made. */
export interface Publication {
  seq: number;
  versionId: string;
  draftId: string;
}

/** A stretch of time a version was in force; `to` is null while it still is. */
export interface PeriodInForce {
  from: Date;
  to: Date | null;
  by: string;
  /** The draft whose approval began it (a rollback's, for a version back in force), if any. */
  draftId: string | null;
}

/**
 * Each version's periods in force, from one municipality's activations in chain order: a period
 * runs from its activation to the next activation of another version (an activation of the
 * version already in force changes nothing). A version rolled back to has one period per time.
 * An approval's entry follows its activation's in the same transaction (the chain head is locked
 * from one to the other), so the publication at `seq + 1` naming the same version is its draft.
 */
export function periodsInForce(
  activations: readonly Activation[],
  publications: readonly Publication[] = [],
): Map<string, PeriodInForce[]> {
  const draftAt = new Map(publications.map((p) => [p.seq, p]));
  const ordered = [...activations].sort((a, b) => a.seq - b.seq);
  const periods = new Map<string, PeriodInForce[]>();
  let current: PeriodInForce | undefined;
  let currentVersion: string | undefined;
  for (const activation of ordered) {
    if (activation.versionId === currentVersion) continue;
    if (current) current.to = activation.at;
    const published = draftAt.get(activation.seq + 1);
    current = {
      from: activation.at,
      to: null,
      by: activation.by,
      draftId: published?.versionId === activation.versionId ? published.draftId : null,
    };
    currentVersion = activation.versionId;
    periods.set(currentVersion, [...(periods.get(currentVersion) ?? []), current]);
  }
  return periods;
}
