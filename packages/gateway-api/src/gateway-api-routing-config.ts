/** One entry of `httpRoutes` / `grpcRoutes` in Argo's gatewayAPI plugin block. */
export interface GatewayApiRouteRef {
  /** Route name, in the block's `namespace`. */
  name: string;
  /**
   * Whether `setHeaderRoute` and `setMirrorRoute` add managed rules to this
   * route. Argo's plugin: true for `httpRoute` / `grpcRoute`, false by
   * default in the lists.
   */
  useHeaderRoutes?: boolean | undefined;
}

/**
 * The Rollout's `trafficRouting.plugins["argoproj-labs/gatewayAPI"]` block,
 * field names as Argo's gatewayAPI plugin reads them, flattened with the
 * strategy's `canaryService`, `stableService` and `trafficRouting.managedRoutes`.
 */
export interface GatewayApiRoutingConfig {
  /** One HTTPRoute (header routes on). */
  httpRoute?: string | undefined;
  /** Several HTTPRoutes. */
  httpRoutes?: GatewayApiRouteRef[] | undefined;
  /** One GRPCRoute (header routes on). */
  grpcRoute?: string | undefined;
  /** Several GRPCRoutes. */
  grpcRoutes?: GatewayApiRouteRef[] | undefined;
  /** Namespace of the routes; the Rollout's namespace when absent. */
  namespace?: string | undefined;
  /** Service of the canary pods: a backendRef by this name gets the canary weight. */
  canaryService: string;
  /** Service of the stable pods: a backendRef by this name gets the rest. */
  stableService: string;
  /**
   * Names of the header and mirror routes gradual may create and delete, in
   * precedence order; each becomes one rule per weighted rule, named `name`,
   * `name-1`, `name-2`, ... (Argo's plugin names them so).
   */
  managedRoutes?: { name: string }[] | undefined;
  /** Argo's plugin: do not label the route while a canary runs. */
  disableInProgressLabel?: boolean | undefined;
  /** Label key set while the canary has weight; default `rollouts.argoproj.io/gatewayapi-canary`. */
  inProgressLabelKey?: string | undefined;
  /** Label value; default `in-progress`. */
  inProgressLabelValue?: string | undefined;
}

/** The key of Argo's gatewayAPI plugin under `trafficRouting.plugins`. */
export const gatewayApiPluginName = 'argoproj-labs/gatewayAPI';
