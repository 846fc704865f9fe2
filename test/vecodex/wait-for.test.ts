/**
 * Runs the wait-for-dependencies init container's own command (as rendered)
 * with the machine's bash against local TCP ports.
 */
import { spawn } from 'child_process';
import * as net from 'net';
import { waitForContainer, WAIT_BUDGET_SECONDS } from '../../src/vecodex/vecodex-wait-for';

const run = (command: string[]) => new Promise<{ status: number | null; stdout: string; ms: number }>((resolve) => {
  const started = Date.now();
  const child = spawn(command[0], command.slice(1));
  let stdout = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.on('close', (status) => resolve({ status, stdout, ms: Date.now() - started }));
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('the wait-for-dependencies init container script', () => {
  let server: net.Server;
  let open: number;
  beforeAll(async () => {
    server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => { await new Promise((resolve) => server.close(resolve)); });

  test('GIVEN every dependency reachable WHEN the pod starts THEN the wait ends at once', async () => {
    const result = await run(waitForContainer('unused', 'IfNotPresent', [{ host: '127.0.0.1', port: open }]).command!);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`127.0.0.1:${open} is reachable\n`);
  });

  test('GIVEN a dependency that never comes up WHEN the budget runs out THEN the component starts anyway and says so', async () => {
    const closed = await closedPort();
    const result = await run(waitForContainer('unused', 'IfNotPresent', [{ host: '127.0.0.1', port: closed }, { host: '127.0.0.1', port: open }], 3).command!);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`waiting for 127.0.0.1:${closed}`);
    expect(result.stdout).toMatch(new RegExp(`127\\.0\\.0\\.1:${closed} still unreachable after [3-9]s: starting anyway`));
    // The targets after it are still checked.
    expect(result.stdout).toContain(`127.0.0.1:${open} is reachable`);
  }, 30_000);

  test('GIVEN the rendered default WHEN read THEN pods wait five minutes at most', () => {
    expect(WAIT_BUDGET_SECONDS).toBe(300);
    expect(waitForContainer('unused', 'IfNotPresent', []).command!.slice(3, 5)).toEqual(['wait-for', '300']);
  });
});
