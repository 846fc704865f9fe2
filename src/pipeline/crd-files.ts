import { App, Chart } from 'cdk8s';
import { AbiInstanceCrd } from '../abi/abi-instance-crd';
import { VecodexSetCrd } from '../vecodex/vecodex-set-crd';
import { toYamlDocuments } from './yaml';

/** Every CRD we ship, by the file name under crds/ (group_plural.yaml, as controller-gen names them). */
function crdCharts(): Array<[string, Chart]> {
  const app = new App({ outdir: '/dev/null' });
  const abi = new Chart(app, 'abi', { disableResourceNameHashes: true });
  new AbiInstanceCrd(abi, 'AbiInstanceCrd');
  const vecodex = new Chart(app, 'vecodex', { disableResourceNameHashes: true });
  new VecodexSetCrd(vecodex, 'VecodexSetCrd');
  return [
    ['abi.io_abiinstances.yaml', abi],
    ['apps.vecodex.link_vecodexsets.yaml', vecodex],
  ];
}

export function renderCrdFiles(): Record<string, string> {
  return Object.fromEntries(crdCharts().map(([file, chart]) => [file, toYamlDocuments(chart.toJson())]));
}

export function renderCrdObjects(): unknown[] {
  return crdCharts().flatMap(([, chart]) => chart.toJson());
}
