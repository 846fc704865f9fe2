/**
 * Every rendered platform/reconciler.yaml pulls the reconciler image by
 * default; the workflow that publishes it must push exactly that name, and
 * check the same version. (The workflow itself cannot run here: no Docker.)
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { RECONCILER_VERSION, resolveClusterProfile } from '../../src/shared/cluster-profile';

const ROOT = path.resolve(__dirname, '..', '..');
const workflow = yaml.load(fs.readFileSync(path.join(ROOT, '.github/workflows/reconciler-image.yaml'), 'utf8')) as any;
const steps: any[] = workflow.jobs.image.steps;

describe('the reconciler image workflow', () => {
  test('GIVEN the default cluster profile WHEN its reconciler image is compared with what the workflow pushes THEN they are the same name and tag', () => {
    const push = steps.find((s) => String(s.uses).startsWith('docker/build-push-action@'));
    expect(push.with.push).toBe(true);
    expect(push.with.context).toBe('.');
    const defaultImage = resolveClusterProfile().reconciler.image;
    expect(push.with.tags.replace('${{ steps.version.outputs.version }}', RECONCILER_VERSION)).toBe(defaultImage);
  });

  test('GIVEN package.json WHEN compared with RECONCILER_VERSION THEN they agree, as the workflow checks before pushing', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.version).toBe(RECONCILER_VERSION);
    const check = steps.find((s) => s.id === 'version');
    expect(check.run).toContain("RECONCILER_VERSION = '${version}'");
    expect(fs.readFileSync(path.join(ROOT, 'src/shared/cluster-profile.ts'), 'utf8')).toContain(`RECONCILER_VERSION = '${RECONCILER_VERSION}'`);
  });

  test('GIVEN the workflow WHEN triggered THEN it runs on version tags only, with permission to push packages', () => {
    expect(workflow.on).toEqual({ push: { tags: ['v*'] } });
    expect(workflow.permissions.packages).toBe('write');
  });
});
