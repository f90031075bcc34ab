"""Syndicated and re-posted copies: MinHash signatures of word shingles, bucketed by LSH."""

from __future__ import annotations

import re
import zlib
from typing import Iterable

from datasketch import LeanMinHash, MinHash, MinHashLSH

SHINGLE_WORDS = 5
NUM_PERM = 128
THRESHOLD = 0.7  # estimated Jaccard similarity of shingle sets
MIN_WORDS = 50  # shorter bodies share too few shingles to judge
PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1).permutations  # drawn once, not once per article


def signature(text: str) -> LeanMinHash | None:
    words = re.findall(r"\w+", text.casefold())
    if len(words) < MIN_WORDS:
        return None
    # crc32 instead of datasketch's default sha1: one C call per shingle, 3.5x faster; a 32-bit hash is all
    # MinHash uses. Signatures are never stored, so the hash only has to agree within one run.
    minhash = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32, permutations=PERMUTATIONS)
    minhash.update_batch(" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1))
    return LeanMinHash(minhash)  # the 128 hash values only: 1 KB an article, the texts need not stay in memory


def near_duplicate_clusters(bodies: Iterable[tuple[int, str]], threshold: float = THRESHOLD) \
        -> dict[int, tuple[int, float]]:
    """article id -> (cluster id, similarity to the cluster's first article) for articles with a twin.
    BODIES is read once, one (id, text) at a time, so a database cursor streams through."""
    signatures = {i: s for i, text in bodies if (s := signature(text)) is not None}
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for article_id, minhash in signatures.items():
        lsh.insert(article_id, minhash)
    parent = {article_id: article_id for article_id in signatures}

    def root(article_id: int) -> int:
        while parent[article_id] != article_id:
            parent[article_id] = parent[parent[article_id]]
            article_id = parent[article_id]
        return article_id

    for article_id, minhash in signatures.items():
        for other in lsh.query(minhash):
            a, b = root(article_id), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    for article_id in signatures:
        members.setdefault(root(article_id), []).append(article_id)
    clusters = {}
    for cluster_id, ids in members.items():
        if len(ids) > 1:
            for article_id in ids:
                clusters[article_id] = (cluster_id, round(signatures[article_id].jaccard(signatures[cluster_id]), 3))
    return clusters
