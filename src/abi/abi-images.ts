import { AbiInstanceSpec } from '../../imports/abi.io';
import { SpecImage } from '../shared/image-policy';
import { fetchesModel } from './abi-server-workload';
import { resolveAbiSpec } from './resolve-abi-spec';

/** Every image an AbiInstance runs, by the spec field that sets it. */
export function abiSpecImages(spec: AbiInstanceSpec): SpecImage[] {
  const resolved = resolveAbiSpec(spec);
  const images: SpecImage[] = [{ path: 'spec.image.tag', image: resolved.image.reference }];
  if (fetchesModel(resolved)) images.push({ path: 'spec.llm.modelSource.image', image: resolved.llm.modelSource!.image });
  return images;
}
