"""Reference Fiedler values from scipy for benchmarks/spectral/run.ts (optional: skipped when scipy is absent).

usage: python3 scipy_ref.py EDGEFILE [METHODS] [REPEAT]
  EDGEFILE: first line "n m", then "u v [w]" 0-based (weight 1 when absent)
  METHODS: eigsh,lobpcg (default both); REPEAT: eigsh timings taken (default 1)
prints one JSON object: eigsh shift-invert (sigma = -1e-3, SuperLU) and LOBPCG (Jacobi) results with timings;
with REPEAT > 1 also the eigsh timings without eigenvectors (as benchmarks/compare/reference.py times them).
"""
import json, sys, time
import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh, lobpcg

def main():
    path = sys.argv[1]
    which = sys.argv[2].split(',') if len(sys.argv) > 2 else ['eigsh', 'lobpcg']
    with open(path) as f:
        n, m = map(int, f.readline().split())
        data = np.loadtxt(f, dtype=np.float64, ndmin=2)
    u, v = data[:, 0].astype(np.int64), data[:, 1].astype(np.int64)
    w = data[:, 2] if data.shape[1] > 2 else np.ones(len(u))
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    t0 = time.perf_counter()
    W = sp.coo_matrix((w, (u, v)), shape=(n, n))
    W = (W + W.T).tocsr()
    d = np.asarray(W.sum(axis=1)).ravel()
    L = (sp.diags(d) - W).tocsc()
    build = time.perf_counter() - t0
    out = {'n': n, 'm': m, 'build_s': build}
    normL = None
    def resid(lam, x):
        x = x / np.linalg.norm(x)
        return float(np.linalg.norm(L @ x - lam * x))
    if 'eigsh' in which:
        t0 = time.perf_counter()
        vals, vecs = eigsh(L, k=2, sigma=-1e-3, which='LM')
        t = time.perf_counter() - t0
        i = int(np.argsort(vals)[1])
        out['eigsh'] = {'lambda2': float(vals[i]), 'seconds': t, 'residual': resid(vals[i], vecs[:, i])}
        if repeat > 1:
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                eigsh(L, k=2, sigma=-1e-3, which='LM', return_eigenvectors=False)
                times.append(time.perf_counter() - t0)
            out['eigsh']['valuesOnlySeconds'] = sorted(times)
    if 'lobpcg' in which:
        rng = np.random.default_rng(1)
        X = rng.standard_normal((n, 3))
        Y = np.ones((n, 1)) / np.sqrt(n)
        M = sp.diags(1.0 / d)
        t0 = time.perf_counter()
        vals, vecs = lobpcg(L, X, M=M, Y=Y, tol=1e-8, largest=False, maxiter=5000)
        t = time.perf_counter() - t0
        i = int(np.argsort(vals)[0])
        out['lobpcg'] = {'lambda2': float(vals[i]), 'seconds': t, 'residual': resid(vals[i], vecs[:, i])}
    print(json.dumps(out))

main()
