/**
 * Suite wrapper for tests that need a real API server. Without
 * KUBEBUILDER_ASSETS the suite is skipped (the global setup prints one loud
 * line for the whole run); with it the suite must run, and a control plane
 * that fails to start fails the suite.
 */
import { assetsDirectory, ControlPlane } from './control-plane';

export const describeWithApiServer: jest.Describe = (assetsDirectory() ? describe : describe.skip) as jest.Describe;

/** Starts one control plane for the enclosing describe block and always stops it. */
export function useControlPlane(): () => ControlPlane {
  let plane: ControlPlane | undefined;
  beforeAll(async () => {
    plane = await ControlPlane.start();
  }, 180_000);
  afterAll(async () => {
    await plane?.stop();
  }, 60_000);
  return () => {
    if (!plane) throw new Error('control plane not started');
    return plane;
  };
}
