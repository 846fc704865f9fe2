import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { configHash } from '../shared/config-hash';
import { CONFIG_FILE, renderConfig, VecodexConfig } from './vecodex-config';

export interface VecodexComponentConfigProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly config: VecodexConfig;
}

/** A component's config JSON as a ConfigMap, and the hash that rolls its pods when it changes. */
export class VecodexComponentConfig extends Construct {
  public readonly name: string;
  public readonly hash: string;
  public readonly config: VecodexConfig;
  /** The ConfigMap. */
  public readonly apiObject: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: VecodexComponentConfigProps) {
    super(scope, id);
    this.name = props.name;
    this.config = props.config;
    const text = renderConfig(props.config);
    this.hash = configHash(text);
    this.apiObject = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels },
      data: { [CONFIG_FILE]: text },
    });
  }
}
