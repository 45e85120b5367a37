/** @emplace/kube: Kubernetes federation objects in, placement decisions out. */
export {};
