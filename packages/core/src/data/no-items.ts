/**
 * The one empty list the engine shares wherever a list it returns or keeps is empty (no routes, no events, no
 * held intents, no commands). Frozen, because it is shared: a host keeps every status it is given, and empty
 * lists made per call were a large part of what a reconcile allocates and leaves behind
 * (docs/benchmarks/fleet.md). Typed as a list of anything, so each site keeps its own element type.
 */
export const noItems: never[] = Object.freeze([]) as never[];
