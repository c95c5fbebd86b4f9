"""How many of SciREX's (method, dataset, metric, task) tuples kg recovers from the abstracts.

    PYTHONPATH=. python benchmarks/bench_scirex.py [../shared/corpus/scirex_train.jsonl]

SciREX (allenai/SciREX) annotates whole papers; a tuple counts here only when
its method, dataset and metric names all appear in the abstract (names
compared with underscores as spaces, case folded). Of those, kg recovers the
relation when it says the method is evaluated on the dataset, and the result
when it reports a score of that metric on that dataset (any value: SciREX's
scores come from the papers' tables). The corpus is read at run time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from eval_relations import metric_key, same

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "scirex_train.jsonl"


def name(value: str) -> str:
    return " ".join(value.replace("_", " ").split())


def main() -> int:
    from kg.extract.summary import paper_summaries
    from kg.ingest.scirex import to_fields
    from kg.pipeline import ExtractOptions, extract_mentions
    from kg.records import Paper

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    papers, tuples = [], {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            fields = to_fields(doc)
            if not fields["abstract"]:
                continue
            text = f"{fields['title']} {fields['abstract']}".lower()
            found = [
                t
                for t in doc["n_ary_relations"]
                if all(name(t[k]).lower() in text for k in ("Method", "Material", "Metric"))
            ]
            if found:
                papers.append(Paper(fields["id"], fields["title"], fields["abstract"]))
                tuples[fields["id"]] = found
    records = [json.loads(r) for r in paper_summaries(extract_mentions(papers, ExtractOptions(progress=False)))]
    total = relations = results = 0
    for record in records:
        for t in tuples[record["id"]]:
            method, dataset, metric = name(t["Method"]), name(t["Material"]), name(t["Metric"])
            total += 1
            relations += any(
                r[1] == "evaluatedOn" and same(r[0], method) and same(r[2], dataset) for r in record["relations"]
            )
            results += any(
                same(r["dataset"], dataset) and metric_key(r["metric"]) == metric_key(metric) for r in record["results"]
            )
    print(f"papers with a tuple whose method, dataset and metric are in the abstract: {len(papers)}")
    print(f"tuples: {total}; method evaluatedOn dataset recovered: {relations}; result on dataset: {results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
