import { Construct } from 'constructs';
import { httpProbesByPurpose } from '../shared/probes';
import { ManagedDependency } from './managed-dependency';
import { ResolvedManaged, ResolvedVecodexSpec } from './resolve-vecodex-spec';
import { MINIO_API_PORT, MINIO_CONSOLE_PORT } from './vecodex-set-defaults';

export interface ManagedMinioProps {
  /** StatefulSet and Service name, `<name>-minio`; must match the configs' s3-host. */
  readonly name: string;
  /** Headless governing Service of the StatefulSet, `<name>-headless`. */
  readonly governingServiceName: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly settings: ResolvedManaged;
  /** Root credentials, only ever referenced. */
  readonly credentials: ResolvedVecodexSpec['s3']['credentials'];
  /** @default the cluster's default StorageClass */
  readonly defaultStorageClassName?: string;
  /** Pull Secrets for the pod. @default none */
  readonly imagePullSecrets?: readonly string[];
}

/**
 * Single-node MinIO as the S3 endpoint. Its root credentials come from a
 * Secret the operator of the cluster creates; the Vecodex binary hard-codes
 * user/password, so that Secret must hold exactly those (docs/vecodex.md).
 */
export class ManagedMinio extends Construct {
  constructor(scope: Construct, id: string, props: ManagedMinioProps) {
    super(scope, id);
    const c = props.credentials;
    new ManagedDependency(this, 'Default', {
      ...props,
      containerName: 'minio',
      args: ['server', '/data', '--address', `:${MINIO_API_PORT}`, '--console-address', `:${MINIO_CONSOLE_PORT}`, '--certs-dir', '/tmp/certs'],
      env: [
        { name: 'MINIO_ROOT_USER', valueFrom: { secretKeyRef: { name: c.name, key: c.accessKeyKey } } },
        { name: 'MINIO_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: c.name, key: c.secretKeyKey } } },
        { name: 'HOME', value: '/tmp' },
      ],
      ports: [{ name: 'api', port: MINIO_API_PORT }, { name: 'console', port: MINIO_CONSOLE_PORT }],
      // MinIO's own split: live answers while the process serves, ready once
      // it can serve requests (min.io/docs, "Healthcheck API").
      probes: httpProbesByPurpose({ startup: '/minio/health/live', liveness: '/minio/health/live', readiness: '/minio/health/ready' }, 'api', { startupBudgetSeconds: 120 }),
      dataPath: '/data',
    });
  }
}
