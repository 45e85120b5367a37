"""Reference solvers for `pnpm bench compare` (optional; the project itself never needs Python).

Reads one JSON job per line on stdin, writes one JSON object per job on stdout:
  {"id", "status", "objective", "ms", "solver"}  (or {"id", "error"}).

Every model is the textbook one solved by HiGHS native through scipy.optimize.milp (relative
MIP gap 1e-6, one thread as on the benchmark machine) or by scipy's eigsh in shift-invert
mode. "ms" is the solver time only (the milp / eigsh calls), not Python start-up, parsing or
the all-pairs shortest paths of pmed files: the reference is measured at its most favourable.

Job kinds:
  cfl     {"file", "singleSource"?}     CFL, strong formulation x_ij <= y_i; split demand, or
                                        single source (x binary) when singleSource is true
  gap     {"file", "index", "sense"}    generalized assignment, problem `index` of the file
  pcenter {"file", "k"?, "timeLimit"?}  p-center on an OR-Library pmed file: binary search over
                                        the distinct distances, set-cover MIP per radius; past
                                        timeLimit s in all: "time-limit" with the smallest
                                        radius proved feasible so far
  pmedian {"file", "timeLimit"}         p-median MIP x_ij <= y_j
  lambda2 {"file", "referenceLimit"?}   algebraic connectivity of the largest component
                                        (edge list, unit weights), eigsh sigma=-1e-3; past
                                        min(timeLimit, referenceLimit) s: "time-limit"
  steiner {"file", "timeLimit"?}        Steiner tree in graphs on a SteinLib file: directed
                                        multi-commodity flow formulation (one commodity per
                                        terminal other than the root, f^k_a <= x_a), whose LP
                                        bound equals the directed cut relaxation's
"""

import gzip
import json
import os
import select
import signal
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

MIP_OPTIONS = {"mip_rel_gap": 1e-6, "disp": False}


