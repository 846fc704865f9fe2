import * as fs from 'fs';
import * as path from 'path';
import { toJson_AbiInstanceSpec } from '../../imports/abi.io';
import { abiInstanceSpecSchema } from '../../src/abi/abi-instance-schema';
import { renderCrdFiles, renderCrdObjects } from '../../src/pipeline/crd-files';
import { compileSpecSchema, schemaIssues } from '../../src/pipeline/schema-validator';
import { wireToProps } from '../../src/shared/wire-to-props';
import { ABI_SAMPLES, abiDoc, readAbiDocument, renderAbi, REPO_ROOT } from '../support/abi-samples';
import { KubeObject } from '../support/kube-client';
import { offlineValidationErrors } from '../support/offline-validate';

describe('offline validation of rendered objects', () => {
  test.each(Object.entries(ABI_SAMPLES))('GIVEN sample %s WHEN rendered THEN every object passes its upstream schema (kubernetes-models)', (_name, file) => {
    const objects = renderAbi(readAbiDocument(file));
    expect(offlineValidationErrors(objects, ['AbiInstance'])).toEqual([]);
  });

  test('GIVEN the shipped CRDs WHEN validated offline THEN they pass', () => {
    expect(offlineValidationErrors(renderCrdObjects() as KubeObject[])).toEqual([]);
  });

  test('GIVEN a broken object WHEN validated offline THEN the validator reports it (the check can fail)', () => {
    const objects = renderAbi(abiDoc({ replicas: 1 }));
    const sts = objects.find((o) => o.kind === 'StatefulSet') as any;
    sts.spec.replicas = 'one';
    expect(offlineValidationErrors([sts])).toEqual([expect.stringContaining('replicas must be integer')]);
  });

  test.each(Object.entries(ABI_SAMPLES))('GIVEN sample %s WHEN the rendered AbiInstance is validated against the CRD schema THEN it passes', (_name, file) => {
    const cr = renderAbi(readAbiDocument(file)).find((o) => o.kind === 'AbiInstance')!;
    const crd = (renderCrdObjects() as any[]).find((o) => o.metadata.name === 'abiinstances.abi.io');
    const schema = crd.spec.versions[0].schema.openAPIV3Schema;
    const validate = compileSpecSchema(schema);
    expect(validate(cr) ? [] : schemaIssues(validate.errors, schema)).toEqual([]);
  });
});

describe('generated files stay in step with the constructs', () => {
  test('GIVEN the CRD constructs WHEN rendered THEN crds/ holds exactly that (run `npm run import` after a schema change)', () => {
    const files = renderCrdFiles();
    expect(fs.readdirSync(path.join(REPO_ROOT, 'crds')).sort()).toEqual(Object.keys(files).sort());
    for (const [file, text] of Object.entries(files)) {
      expect(fs.readFileSync(path.join(REPO_ROOT, 'crds', file), 'utf8')).toBe(text);
    }
  });

  test.each(Object.entries(ABI_SAMPLES))('GIVEN sample %s WHEN converted to generated props and back THEN the spec is unchanged', (_name, file) => {
    const spec = readAbiDocument(file).spec;
    expect(toJson_AbiInstanceSpec(wireToProps(spec, abiInstanceSpecSchema()))).toEqual(spec);
  });
});
