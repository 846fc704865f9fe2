/**
 * How long the bench waits between two lists of a fleet's Applications or
 * Kustomizations: about once per 200 of them (0.5 s for 100, 5 s for 1,000,
 * 26 s for 5,172). Each list is load on the API server and on this process
 * (5,172 Applications with their status are tens of megabytes), and the
 * engines share the machine with both; a 5,000 sync takes most of an hour, so
 * half a minute of resolution costs nothing there.
 */
export function fleetPollMs(objects: number): number {
  return Math.min(30_000, Math.max(500, objects * 5));
}
