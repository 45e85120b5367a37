import type { Certificate } from './result.js';

/**
 * What a family's preparation step (validate the model, build its solver view) hands its
 * methods: the problem `P`, or a certificate that the model has no solution, evident from the
 * data (a client with no allowed site, demand above capacity), for an `infeasible` result.
 * Bad input is not a Prepared: it is a ModelError thrown by the preparation.
 */
export type Prepared<P> = { kind: 'ok'; problem: P } | { kind: 'infeasible'; certificate: Certificate };
