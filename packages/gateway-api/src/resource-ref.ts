/** A namespaced object reference: Argo's gatewayAPI plugin names routes bare, in the block's `namespace`. */
export interface ResourceRef {
  /** Object name. */
  name: string;
  /** Namespace of the object. */
  namespace: string;
}
