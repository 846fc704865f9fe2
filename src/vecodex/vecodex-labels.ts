import { imageVersionLabel } from '../shared/image-policy';
import { recommendedLabels } from '../shared/labels';
import { VECODEX_PRODUCT_NAME } from './vecodex-set-crd';

/** Pod label upstream's Deployments select on; kept exactly so the Go operator's objects can be applied over. */
export const UPSTREAM_SELECTOR_LABEL = 'app';
/** Pod label naming a searcher's shard. */
export const SHARD_LABEL = 'apps.vecodex.link/shard';

export interface VecodexLabelsProps {
  /** The VecodexSet's name. */
  readonly instance: string;
  /** `app.kubernetes.io/component`: the mode (coordinator, writer, searcher), or what the object serves (metrics). */
  readonly component: string;
  /** The image the object runs or fronts; its tag becomes `app.kubernetes.io/version`. */
  readonly image: string;
  /**
   * Upstream's `app` label, which a workload and its pods carry as their
   * selector (UPSTREAM_SELECTOR_LABEL).
   * @default no `app` label, as on the Services, the Ingress and the ServiceMonitor
   */
  readonly app?: string;
}

/** Labels of a Vecodex object (not etcd's or MinIO's, which carry their own app names). */
export function vecodexLabels(props: VecodexLabelsProps): Record<string, string> {
  return {
    ...(props.app ? { [UPSTREAM_SELECTOR_LABEL]: props.app } : {}),
    ...recommendedLabels({ product: VECODEX_PRODUCT_NAME, name: 'vecodex', instance: props.instance, component: props.component, version: imageVersionLabel(props.image) }),
  };
}
