/**
 * Sizes past which a manifest is refused before any work, so that a hostile
 * or broken input costs little. A Kubernetes object is at most 1.5 MiB
 * (etcd's limit); the YAML limit leaves room for multi-document files.
 */
export const manifestLimits = {
  /** YAML text, in characters (UTF-16 code units), read before parsing. */
  maxYamlCharacters: 4 * 1024 * 1024,
  /** Deepest nesting of an object given as a manifest (a Rollout is about 15 levels deep). */
  maxDepth: 100,
  /** Most values (scalars, arrays, objects) in an object given as a manifest. */
  maxValues: 1_000_000,
  /** Field names longer than this get no "did you mean" and are shortened in messages. */
  maxKeyLengthForSuggestions: 64,
} as const;
