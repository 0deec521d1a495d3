/** One entry of `trafficRouting.istio.virtualService(s)`: the VirtualService and which of its routes to manage. */
export interface IstioVirtualServiceRef {
  /** `name` or `name.namespace`. */
  name: string;
  /** HTTP route names; may be omitted when the VirtualService has a single http route. */
  routes?: string[] | undefined;
  /** TLS routes, by port and SNI hosts. */
  tlsRoutes?: { port?: number | undefined; sniHosts?: string[] | undefined }[] | undefined;
  /** TCP routes, by port. */
  tcpRoutes?: { port?: number | undefined }[] | undefined;
}

/** `trafficRouting.istio.destinationRule`, with Argo's optional `additionalSubsetNames`. */
export interface IstioDestinationRuleRef {
  /** `name` or `name.namespace`. */
  name: string;
  /** Subset whose destinations are the canary and whose pods get the canary revision. */
  canarySubsetName: string;
  /** Subset whose destinations are stable and whose pods get the stable revision. */
  stableSubsetName: string;
  /** Subsets whose destinations keep their weight; it is taken from stable. */
  additionalSubsetNames?: string[] | undefined;
}

/**
 * A Rollout's `trafficRouting.istio` block flattened with the strategy's
 * `canaryService`, `stableService` and `trafficRouting.managedRoutes`, field
 * names as Argo Rollouts writes them. Host-level splitting uses the two
 * Services; subset-level splitting uses `destinationRule`.
 */
export interface IstioRoutingConfig {
  /** One VirtualService; exclusive with `virtualServices`. */
  virtualService?: IstioVirtualServiceRef | undefined;
  /** Several VirtualServices, each with its own routes. */
  virtualServices?: IstioVirtualServiceRef[] | undefined;
  /** Subset-level splitting: destinations are told apart by subset, and the subsets select revisions. */
  destinationRule?: IstioDestinationRuleRef | undefined;
  /** Host-level splitting: the Service (host short name) that reaches the canary pods. */
  canaryService?: string | undefined;
  /** Host-level splitting: the Service (host short name) that reaches the stable pods. */
  stableService?: string | undefined;
  /**
   * Names of header and mirror routes gradual may create and delete; the
   * order is their precedence. Never list a hand-made route: it is deleted
   * whenever the desired state does not have it.
   */
  managedRoutes?:
    | {
        /** An http route name in the VirtualService. */
        name: string;
      }[]
    | undefined;
}
