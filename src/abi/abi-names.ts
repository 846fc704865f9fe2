/**
 * Object names derived from an AbiInstance's name. They are public API: a
 * rename orphans the old object, and for workloads changes immutable fields.
 */
export interface AbiObjectNames {
  readonly workload: string;
  readonly service: string;
  readonly headlessService: string;
  readonly configMap: string;
  readonly serviceAccount: string;
  /** The shared claim (ReadWriteMany) or the volumeClaimTemplate name (per replica). */
  readonly dataVolume: string;
  readonly autoscaler: string;
  readonly disruptionBudget: string;
  readonly serviceMonitor: string;
  readonly networkPolicy: string;
}

export function abiObjectNames(instance: string): AbiObjectNames {
  return {
    workload: instance,
    service: instance,
    headlessService: `${instance}-headless`,
    configMap: `${instance}-config`,
    serviceAccount: instance,
    dataVolume: `${instance}-data`,
    autoscaler: instance,
    disruptionBudget: instance,
    serviceMonitor: instance,
    networkPolicy: instance,
  };
}
