/**
 * A library user's app, compiled on its own against the package's declarations
 * (public-api.test.ts): it imports the package by name only, so it sees exactly
 * the public API (lib/src/index.d.ts), never src/.
 */
import { ApiObject, App, Chart, Include, JsonPatch } from 'cdk8s';
import { abi, AbiInstanceChart, InvalidSpecError, vecodex, VecodexSetChart } from 'cdk8s-abi-vecodex';

export function buildConsumerApp(outdir: string): { app: App; abiChart: AbiInstanceChart; vecodexChart: VecodexSetChart } {
  const app = new App({ outdir });
  const abiChart = new AbiInstanceChart(app, 'assistant', {
    metadata: { name: 'assistant', namespace: 'ai' },
    spec: { replicas: 2, llm: { provider: abi.AbiInstanceSpecLlmProvider.OLLAMA, ollamaHost: 'http://ollama.ai:11434' } },
    cluster: { prometheusOperator: false },
  });
  // Typed attributes: the L1 objects themselves.
  abiChart.workload.addJsonPatch(JsonPatch.add('/spec/template/metadata/annotations/team', 'search'));
  const serviceName: string = abiChart.service.name;
  abiChart.configMap.metadata.addLabel('consumer', serviceName);

  const vecodexChart = new VecodexSetChart(app, 'search', {
    metadata: { name: 'search', namespace: 'ai' },
    spec: {
      coordinator: { image: 'ghcr.io/example/vecodex:1.0.0', replicas: 1 },
      writer: { image: 'ghcr.io/example/vecodex:1.0.0', replicas: 1 },
      searcher: { image: 'ghcr.io/example/vecodex:1.0.0', replicas: 2 },
      ingress: { host: 'search.example.com' },
      indexes: [{ id: 'docs', type: vecodex.VecodexSetSpecIndexesType.FAISS_FLAT, dim: 384, threshold: 1000, metric: vecodex.VecodexSetSpecIndexesMetric.L2 }],
    },
    cluster: { prometheusOperator: false },
  });
  vecodexChart.writer.deployment.metadata.addAnnotation('consumer', 'yes');
  // The escape hatch: a chart's default child is its main workload.
  ApiObject.of(vecodexChart).metadata.addLabel('escape-hatch', 'coordinator');
  return { app, abiChart, vecodexChart };
}

/** The CRDs ship as YAML in the package (its `crds/*` export), for an app that installs them itself. */
export function crdChart(app: App): Chart {
  const chart = new Chart(app, 'crds');
  for (const file of ['abi.io_abiinstances.yaml', 'apps.vecodex.link_vecodexsets.yaml']) {
    new Include(chart, file, { url: require.resolve(`cdk8s-abi-vecodex/crds/${file}`) });
  }
  return chart;
}

/** What a caller catches for an AbiInstance of 500 replicas: the field paths of every problem. */
export function tooManyReplicas(): readonly string[] {
  try {
    new AbiInstanceChart(new App(), 'too-many', { metadata: { name: 'too-many' }, spec: { replicas: 500 } });
    return [];
  } catch (err) {
    if (err instanceof InvalidSpecError) return err.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw err;
  }
}
