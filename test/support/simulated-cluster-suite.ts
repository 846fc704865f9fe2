/**
 * Suite wrapper for the simulated-cluster tier (test/cluster/). Without its
 * binaries the suites are skipped (the global setup prints one loud line for
 * the whole run); with them they must run, and a cluster that fails to start
 * fails the suite.
 */
import { SimulatedCluster, SimulatedClusterOptions, simulatedClusterUnavailable } from './simulated-cluster';

export const describeWithSimulatedCluster: jest.Describe = (simulatedClusterUnavailable() === undefined ? describe : describe.skip) as jest.Describe;

/** One simulated cluster for the enclosing describe block, always stopped. */
export function useSimulatedCluster(options: SimulatedClusterOptions = {}): () => SimulatedCluster {
  let cluster: SimulatedCluster | undefined;
  beforeAll(async () => {
    cluster = await SimulatedCluster.start(options);
  }, (options.startTimeoutMs ?? 180_000) + 30_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);
  return () => {
    if (!cluster) throw new Error('simulated cluster not started');
    return cluster;
  };
}