def tokens(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return f.read().split()


def run_milp(c, A, lo, hi, integrality, lb, ub, time_limit=None):
    opts = dict(MIP_OPTIONS)
    if time_limit is not None:
        opts["time_limit"] = time_limit
    cons = LinearConstraint(A, lo, hi)
    t0 = time.perf_counter()
    res = milp(c, constraints=[cons], integrality=integrality, bounds=Bounds(lb, ub), options=opts)
    ms = (time.perf_counter() - t0) * 1000
    status = {0: "optimal", 1: "time-limit"}.get(res.status, "status-%d" % res.status)
    obj = float(res.fun) if res.x is not None else None
    return status, obj, ms


def cfl(job):
    t = tokens(job["file"])
    m, n = int(t[0]), int(t[1])
    pos = 2
    cap = np.zeros(m)
    fix = np.zeros(m)
    for i in range(m):
        cap[i] = float(t[pos])
        fix[i] = float(t[pos + 1])
        pos += 2
    dem = np.zeros(n)
    cost = np.zeros((m, n))
    for j in range(n):
        dem[j] = float(t[pos])
        pos += 1
        for i in range(m):
            cost[i, j] = float(t[pos])
            pos += 1
    # variables: y (m) then x (m*n, row-major i*n+j)
    nv = m + m * n
    c = np.concatenate([fix, cost.ravel()])
    rows, cols, vals, lo, hi = [], [], [], [], []
    r = 0
    for j in range(n):  # sum_i x_ij = 1
        for i in range(m):
            rows.append(r); cols.append(m + i * n + j); vals.append(1.0)
        lo.append(1.0); hi.append(1.0); r += 1
    for i in range(m):  # sum_j d_j x_ij - s_i y_i <= 0
        for j in range(n):
            rows.append(r); cols.append(m + i * n + j); vals.append(dem[j])
        rows.append(r); cols.append(i); vals.append(-cap[i])
        lo.append(-np.inf); hi.append(0.0); r += 1
    for i in range(m):  # x_ij - y_i <= 0
        for j in range(n):
            rows.append(r); cols.append(m + i * n + j); vals.append(1.0)
            rows.append(r); cols.append(i); vals.append(-1.0)
            lo.append(-np.inf); hi.append(0.0); r += 1
    A = sp.csr_matrix((vals, (rows, cols)), shape=(r, nv))
    integ = np.concatenate([np.ones(m), np.full(m * n, 1.0 if job.get("singleSource") else 0.0)])
    return run_milp(c, A, np.array(lo), np.array(hi), integ, np.zeros(nv), np.ones(nv), job.get("timeLimit"))


def gap(job):
    t = tokens(job["file"])
    count = int(t[0])
    pos = 1
    for k in range(count):
        m, n = int(t[pos]), int(t[pos + 1])
        pos += 2
        c = np.array([float(v) for v in t[pos:pos + m * n]]).reshape(m, n); pos += m * n
        a = np.array([float(v) for v in t[pos:pos + m * n]]).reshape(m, n); pos += m * n
        b = np.array([float(v) for v in t[pos:pos + m]]); pos += m
        if k != job["index"]:
            continue
        sign = -1.0 if job["sense"] == "max" else 1.0
        nv = m * n
        rows, cols, vals, lo, hi = [], [], [], [], []
        r = 0
        for j in range(n):
            for i in range(m):
                rows.append(r); cols.append(i * n + j); vals.append(1.0)
            lo.append(1.0); hi.append(1.0); r += 1
        for i in range(m):
            for j in range(n):
                rows.append(r); cols.append(i * n + j); vals.append(a[i, j])
            lo.append(-np.inf); hi.append(b[i]); r += 1
        A = sp.csr_matrix((vals, (rows, cols)), shape=(r, nv))
        status, obj, ms = run_milp(sign * c.ravel(), A, np.array(lo), np.array(hi), np.ones(nv), np.zeros(nv), np.ones(nv), job.get("timeLimit"))
        return status, (None if obj is None else sign * obj), ms
    raise ValueError("problem index out of range")


def pmed_distances(path):
    """OR-Library pmed: the last occurrence of a duplicated edge wins, then shortest paths."""
    t = tokens(path)
    n, e, p = int(t[0]), int(t[1]), int(t[2])
    w = {}
    pos = 3
    for _ in range(e):
        u, v, c = int(t[pos]) - 1, int(t[pos + 1]) - 1, float(t[pos + 2])
        pos += 3
        if u == v:
            continue
        w[(min(u, v), max(u, v))] = c
    keys = list(w.keys())
    r = [k[0] for k in keys]
    s = [k[1] for k in keys]
    g = sp.csr_matrix((list(w.values()), (r, s)), shape=(n, n))
    from scipy.sparse.csgraph import shortest_path
    d = shortest_path(g, method="D", directed=False)
    return d, p


def pcenter(job):
    d, p = pmed_distances(job["file"])
    k = job.get("k", p)
    limit = job.get("timeLimit")
    n = d.shape[0]
    radii = np.unique(d)
    lo_i, hi_i = 0, len(radii) - 1
    total_ms = 0.0
    # Lower end: no radius below the largest distance from a client to its nearest site (0 here).
    while lo_i < hi_i:
        left = None if limit is None else limit - total_ms / 1000
        if left is not None and left <= 0:
            return "time-limit", float(radii[hi_i]), total_ms
        mid = (lo_i + hi_i) // 2
        r = radii[mid]
        cover = sp.csr_matrix((d <= r + 1e-9).astype(float).T)  # client j row: sites covering it
        status, obj, ms = run_milp(np.ones(n), cover, np.ones(n), np.full(n, np.inf), np.ones(n), np.zeros(n), np.ones(n), left)
        total_ms += ms
        if status == "optimal" and obj is not None and obj <= k + 1e-9:
            hi_i = mid
        elif status == "optimal":
            lo_i = mid + 1
        elif obj is not None and obj <= k + 1e-9:
            hi_i = mid  # a cover with at most k sites found before the limit: feasible
        else:
            return "time-limit", float(radii[hi_i]), total_ms
    return "optimal", float(radii[lo_i]), total_ms


def pmedian(job):
    d, p = pmed_distances(job["file"])
    n = d.shape[0]
    nv = n + n * n  # y_s, x_sj (s*n+j)
    c = np.concatenate([np.zeros(n), d.ravel()])
    rows, cols, vals, lo, hi = [], [], [], [], []
    r = 0
    for j in range(n):
        for s in range(n):
            rows.append(r); cols.append(n + s * n + j); vals.append(1.0)
        lo.append(1.0); hi.append(1.0); r += 1
    for s in range(n):
        for j in range(n):
            rows.append(r); cols.append(n + s * n + j); vals.append(1.0)
            rows.append(r); cols.append(s); vals.append(-1.0)
            lo.append(-np.inf); hi.append(0.0); r += 1
    for s in range(n):
        rows.append(r); cols.append(s); vals.append(1.0)
    lo.append(p); hi.append(p); r += 1
    A = sp.csr_matrix((vals, (rows, cols)), shape=(r, nv))
    integ = np.concatenate([np.ones(n), np.zeros(n * n)])
    return run_milp(c, A, np.array(lo), np.array(hi), integ, np.zeros(nv), np.ones(nv), job.get("timeLimit"))


def lambda2(job):
    from scipy.sparse.csgraph import connected_components
    from scipy.sparse.linalg import eigsh
    opener = gzip.open if job["file"].endswith(".gz") else open
    us, vs = [], []
    with opener(job["file"], "rt") as f:
        for line in f:
            if not line.strip() or line[0] in "#%":
                continue
            a = line.split()
            us.append(a[0]); vs.append(a[1])
    ids = {}
    u = np.array([ids.setdefault(x, len(ids)) for x in us])
    v = np.array([ids.setdefault(x, len(ids)) for x in vs])
    keep = u != v
    u, v = u[keep], v[keep]
    n = len(ids)
    a = sp.coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n)).tocsr()
    a = ((a + a.T) > 0).astype(float)
    _, lab = connected_components(a, directed=False)
    big = np.argmax(np.bincount(lab))
    idx = np.flatnonzero(lab == big)
    a = a[idx][:, idx].tocsc()
    lap = (sp.diags(np.asarray(a.sum(axis=1)).ravel()) - a).tocsc()

    def timed_eigsh():
        t0 = time.perf_counter()
        vals = eigsh(lap, k=2, sigma=-1e-3, which="LM", return_eigenvectors=False)
        return float(sorted(vals)[1]), (time.perf_counter() - t0) * 1000

    limits = [x for x in (job.get("timeLimit"), job.get("referenceLimit")) if x is not None]
    if not limits or not hasattr(os, "fork"):
        value, ms = timed_eigsh()
        return "optimal", value, ms
    # SuperLU inside eigsh cannot be interrupted, and on graphs with hubs its fill makes it
    # run for many minutes: it runs in a forked child that is killed at the limit, and
    # the answer is then "time-limit" with the limit as (a lower bound of) its time.
    limit = min(limits)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            value, ms = timed_eigsh()
            os.write(write, json.dumps([value, ms]).encode())
        finally:
            os._exit(0)
    os.close(write)
    ready, _, _ = select.select([read], [], [], limit)
    data = os.read(read, 4096) if ready else b""
    os.close(read)
    if not data:
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    if not data:
        return "time-limit", None, limit * 1000.0
    value, ms = json.loads(data)
    return "optimal", value, ms


