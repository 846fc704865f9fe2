import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ResolvedVecodexSpec } from './resolve-vecodex-spec';
import { VECODEX_GRPC_PORT } from './vecodex-set-defaults';

export interface VecodexIngressProps {
  /** Upstream's name, `<name>-ingress`. */
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly ingress: ResolvedVecodexSpec['ingress'];
  /** The coordinator's Service; the backend is its grpc port. */
  readonly coordinatorService: string;
}

/** Annotations each ingress class needs to proxy plaintext gRPC to the backend. */
const GRPC_BACKEND_ANNOTATIONS: Record<string, Record<string, string>> = {
  nginx: { 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' },
};

/**
 * The Ingress upstream meant: host → the coordinator's gRPC port (upstream
 * pointed at port 80 of a Service it never created).
 */
export class VecodexIngress extends Construct {
  constructor(scope: Construct, id: string, props: VecodexIngressProps) {
    super(scope, id);
    const { ingress } = props;
    new k8s.KubeIngress(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: props.labels,
        // The user's annotations win, so a controller-specific override is possible.
        annotations: { ...(GRPC_BACKEND_ANNOTATIONS[ingress.className] ?? {}), ...ingress.annotations },
      },
      spec: {
        ingressClassName: ingress.className,
        tls: ingress.tlsSecretName ? [{ hosts: [ingress.host], secretName: ingress.tlsSecretName }] : undefined,
        rules: [{
          host: ingress.host,
          http: {
            paths: [{
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: props.coordinatorService, port: { number: VECODEX_GRPC_PORT } } },
            }],
          },
        }],
      },
    });
  }
}
