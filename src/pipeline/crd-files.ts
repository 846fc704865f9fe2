import { App, Chart } from 'cdk8s';
import { AbiInstanceCrd } from '../abi/abi-instance-crd';
import { toYamlDocuments } from './yaml';

/** The CRD files under crds/, by file name (group_plural.yaml, as controller-gen names them). */
export function renderCrdFiles(): Record<string, string> {
  const app = new App({ outdir: '/dev/null' });
  const abi = new Chart(app, 'abi');
  new AbiInstanceCrd(abi, 'AbiInstanceCrd');
  return {
    'abi.io_abiinstances.yaml': toYamlDocuments(abi.toJson()),
  };
}
