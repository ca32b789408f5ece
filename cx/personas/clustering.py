"""k-means (scikit-learn) and the choice of the number of personas by silhouette, deterministic for rows in a
fixed order: every random draw comes from the fixed seed `SEED`. The work runs on one thread: on samples this
small, waking a pool of BLAS / OpenMP threads cost more than it saved (measured 4× the CPU time on 2 busy
cores)."""

from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances, silhouette_score
from threadpoolctl import threadpool_limits

K_RANGE = (3, 4, 5, 6, 7)
SEED = 0
N_INIT = 4  # k-means++ restarts; the lowest inertia wins
CLUSTER_SAMPLE = 10_000  # the candidate numbers of groups are fitted on at most this many rows…
SILHOUETTE_SAMPLE = 3_000  # …and scored on at most this many of them


def sample_rows(n: int, size: int) -> np.ndarray:
    """At most `size` row indices of `n`, sorted, drawn with the fixed seed (all rows when n <= size)."""
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(SEED).choice(n, size, replace=False))


@threadpool_limits.wrap(limits=1)
def kmeans(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """k-means with N_INIT k-means++ starts from the fixed seed. Returns (labels, centres)."""
    model = KMeans(n_clusters=k, n_init=N_INIT, random_state=SEED).fit(x)
    return model.labels_, model.cluster_centers_


@threadpool_limits.wrap(limits=1)
def refine(x: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Lloyd iterations from the given centres (no random start) until no customer changes group, so that
    refining the result again changes nothing; group i is the group of centre i."""
    return KMeans(n_clusters=len(centres), init=centres, n_init=1, tol=0).fit(x).labels_


@threadpool_limits.wrap(limits=1)
def silhouette(
    x: np.ndarray, labels: np.ndarray, sample: int = SILHOUETTE_SAMPLE, distances: np.ndarray | None = None
) -> float:
    """Mean silhouette (−1…1) over at most `sample` rows drawn with the fixed seed; −1 with one group.
    `distances`: `sample_distances(x, sample)`, when several labellings of the same rows are scored (the
    distances between the sampled rows are then computed once; the score is the same up to rounding in its
    last digits, below the 6 decimals `choose_k` compares)."""
    rows = sample_rows(len(x), sample)
    if len(np.unique(labels[rows])) < 2 or len(np.unique(labels[rows])) >= len(rows):
        return -1.0
    if distances is not None:
        return float(silhouette_score(distances, labels[rows], metric="precomputed"))
    return float(silhouette_score(x[rows], labels[rows]))


@threadpool_limits.wrap(limits=1)
def sample_distances(x: np.ndarray, sample: int = SILHOUETTE_SAMPLE) -> np.ndarray:
    """The Euclidean distances between the rows `silhouette` scores (the matrix it would compute itself)."""
    rows = sample_rows(len(x), sample)
    return pairwise_distances(x[rows])


def choose_k(x: np.ndarray) -> tuple[int, np.ndarray, dict]:
    """The number of groups in K_RANGE with the best silhouette (ties: fewer groups), every customer's group and
    every candidate's silhouette. The candidates are fitted and scored on a fixed-seed sample of CLUSTER_SAMPLE
    rows; the chosen number is then fitted on all rows and refined until no customer moves. With fewer distinct
    customers than 3 (in the sample), as many groups as distinct customers."""
    xs = x[sample_rows(len(x), CLUSTER_SAMPLE)]
    distinct = len(np.unique(np.round(xs, 9), axis=0))
    candidates = [k for k in K_RANGE if k <= distinct]
    if not candidates:
        k = max(distinct, 1)
        return k, (kmeans(x, k)[0] if k > 1 else np.zeros(len(x), dtype=int)), {}
    distances = sample_distances(xs)
    scores = {k: silhouette(xs, kmeans(xs, k)[0], distances=distances) for k in candidates}
    k = max(candidates, key=lambda c: (round(scores[c], 6), -c))
    return k, refine(x, kmeans(x, k)[1]), scores
