/** Annotation on the active (blue/green) or canary Service: the state the router last applied, as JSON. */
export const recordedTrafficAnnotation = 'gradual.dev/traffic';

/** What the router last applied, kept on a Service so that `observe` can read back a weight no selector shows. */
export interface RecordedTraffic {
  /** The weight the engine asked for (carried by the replica split in a canary). */
  canaryWeight: number;
  /** The revision the stable (or active) Service was asked to select. */
  stableRevision?: string | undefined;
  /** The revision the canary (or preview) Service was asked to select. */
  canaryRevision?: string | undefined;
}

/** The annotation's value for `state`, keys in one order so that an unchanged state is an unchanged string. */
export function formatRecordedTraffic(state: RecordedTraffic): string {
  return JSON.stringify({
    canaryWeight: state.canaryWeight,
    ...(state.stableRevision ? { stableRevision: state.stableRevision } : {}),
    ...(state.canaryRevision ? { canaryRevision: state.canaryRevision } : {}),
  });
}

/** Reads the annotation back; undefined when it is missing or not what the router writes (edited by hand). */
export function parseRecordedTraffic(value: string | undefined): RecordedTraffic | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    const weight = parsed.canaryWeight;
    if (typeof weight !== 'number' || !(weight >= 0 && weight <= 100)) return undefined;
    const text = (field: unknown) => (typeof field === 'string' && field ? field : undefined);
    const stableRevision = text(parsed.stableRevision);
    const canaryRevision = text(parsed.canaryRevision);
    return {
      canaryWeight: weight,
      ...(stableRevision ? { stableRevision } : {}),
      ...(canaryRevision ? { canaryRevision } : {}),
    };
  } catch {
    return undefined;
  }
}
