/**
 * A cdk8s app of your own that uses the library by package name:
 * one AbiInstanceChart among your other charts.
 */
import { App } from 'cdk8s';
import { abi, AbiInstanceChart } from 'cdk8s-abi-vecodex';

export function buildApp(outdir: string): App {
  const app = new App({ outdir });
  new AbiInstanceChart(app, 'chat-assistant', {
    metadata: { name: 'chat-assistant', namespace: 'assistants' },
    spec: {
      replicas: 2,
      image: { repository: 'ghcr.io/example/abi', tag: 'v1.0.0' },
      storage: { enabled: true, size: '20Gi', accessModes: [abi.AbiInstanceSpecStorageAccessModes.READ_WRITE_MANY] },
      llm: { provider: abi.AbiInstanceSpecLlmProvider.OLLAMA, ollamaHost: 'http://ollama.ai:11434', model: 'llama3' },
      highAvailability: { enabled: true, podDisruptionBudget: { maxUnavailable: 1 } },
    },
    cluster: { prometheusOperator: false },
  });
  return app;
}

if (require.main === module) {
  buildApp('dist').synth();
}