def steiner(job):
    """SteinLib .stp: E u v w lines and T t lines (1-based); directed multi-commodity flow MIP."""
    opener = gzip.open if job["file"].endswith(".gz") else open
    edges, terms, n = [], [], 0
    with opener(job["file"], "rt") as f:
        for line in f:
            a = line.split()
            if not a:
                continue
            if a[0] == "Nodes":
                n = int(a[1])
            elif a[0] == "E":
                edges.append((int(a[1]) - 1, int(a[2]) - 1, float(a[3])))
            elif a[0] == "T":
                terms.append(int(a[1]) - 1)
    root, sinks = terms[0], terms[1:]
    arcs = [(u, v, w) for u, v, w in edges] + [(v, u, w) for u, v, w in edges]
    na, K = len(arcs), len(sinks)
    nv = na * (1 + K)  # x_a, then f^k_a at na + k*na + a
    c = np.concatenate([np.array([w for _, _, w in arcs]), np.zeros(na * K)])
    rows, cols, vals, lo, hi = [], [], [], [], []
    r = 0
    for k, t in enumerate(sinks):
        base = na + k * na
        for v in range(n):  # inflow - outflow = 1 at t, -1 at the root, 0 elsewhere
            rhs = 1.0 if v == t else (-1.0 if v == root else 0.0)
            lo.append(rhs); hi.append(rhs)
        for a, (u, v, _) in enumerate(arcs):
            rows.append(r + v); cols.append(base + a); vals.append(1.0)
            rows.append(r + u); cols.append(base + a); vals.append(-1.0)
        r += n
        for a in range(na):  # f^k_a <= x_a
            rows.append(r); cols.append(base + a); vals.append(1.0)
            rows.append(r); cols.append(a); vals.append(-1.0)
            lo.append(-np.inf); hi.append(0.0); r += 1
    A = sp.csr_matrix((vals, (rows, cols)), shape=(r, nv))
    integ = np.concatenate([np.ones(na), np.zeros(na * K)])
    return run_milp(c, A, np.array(lo), np.array(hi), integ, np.zeros(nv), np.ones(nv), job.get("timeLimit"))


def ping(job):
    return "optimal", None, 0.0


KINDS = {"ping": ping, "cfl": cfl, "gap": gap, "pcenter": pcenter, "pmedian": pmedian, "lambda2": lambda2, "steiner": steiner}


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--version":
        print(json.dumps({"scipy": scipy.__version__, "numpy": np.__version__}))
        return
    # One job per input line, one answer per output line, so that the caller can interleave
    # the reference with its own runs (same machine load on both sides).
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            status, obj, ms = KINDS[job["kind"]](job)
            out = {"id": job["id"], "status": status, "objective": obj, "ms": ms,
                   "solver": "scipy %s eigsh shift-invert" % scipy.__version__ if job["kind"] == "lambda2" else "HiGHS (scipy %s milp)" % scipy.__version__}
        except Exception as e:  # one bad job must not hide the others
            out = {"id": job["id"], "error": "%s: %s" % (type(e).__name__, e)}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
