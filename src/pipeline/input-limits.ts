/**
 * Bounds on what synth reads, so that no input (an alias bomb, a huge or deeply
 * nested file, a file of countless documents) can make it run for long or
 * exhaust memory: past a bound the input is refused with a problem naming the
 * file, before the costly step. Documented in README.md (Synthesis, errors and
 * dist/) and measured by `npm run bench:hostile` (BENCHMARKS.md).
 */
export const INPUT_LIMITS = {
  /**
   * Largest spec file read, checked on its size before it is read. One
   * instance spec is 1-3 KiB, so this still holds about a hundred of them;
   * the bound is the parse time of the worst YAML of that size (a mapping of
   * tiny keys, ~25,000 of them), which stays within the bounds of BENCHMARKS.md
   * (Hostile input); 1 MiB of it did not.
   */
  fileBytes: 256 * 1024,
  /**
   * Largest document, measured as the JSON it expands to (YAML aliases
   * expanded). Each instance becomes a custom resource object, which etcd
   * stores whole: etcd refuses requests over 1.5 MiB by default
   * (--max-request-bytes=1572864, go.etcd.io/etcd server/embed/config.go
   * DefaultMaxRequestBytes), so a larger document could never be applied.
   */
  documentBytes: 1.5 * 1024 * 1024,
  /** Documents in one file. */
  documentsPerFile: 1000,
  /**
   * Nesting of mappings and sequences (plus one for the document). The
   * deepest field of our CRDs is far less deep; the YAML composer recurses
   * per level, so this keeps it off the end of the stack.
   */
  nestingDepth: 64,
  /**
   * The `yaml` package's bound on alias expansion (maxAliasCount, its own
   * default): an anchor may be used up to 100 times in a document, fewer when
   * what it names holds aliases itself (uses times the aliases inside). A
   * "billion laughs" passes it within three levels.
   */
  aliasCount: 100,
  /**
   * Problems listed for one document; the rest are counted. A mapping of
   * 100,000 unknown fields is 100,000 problems, which help nobody.
   */
  problemsPerDocument: 25,
} as const;

/** e.g. "4 MiB", "1.5 MiB", "512 KiB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} bytes`;
}
