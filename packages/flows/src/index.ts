/** @emplace/flows: network flows on the shared Graph model. */
export {};
