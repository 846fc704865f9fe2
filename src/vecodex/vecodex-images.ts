import { VecodexSetSpec } from '../../imports/apps.vecodex.link';
import { SpecImage } from '../shared/image-policy';
import { VECODEX_COMPONENTS, VECODEX_DEFAULTS as D } from './vecodex-set-defaults';

/** Every image a VecodexSet runs, by the spec field that sets it (defaults included, under the field that would). */
export function vecodexSpecImages(spec: VecodexSetSpec): SpecImage[] {
  const images: SpecImage[] = VECODEX_COMPONENTS.map((c) => ({ path: `spec.${c}.image`, image: spec[c].image }));
  if (!spec.etcd?.external) images.push({ path: 'spec.etcd.managed.image', image: spec.etcd?.managed?.image ?? D.etcd.image });
  if (!spec.s3?.external) images.push({ path: 'spec.s3.managed.image', image: spec.s3?.managed?.image ?? D.minio.image });
  return images;
}
