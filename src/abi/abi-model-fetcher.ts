import { k8s } from 'cdk8s-plus-27';
import { EPHEMERAL_STORAGE } from '../shared/ephemeral-storage';
import { imagePullPolicy } from '../shared/image-policy';
import { restrictedContainerSecurityContext } from '../shared/pod-security';
import { ABI_DATA_DIR } from './abi-server-config';

/**
 * Downloads the model unless the volume holds it from this very source (a
 * `<model>.source` file records URL and checksum, so a new URL or checksum
 * fetches again). The partial file is named after the source and the pod:
 * replicas sharing a ReadWriteMany volume never write the same file, a pod with
 * a stable name (StatefulSet) resumes its own download after a restart, and a
 * changed source never resumes into old bytes. The rename is atomic, so the
 * server never sees half a model; a checksum mismatch deletes the download and
 * fails the pod visibly.
 */
const FETCH_SCRIPT = [
  'set -eu',
  'model="$1"; url="$2"; sha="${3:-}"',
  'want="$url $sha"',
  'if [ -s "$model" ] && [ "$(cat "$model.source" 2>/dev/null || true)" = "$want" ]; then echo "$model is present"; exit 0; fi',
  'mkdir -p "$(dirname "$model")"',
  // sha256sum, not cksum: some busybox builds lack cksum.
  'part="$model.part-$(printf %s "$want" | sha256sum | cut -c 1-16)-$HOSTNAME"',
  'echo "downloading $url to $model"',
  'curl --fail --location --silent --show-error --retry 5 --retry-delay 10 --continue-at - --output "$part" "$url"',
  'if [ -n "$sha" ] && ! echo "$sha  $part" | sha256sum -c -; then rm -f "$part"; echo "checksum mismatch for $url" >&2; exit 1; fi',
  'mv "$part" "$model"',
  'printf %s "$want" > "$model.source"',
].join('\n');

export interface ModelFetcherProps {
  /** Image with sh, curl and sha256sum (registry mirror already applied). */
  readonly image: string;
  readonly url: string;
  /** Absolute path of the model file, under the data volume. */
  readonly modelPath: string;
  /** Expected SHA-256 of the file. @default not checked */
  readonly sha256?: string;
}

/** The init container that puts a local model on the data volume before the server preloads it. */
export function modelFetcherContainer(props: ModelFetcherProps): k8s.Container {
  return {
    name: 'fetch-model',
    image: props.image,
    imagePullPolicy: imagePullPolicy(props.image),
    command: ['/bin/sh', '-c', FETCH_SCRIPT, 'fetch-model', props.modelPath, props.url, ...(props.sha256 ? [props.sha256] : [])],
    resources: {
      // The download goes to the data volume; the container itself writes only logs.
      requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi'), [EPHEMERAL_STORAGE]: k8s.Quantity.fromString('16Mi') },
      limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('256Mi'), [EPHEMERAL_STORAGE]: k8s.Quantity.fromString('64Mi') },
    },
    securityContext: restrictedContainerSecurityContext(),
    volumeMounts: [{ name: 'data', mountPath: ABI_DATA_DIR }],
  };
}
