/**
 * Argo CD health for our custom resources. Argo CD knows nothing about
 * abi.io/AbiInstance or apps.vecodex.link/VecodexSet, so without a check it
 * calls them Healthy the moment they exist. This Lua reads the status contract
 * of src/shared/status.ts in kstatus order, so Argo CD, Flux and
 * `kubectl get -o wide` agree:
 *
 *   no status yet / observedGeneration != generation → Progressing (a missing
 *     observedGeneration counts as stale: the reconciler always writes it)
 *   Stalled=True                                      → Degraded
 *   Reconciling=True                                  → Progressing
 *   Ready=True                                        → Healthy
 *   Ready=False                                       → Degraded (phase Failed or Running) or Progressing (any other phase)
 *   no Ready condition                                → Progressing
 */
import { BUILT_IN_PRODUCTS } from '../products/built-in-products';
import { CONDITION_READY, CONDITION_RECONCILING, CONDITION_STALLED, Phase } from '../shared/status';

/** Resources the check is registered for, as argocd-cm keys spell them (group_kind): every product's. */
export const HEALTH_CHECKED_KINDS: ReadonlyArray<{ readonly group: string; readonly version: string; readonly kind: string }> =
  BUILT_IN_PRODUCTS.map(({ group, version, kind }) => ({ group, version, kind }));

/** Phases in which Ready=False means "still getting there", not "broken". */
const PROGRESSING_PHASES: readonly Phase[] = ['Pending', 'Creating', 'Updating', 'Terminating'];

/** The Lua health script, identical for both kinds (they share the status contract). */
export function customResourceHealthLua(): string {
  const progressing = PROGRESSING_PHASES.map((p) => `["${p}"] = true`).join(', ');
  return `-- cdk8s-abi-vecodex: health from the shared status contract (kstatus order).
local hs = {}
local function condition(conditionType)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end
local function describe(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  if c ~= nil and c.reason ~= nil and c.reason ~= "" then
    return c.reason
  end
  return fallback
end
if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the status reconciler to report"
  return hs
end
if obj.metadata.generation ~= nil and obj.status.observedGeneration ~= obj.metadata.generation then
  hs.status = "Progressing"
  if obj.status.observedGeneration == nil then
    hs.message = "Waiting for the status reconciler to observe generation " .. tostring(obj.metadata.generation)
  else
    hs.message = "Status describes generation " .. tostring(obj.status.observedGeneration) .. ", spec is at generation " .. tostring(obj.metadata.generation)
  end
  return hs
end
local stalled = condition("${CONDITION_STALLED}")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled, "Stalled")
  return hs
end
local reconciling = condition("${CONDITION_RECONCILING}")
if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = describe(reconciling, "Reconciling")
  return hs
end
local ready = condition("${CONDITION_READY}")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready, "Ready")
  return hs
end
if ready ~= nil and ready.status == "False" then
  local progressingPhases = { ${progressing} }
  if obj.status.phase ~= nil and progressingPhases[obj.status.phase] then
    hs.status = "Progressing"
  else
    hs.status = "Degraded"
  end
  hs.message = describe(ready, "Not ready")
  return hs
end
hs.status = "Progressing"
hs.message = "Waiting for the Ready condition"
return hs
`;
}

/**
 * Marks an Application that only lists Applications (the shards): to the
 * Application listing it, its health is its sync. The Application health
 * check below calls it Progressing while it is not Synced and has no finished
 * sync operation (none yet, or one still running), and Healthy once Synced or
 * once a sync has Succeeded, whatever the health of the Applications it lists;
 * those report their own.
 *
 * Progressing until synced: a new Application's first comparison already
 * reports the health of the live objects it finds, before it has applied
 * anything (application-controller setApplicationHealth aggregates every live
 * object matching a target, and the cluster cache matches objects another
 * Application still tracks). Moving to shards, each new shard was Healthy at
 * once from the instance Applications the root still tracked, so the root's
 * PruneLast step ran before the shard had applied (and so re-tracked) them and
 * pruned them, and their resources finalizer deleted the instances' workloads
 * (Argo CD v3.6.1; seen by test/gitops-engines/argocd-layout-migration.test.ts).
 *
 * Healthy once synced: a sync that prunes last waits for everything else it
 * lists to be Healthy first, the root's own Application included, whose health
 * is its children's, so with the shards' aggregated health the root removed a
 * shard whose last instance had gone only once every instance of the fleet was
 * Healthy (test/gitops-engines/argocd-unhealthy-fleet.test.ts). "Or Succeeded"
 * covers the shard being removed: its folder is gone, so it is never Synced
 * again (sync status Unknown), and it is part of the root's health until the
 * prune it would otherwise hold up.
 *
 * Only on Applications that do not list themselves: the root lists itself,
 * and during its own sync it is OutOfSync with an operation running, so the
 * rule would make it wait for itself for ever. A failed operation (Failed,
 * Error) that left it not Synced is Degraded, not its live health: that still
 * counts instance Applications the root tracks, so a new shard whose first
 * sync failed would be Healthy and the root would prune what the shard never
 * re-tracked. Degraded fails the root's wait instead, so the root prunes
 * nothing until the shard syncs; shards are in the root's last wave, so no
 * later wave waits on them.
 */
export const HEALTH_WAITS_FOR_SYNC_ANNOTATION = 'cdk8s-abi-vecodex/health-waits-for-sync';

/**
 * Argo CD's own Application health, which Argo CD 1.8 stopped computing by
 * default. The root app-of-apps needs it: without it, sync waves between the
 * platform and instance Applications do not wait for the platform to be healthy.
 * This is the snippet from Argo CD's documentation, plus the rule of
 * HEALTH_WAITS_FOR_SYNC_ANNOTATION.
 */
export function applicationHealthLua(): string {
  return `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  local annotations = obj.metadata.annotations
  if annotations ~= nil and annotations["${HEALTH_WAITS_FOR_SYNC_ANNOTATION}"] == "true" then
    local synced = obj.status.sync ~= nil and obj.status.sync.status == "Synced"
    local op = obj.status.operationState
    if synced or (op ~= nil and op.phase == "Succeeded") then
      hs.status = "Healthy"
      hs.message = "Applied what it lists; each listed Application reports its own health"
      return hs
    end
    if op == nil or op.phase == "Running" or op.phase == "Terminating" then
      hs.message = "Waiting for the Application to apply what it lists"
      return hs
    end
    hs.status = "Degraded"
    hs.message = "Its last sync " .. op.phase .. ": " .. (op.message or "")
    return hs
  end
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;
}

/** argocd-cm data entries that register the checks. */
export function healthCustomizations(): Record<string, string> {
  const data: Record<string, string> = {};
  for (const { group, kind } of HEALTH_CHECKED_KINDS) {
    data[`resource.customizations.health.${group}_${kind}`] = customResourceHealthLua();
  }
  data['resource.customizations.health.argoproj.io_Application'] = applicationHealthLua();
  return data;
}
