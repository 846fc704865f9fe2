/**
 * Pinned versus floating images. A floating reference (tag `latest`, or no tag
 * and no digest) names whatever was pushed last: with IfNotPresent nodes never
 * re-pull it, replicas run different builds and a push rolls nothing out. Such
 * images are pulled on every start (the API server's own default for them,
 * k8s.io/kubernetes pkg/apis/core/v1/defaults.go SetDefaults_Container), synth
 * warns, and a cluster profile with `imagePolicy: pinned` refuses them.
 */
import { isValidLabelValue } from './labels';
import { ValidationIssue } from './validation-issue';
import { ImagePullPolicy } from './workload-options';

export type { ImagePullPolicy } from './workload-options';

/** What a cluster does with floating images: warn (default) or refuse them. */
export type ImagePolicy = 'warn' | 'pinned';

export interface ImageReference {
  /** Everything before the tag and digest, registry included. */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:<hex>` */
  readonly digest?: string;
}

/** Docker's reference grammar, as far as tag and digest go: a tag follows the last `:` after the last `/`. */
export function parseImageReference(image: string): ImageReference {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const named = at >= 0 ? image.slice(0, at) : image;
  const colon = named.indexOf(':', named.lastIndexOf('/') + 1);
  return colon >= 0
    ? { repository: named.slice(0, colon), tag: named.slice(colon + 1), digest }
    : { repository: named, digest };
}

/** No digest, and tag `latest` or none. */
export function isFloatingImage(image: string): boolean {
  const ref = parseImageReference(image);
  return ref.digest === undefined && (ref.tag === undefined || ref.tag === 'latest');
}

/** The spec's policy if it sets one; otherwise Always for floating images, IfNotPresent for pinned ones. */
export function imagePullPolicy(image: string, explicit?: ImagePullPolicy): ImagePullPolicy {
  if (explicit !== undefined) return explicit;
  return isFloatingImage(image) ? 'Always' : 'IfNotPresent';
}

/** Characters of the digest kept in the version label, as many as docker's short image IDs. */
const DIGEST_LABEL_HEX = 12;

/**
 * app.kubernetes.io/version for an image: its tag; for a digest alone
 * `sha256-<12 hex>` (a label value allows no `:` and at most 63 characters);
 * undefined when neither fits a label value.
 */
export function imageVersionLabel(image: string): string | undefined {
  const ref = parseImageReference(image);
  if (ref.tag !== undefined) return isValidLabelValue(ref.tag) ? ref.tag : undefined;
  const digest = /^([a-z0-9]+):([0-9a-f]+)$/.exec(ref.digest ?? '');
  if (digest) return `${digest[1]}-${digest[2].slice(0, DIGEST_LABEL_HEX)}`;
  return undefined;
}

export interface SpecImage {
  /** Field path of the spec field that sets the image, e.g. spec.writer.image. */
  readonly path: string;
  readonly image: string;
}

function floatingMessage(image: string, refused: boolean): string {
  const what = `is "${image}", a floating reference: nodes pull it again on every start (imagePullPolicy Always), replicas can run different builds, and a push rolls nothing out`;
  return refused
    ? `${what}; the cluster profile sets imagePolicy: pinned, so pin a version tag or a digest (repo@sha256:…, repo:tag@sha256:…)`
    : `${what}; pin a version tag or a digest (repo@sha256:…)`;
}

/** Errors under `imagePolicy: pinned`, none otherwise. */
export function pinnedImageRules(images: readonly SpecImage[], policy: ImagePolicy): ValidationIssue[] {
  if (policy !== 'pinned') return [];
  return images.filter((i) => isFloatingImage(i.image)).map((i) => ({ path: i.path, message: floatingMessage(i.image, true) }));
}

/** Warnings under `imagePolicy: warn`; under `pinned` the same images are errors instead. */
export function floatingImageWarnings(images: readonly SpecImage[], policy: ImagePolicy): ValidationIssue[] {
  if (policy === 'pinned') return [];
  return images.filter((i) => isFloatingImage(i.image)).map((i) => ({ path: i.path, message: floatingMessage(i.image, false) }));
}
