"""Syndicated and re-posted copies: MinHash signatures of word shingles, matched by LSH bands.

A signature is 128 hash values; it is cut into BANDS bands of ROWS values, and two articles become
candidates when one whole band is equal. The signatures and band keys are stored (db/enrichment.py),
so a run hashes only new or changed articles and finds candidates with an indexed join in SQLite:
memory stays flat however many articles there are.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from functools import cache
from itertools import accumulate
from typing import Callable, Iterable

import numpy as np

SHINGLE_WORDS = 5
NUM_PERM = 128
THRESHOLD = 0.7  # estimated Jaccard similarity of shingle sets
BANDS, ROWS = 14, 9  # what datasketch's MinHashLSH would pick for THRESHOLD and NUM_PERM
MIN_WORDS = 50  # shorter bodies share too few shingles to judge
MERSENNE_PRIME = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)


@cache
def permutations() -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of each universal hash a·x + b mod 2**61 - 1, drawn once, exactly as datasketch's
    MinHash(num_perm=128, seed=1) draws them: stored signatures were made with those. Our own 10 lines
    instead of datasketch, whose package import pulls in scipy (0.55 s at every start of a process)."""
    generator = np.random.RandomState(1)
    drawn = [(generator.randint(1, MERSENNE_PRIME, dtype=np.uint64), generator.randint(0, MERSENNE_PRIME, dtype=np.uint64))
             for _ in range(NUM_PERM)]
    a, b = np.array(drawn, dtype=np.uint64).T
    return a, b


def signature(text: str) -> bytes | None:
    """128 little-endian uint32 (MinHash values stay below 2**32); None for a short text."""
    words = re.findall(r"\w+", text.casefold())
    if len(words) < MIN_WORDS:
        return None
    # crc32 rather than sha1: one C call per shingle, 3.5x faster; a 32-bit hash is all MinHash uses.
    # Stored signatures depend on it and on the permutations: change either and `frontline enrich` must
    # recompute them.
    # Each shingle is a slice of the words joined once (the same bytes as joining its 5 words): half the time
    # of joining and encoding every shingle anew.
    encoded = [word.encode() for word in words]
    starts = list(accumulate((len(word) + 1 for word in encoded), initial=0))
    joined = memoryview(b" ".join(encoded))
    hashes = np.array([zlib.crc32(joined[starts[i]:starts[i + SHINGLE_WORDS] - 1])
                       for i in range(len(words) - SHINGLE_WORDS + 1)], dtype=np.uint64, ndmin=2).T
    a, b = permutations()
    values = np.bitwise_and((hashes * a + b) % MERSENNE_PRIME, MAX_HASH).min(axis=0)
    return values.astype("<u4").tobytes()


def band_keys(signature: bytes) -> list[int]:
    """One key per band: 8 bytes of blake2b over its values, as a signed 64-bit SQLite integer."""
    size = ROWS * 4
    return [int.from_bytes(hashlib.blake2b(signature[band * size:(band + 1) * size], digest_size=8).digest(),
                           "big", signed=True) for band in range(BANDS)]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity: the share of equal MinHash values."""
    return float(np.count_nonzero(np.frombuffer(a, "<u4") == np.frombuffer(b, "<u4"))) / NUM_PERM


def near_duplicate_clusters(candidates: Iterable[tuple[int, int]], signature_of: Callable[[int], bytes],
                            threshold: float = THRESHOLD) -> dict[int, tuple[int, float]]:
    """article id -> (cluster id, similarity to the cluster's first article) for articles with a twin.
    A candidate pair (equal band) joins a cluster only if its signatures agree on THRESHOLD of values."""
    parent: dict[int, int] = {}

    def root(article_id: int) -> int:
        parent.setdefault(article_id, article_id)
        while parent[article_id] != article_id:
            parent[article_id] = parent[parent[article_id]]
            article_id = parent[article_id]
        return article_id

    for a, b in candidates:
        if similarity(signature_of(a), signature_of(b)) >= threshold:
            first, second = sorted((root(a), root(b)))
            parent[second] = first
    clusters = {}
    for article_id in parent:
        cluster_id = root(article_id)
        clusters[article_id] = (cluster_id, round(similarity(signature_of(article_id), signature_of(cluster_id)), 3))
    return clusters
