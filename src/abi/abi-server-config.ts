import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { configHash } from '../shared/config-hash';
import { ResolvedAbiSpec } from './resolve-abi-spec';

/** Where the server keeps state; upstream's image declares VOLUME /data. */
export const ABI_DATA_DIR = '/data';
const ABI_MODEL_DIR = `${ABI_DATA_DIR}/models`;

/** Model file for provider local: a bare name becomes /data/models/<name>.gguf. */
export function localModelPath(model: string): string {
  if (model.startsWith('/')) return model;
  return `${ABI_MODEL_DIR}/${model.endsWith('.gguf') ? model : `${model}.gguf`}`;
}

/**
 * The environment the ABI binary reads at upstream 74b8138c (src/config/loader.zig,
 * the connectors). The Helm chart's ABI_ENABLE_* and ABI_LLM_PROVIDER keys are
 * read by no code, so they are not rendered; the ABBEY_* logging keys are kept
 * for parity with the chart and are equally inert.
 */
export function abiServerEnvironment(spec: ResolvedAbiSpec): Record<string, string> {
  const env: Record<string, string> = {
    ABI_GPU_BACKEND: spec.gpu?.backend ?? 'none',
    ABI_MODEL_CACHE: ABI_MODEL_DIR,
    ABBEY_LOG_LEVEL: spec.config.logLevel,
    ABBEY_LOG_FORMAT: spec.config.logFormat,
    ABBEY_ENABLE_TRACING: String(spec.config.tracing),
  };
  if (spec.config.jaegerEndpoint !== undefined) env.ABBEY_JAEGER_ENDPOINT = spec.config.jaegerEndpoint;
  if (spec.features.database) env.ABI_DB_PATH = `${ABI_DATA_DIR}/db`;
  switch (spec.llm.provider) {
    case 'ollama':
      env.ABI_OLLAMA_HOST = spec.llm.ollamaHost;
      env.ABI_OLLAMA_MODEL = spec.llm.model;
      break;
    case 'openai':
      env.ABI_OPENAI_MODEL = spec.llm.model;
      break;
    case 'anthropic':
      env.ABI_ANTHROPIC_MODEL = spec.llm.model;
      break;
    case 'huggingface':
      env.ABI_HF_MODEL = spec.llm.model;
      break;
    case 'local':
      env.ABI_LLM_MODEL_PATH = localModelPath(spec.llm.model);
      break;
  }
  return Object.fromEntries(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)));
}

export interface AbiServerConfigProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly spec: ResolvedAbiSpec;
}

/** The ConfigMap the server reads its environment from, and the hash that rolls pods when it changes. */
export class AbiServerConfig extends Construct {
  public readonly name: string;
  /** Goes on the pod template, so a configuration change rolls the pods. */
  public readonly hash: string;
  /** The ConfigMap. */
  public readonly apiObject: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: AbiServerConfigProps) {
    super(scope, id);
    const data = abiServerEnvironment(props.spec);
    this.name = props.name;
    this.hash = configHash(data);
    this.apiObject = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels },
      data,
    });
  }
}
