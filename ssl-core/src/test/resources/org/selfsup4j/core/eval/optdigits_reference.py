"""Independent float64 NumPy/SciPy references for KnnClassifierTest and LinearProbeTest on UCI optdigits.

Weighted kNN as InstDisc / solo-learn: (optionally subtract the training mean,) L2-normalise rows,
cosine similarity, top-k, votes exp(s/T).
Linear probe: multinomial logistic regression on scaled features, loss mean CE + lambda/2 ||W||^2
(bias not penalised), fit with SciPy L-BFGS-B to tight tolerances. Scalings as LinearProbe's
FeatureScaling: STANDARDIZE (train mean/std, std 0 -> 1) and MAX_ABS (x / max|x_train|, one scalar).
The full protocol (LinearProbe.evaluate) is replayed: the same held-out split as the Java code
(java.util.SplittableRandom(0) Fisher-Yates permutation, first round(0.2 N) rows held out), lambda
chosen by held-out accuracy only (ties: the larger lambda), refit on all training rows, then test.

Run: python3 optdigits_reference.py /path/to/datasets/optdigits   (several minutes on 2 cores)
Output on the optdigits files in shared/datasets (correct of 1,797 test rows):
  knn k=200 T=0.07: 1693 (0.9421)
  knn k=20  T=0.07: 1740 (0.9683)
  knn k=200 T=0.07 centred: 1746 (0.9716)
  probe MAX_ABS lambda=1e+00: held-out 0.8000  test 1521 (0.8464)  train 0.8608
  probe MAX_ABS lambda=1e-01: held-out 0.9346  test 1615 (0.8987)  train 0.9268
  probe MAX_ABS lambda=1e-02: held-out 0.9503  test 1664 (0.9260)  train 0.9482
  probe MAX_ABS lambda=1e-03: held-out 0.9673  test 1694 (0.9427)  train 0.9723
  probe MAX_ABS lambda=1e-04: held-out 0.9725  test 1708 (0.9505)  train 0.9861
  probe MAX_ABS lambda=1e-05: held-out 0.9699  test 1712 (0.9527)   (from an earlier run of the same fits)
  -> MAX_ABS protocol: lambda* = 1e-4 (held-out 0.9725) -> test 1708 (0.9505)
  STANDARDIZE, all training rows, fixed lambda (earlier version of this script): 1e-1: 1668 (0.9282),
  1e-2: 1692, 1e-3: 1707 (0.9499, the ceiling), 1e-4: 1704, 1e-5: 1694, 1e-6: 1686.
"""
import sys
import numpy as np
from scipy.optimize import minimize

d = sys.argv[1] if len(sys.argv) > 1 else "optdigits"
tr = np.loadtxt(d + "/optdigits.tra", delimiter=",")
te = np.loadtxt(d + "/optdigits.tes", delimiter=",")
xtr, ytr = tr[:, :64], tr[:, 64].astype(int)
xte, yte = te[:, :64], te[:, 64].astype(int)


def knn(k, t, center=False):
    a, b = xtr, xte
    if center:
        mu = xtr.mean(0)
        a, b = a - mu, b - mu
    a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    b = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    s = b @ a.T
    idx = np.argsort(-s, axis=1, kind="stable")[:, :k]
    w = np.exp(np.take_along_axis(s, idx, 1) / t)
    scores = np.zeros((len(b), 10))
    for c in range(10):
        scores[:, c] = (w * (ytr[idx] == c)).sum(1)
    return int((scores.argmax(1) == yte).sum())


for k, center in ((200, False), (20, False), (200, True)):
    n = knn(k, 0.07, center)
    print(f"knn k={k} T=0.07{' centred' if center else ''}: {n} ({n / len(yte):.4f})", flush=True)

# --- java.util.SplittableRandom(seed).nextInt(bound), to replay LinearProbe's held-out split ---
M64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15


class SplittableRandom:
    def __init__(self, seed):
        self.seed = seed & M64

    def _mix32(self):
        self.seed = (self.seed + GOLDEN_GAMMA) & M64
        z = ((self.seed ^ (self.seed >> 33)) * 0x62A9D9ED799705F5) & M64
        return (((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & M64) >> 32  # unsigned 32 bits

    def next_int(self, bound):
        r = self._mix32()
        m = bound - 1
        if bound & m == 0:
            return r & m
        u = r >> 1
        while True:
            r = u % bound
            if u + m - r < (1 << 31):  # Java: int overflow makes u + m - r negative -> reject
                return r
            u = self._mix32() >> 1


def permutation(n, seed):
    p = list(range(n))
    rnd = SplittableRandom(seed)
    for i in range(n - 1, 0, -1):
        j = rnd.next_int(i + 1)
        p[i], p[j] = p[j], p[i]
    return np.array(p)


def scaler(mode, x):
    if mode == "STANDARDIZE":
        mu, sd = x.mean(0), x.std(0)
        sd[sd < 1e-12] = 1
        return lambda z: (z - mu) / sd
    s = np.abs(x).max()
    s = s if s >= 1e-12 else 1.0
    return lambda z: z / s


def fit(x, y, lam):
    A = np.hstack([x, np.ones((len(x), 1))])
    Y = np.eye(10)[y]
    n, D = A.shape

    def loss(theta):
        T = theta.reshape(D, 10)
        Z = A @ T
        Z -= Z.max(1, keepdims=True)
        P = np.exp(Z)
        S = P.sum(1, keepdims=True)
        value = (np.log(S).sum() - (Z * Y).sum()) / n + 0.5 * lam * (T[:-1] ** 2).sum()
        G = A.T @ (P / S - Y) / n
        G[:-1] += lam * T[:-1]
        return value, G.ravel()

    r = minimize(loss, np.zeros(D * 10), jac=True, method="L-BFGS-B",
                 options=dict(maxiter=20000, gtol=1e-8, ftol=1e-14))
    return r.x.reshape(D, 10)


def hits(T, x, y):
    return int((np.argmax(np.hstack([x, np.ones((len(x), 1))]) @ T, 1) == y).sum())


perm = permutation(len(ytr), 0)
n_val = int(np.floor(len(ytr) * 0.2 + 0.5))
vi, fi = perm[:n_val], perm[n_val:]
LAMBDAS = (1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6)  # LinearProbe.DEFAULT_LAMBDAS
for mode in ("MAX_ABS", "STANDARDIZE"):
    f_fit = scaler(mode, xtr[fi])
    f_all = scaler(mode, xtr)
    best, best_acc = None, -1
    for lam in LAMBDAS:  # strongest first; ties keep the larger lambda
        T = fit(f_fit(xtr[fi]), ytr[fi], lam)
        va = hits(T, f_fit(xtr[vi]), ytr[vi]) / n_val
        Tf = fit(f_all(xtr), ytr, lam)
        h = hits(Tf, f_all(xte), yte)
        print(f"probe {mode} lambda={lam:.0e}: held-out {va:.4f}  test {h} ({h / len(yte):.4f})  "
              f"train {hits(Tf, f_all(xtr), ytr) / len(ytr):.4f}", flush=True)
        if va > best_acc:
            best, best_acc, best_hits = lam, va, h
    print(f"probe {mode} protocol: lambda*={best:.0e} (held-out {best_acc:.4f}) -> test {best_hits} "
          f"({best_hits / len(yte):.4f})", flush=True)
