import type { ArgoRolloutStatus } from '@gradual/kubernetes';

/** A Rollout object as the API server returns it, as far as the live commands read it. */
export interface RolloutObject {
  metadata?: { name?: string | undefined; namespace?: string | undefined; generation?: number | undefined } | undefined;
  spec?:
    | {
        paused?: boolean | undefined;
        replicas?: number | undefined;
        template?:
          | { spec?: { containers?: { name?: string | undefined; image?: string | undefined }[] | undefined } | undefined }
          | undefined;
        strategy?:
          | {
              canary?:
                | {
                    steps?: { setWeight?: number | undefined }[] | undefined;
                    trafficRouting?: { maxTrafficWeight?: number | undefined } | undefined;
                  }
                | undefined;
              blueGreen?: object | undefined;
            }
          | undefined;
      }
    | undefined;
  status?: ArgoRolloutStatus | undefined;
}
