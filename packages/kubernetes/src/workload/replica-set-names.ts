/** Name of the ReplicaSet of one revision, as Argo names it: `<rollout>-<pod-template-hash>`. */
export function replicaSetName(rollout: string, hash: string): string {
  return `${rollout}-${hash}`;
}

/** Where an experiment runs: Argo names the Experiment `<rollout>-<canary hash>-<rollout revision>-<step index>`. */
export interface ExperimentNameInput {
  rollout: string;
  /** Pod-template hash of the canary (the rollout's current pod hash). */
  canaryHash: string;
  /** The rollout revision number (`rollout.argoproj.io/revision` of the canary ReplicaSet). */
  revision: number | string;
  stepIndex: number;
}

/** Name of the Experiment Argo would create for an experiment step (rollout/experiment.go). */
export function experimentName(input: ExperimentNameInput): string {
  return `${input.rollout}-${input.canaryHash}-${input.revision}-${input.stepIndex}`;
}

/**
 * Name of the ReplicaSet of one experiment template: `<experiment>-<template>` (experiments/replicaset.go),
 * i.e. `<rollout>-<canary hash>-<revision>-<step>-<template>`.
 */
export function experimentReplicaSetName(input: ExperimentNameInput & { template: string }): string {
  return `${experimentName(input)}-${input.template}`;
}
