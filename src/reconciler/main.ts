/**
 * Entry point of the status reconciler (`npm run reconciler`, or the
 * container's command). Wires flags, kubeconfig, the controller, leader
 * election, the probe/metrics endpoint and graceful shutdown together; all
 * decisions live in the modules it wires.
 */
import * as http from 'http';
import * as k8s from '@kubernetes/client-node';
import { StatusController } from './controller';
import { KubeRest } from './kube-rest';
import { LeaderElector } from './leader-election';
import { Logger } from './logger';
import { parseOptions, ReconcilerOptions, splitHostPort, USAGE } from './options';
import { ADAPTERS } from './products';

/** Exit status after losing the leader lease: non-zero, so the restart is visible (restartCount, alerts). */
export const EXIT_LOST_LEADERSHIP = 1;

export async function run(
  options: ReconcilerOptions,
  log: Logger,
  exit: (code: number) => void = (code) => process.exit(code),
): Promise<{ shutdown: (reason: string) => Promise<void> }> {
  const kc = new k8s.KubeConfig();
  if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
  else kc.loadFromDefault();
  const rest = new KubeRest(kc);
  const adapters = ADAPTERS.filter((a) => options.products.includes(a.name));

  const controller = new StatusController(kc, rest, log, {
    adapters,
    workers: options.workers,
    resyncSeconds: options.resyncSeconds,
    missingChildrenTimeoutSeconds: options.missingChildrenTimeoutSeconds,
    noReadyReplicasTimeoutSeconds: options.noReadyReplicasTimeoutSeconds,
    instance: options.identity,
  });

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    } else if (path === '/readyz') {
      // Followers are ready too: they serve as hot standbys with warm caches.
      const ready = controller.ready;
      res.writeHead(ready ? 200 : 503, { 'Content-Type': 'text/plain' }).end(ready ? 'ok' : 'informers not synced');
    } else if (path === '/metrics') {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(controller.metrics.render());
    } else {
      res.writeHead(404).end();
    }
  });
  const { host, port } = splitHostPort(options.listenAddress);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  log.info('serving /healthz /readyz /metrics', { address: typeof address === 'object' && address ? `${address.address}:${address.port}` : address, port: typeof address === 'object' && address ? address.port : undefined });

  await controller.start();
  log.info('informers started', { products: adapters.map((a) => a.name), server: kc.getCurrentCluster()?.server });

  let stopping: Promise<void> | undefined;
  let elector: LeaderElector | undefined;
  if (options.leaderElect) {
    elector = new LeaderElector(rest, {
      namespace: options.leaseNamespace,
      name: options.leaseName,
      identity: options.identity,
      leaseDurationSeconds: options.leaseDurationSeconds,
      renewDeadlineSeconds: options.renewDeadlineSeconds,
      retryPeriodSeconds: options.retryPeriodSeconds,
    }, log, (leading) => {
      controller.setLeading(leading);
      // As controller-runtime does: a replica that lost its lease exits at
      // once (no graceful drain, the lease is no longer ours to hand over) and
      // comes back as a clean standby. setLeading(false) above already stopped
      // new writes; exiting also abandons any write still in flight.
      if (!leading && stopping === undefined) {
        log.error('exiting after losing leadership', { exitCode: EXIT_LOST_LEADERSHIP });
        exit(EXIT_LOST_LEADERSHIP);
      }
    });
    elector.start();
  } else {
    controller.setLeading(true);
  }

  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      log.info('shutting down', { reason });
      const deadline = setTimeout(() => {
        log.error('shutdown timed out, exiting');
        process.exit(1);
      }, options.shutdownTimeoutSeconds * 1000);
      deadline.unref();
      // Stop writing first, then hand the lease over, then stop watching.
      controller.setLeading(false);
      await controller.stop();
      await elector?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      clearTimeout(deadline);
      log.info('stopped');
    })();
    return stopping;
  };
  return { shutdown };
}

if (require.main === module) {
  let options: ReconcilerOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const log = new Logger(options.logLevel);
  // Signals are handled from the start: one that arrives while informers are
  // still listing exits at once (nothing is written before leading).
  let shutdown: ((reason: string) => Promise<void>) | undefined;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (!shutdown) {
        log.info('signal before start-up finished, exiting', { signal });
        process.exit(0);
      }
      void shutdown(signal).then(() => process.exit(0));
    });
  }
  run(options, log).then((running) => {
    shutdown = running.shutdown;
  }).catch((err) => {
    log.error('failed to start', { error: err as Error });
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: String(reason) }));
}
