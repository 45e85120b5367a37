import type { CliFamily } from '../family.js';
import { families as ufl } from './ufl.js';
import { families as cfl } from './cfl.js';
import { families as sscfl } from './sscfl.js';
import { families as pmedian } from './pmedian.js';
import { families as kcenter } from './kcenter.js';
import { families as lscp } from './lscp.js';
import { families as mclp } from './mclp.js';
import { families as pdispersion } from './pdispersion.js';
import { families as survivable } from './survivable.js';
import { families as stochastic } from './stochastic.js';
import { families as robust } from './robust.js';
import { families as online } from './online.js';
import { families as gap } from './gap.js';
import { families as schedule } from './schedule.js';
import { families as replicas } from './replicas.js';
import { families as steiner } from './steiner.js';
import { families as mst } from './mst.js';
import { families as maxflow } from './maxflow.js';
import { families as mincostflow } from './mincostflow.js';
import { families as mcf } from './mcf.js';
import { families as gomoryhu } from './gomoryhu.js';
import { families as fiedler } from './fiedler.js';
import { families as partition } from './partition.js';
import { families as shapley } from './shapley.js';
import { families as vcg } from './vcg.js';
import { families as pareto } from './pareto.js';

/** Every family the CLI knows, in `--help` order. */
export const allFamilies: readonly CliFamily[] = [
  ...ufl, ...cfl, ...sscfl, ...pmedian, ...kcenter, ...lscp, ...mclp, ...pdispersion, ...survivable, ...stochastic, ...robust, ...online, ...gap, ...schedule, ...replicas,
  ...steiner, ...mst, ...maxflow, ...mincostflow, ...mcf, ...gomoryhu, ...fiedler, ...partition, ...shapley, ...vcg, ...pareto,
];
