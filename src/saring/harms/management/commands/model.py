"""`saring model train [VERSION]|list|activate|rollback|score`: harm classifiers from the
command line. `score` and `train VERSION` are what the background workers do
(saring.harms.jobs)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, no_translations

from saring.harms import jobs
from saring.harms.models import HarmModel
from saring.kernel.jobs import add_range_arguments, check_range, progress_of, write_result


class Command(BaseCommand):
    help = (
        "Train a harm classifier from the analysts' labels (and/or a CSV: a text column plus "
        "one 0/1 column per label), list the versions, activate one, or roll back; score "
        "posts with the active model."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["train", "list", "activate", "rollback", "score"])
        parser.add_argument(
            "version",
            nargs="?",
            type=int,
            help="activate: the version; train: run the queued training of this version "
            "(one started on the Models page) in this process",
        )
        parser.add_argument("--csv", help="train: also learn from this labelled CSV")
        parser.add_argument(
            "--force", action="store_true", help="activate: even if it scores below the active"
        )
        parser.add_argument(
            "--activate", action="store_true", help="train: activate it if it is not worse"
        )
        add_range_arguments(parser, chunk=jobs.SCORE_CHUNK)
        parser.add_argument("--json", action="store_true", help="score: the summary as JSON")

    @no_translations  # like the other commands, English (activation errors are translated)
    def handle(self, *args, action: str, version, csv, force, activate, **options):
        from saring.accounts.scope import SYSTEM  # commands act as the system
        from saring.harms import training

        if action == "score":
            check_range(options["from_id"], options["to_id"], options["chunk"])
            result = jobs.score_posts(
                options["from_id"],
                options["to_id"],
                chunk=options["chunk"],
                progress=progress_of(self, options),
            )
            write_result(self, result, options)
            return
        if action == "train" and version is not None:
            self._train_queued(version)
            return
        if action == "list":
            for m in HarmModel.objects.all():
                f1 = m.metrics.get("macro_f1")
                self.stdout.write(
                    f"v{m.version}\t{m.status}\t{m.created_at:%Y-%m-%d %H:%M}\t"
                    f"macro-F1 {'-' if f1 is None else f'{f1:.3f}'}\t{m.source}"
                    + (f"\t{m.error}" if m.error else "")
                )
            return
        try:
            if action == "train":
                # Trained here, in this process (it works without a worker), so no job is queued.
                model = training.start_training(SYSTEM, csv_path=csv, queue=False)
                jobs.train_model(model.id)
                model.refresh_from_db()
                if model.status == "failed":
                    raise CommandError(f"v{model.version} failed: {model.error}")
                self._report(model)
                if activate:
                    training.activate(model, scope=SYSTEM)
                    self.stdout.write(f"v{model.version} is active; posts are being re-scored")
            elif action == "activate":
                if version is None:
                    raise CommandError("activate needs a VERSION (see saring model list)")
                model = HarmModel.objects.filter(version=version).first()
                if model is None:
                    raise CommandError(f"there is no version {version}")
                training.activate(model, scope=SYSTEM, force=force)
                self.stdout.write(f"v{version} is active; posts are being re-scored")
            else:
                model = training.rollback(scope=SYSTEM)
                self.stdout.write(f"rolled back: v{model.version} is active again")
        except (training.ModelStateError, training.engine.ModelFormatError) as error:
            raise CommandError(str(error)) from error

    def _train_queued(self, version: int) -> None:
        model = HarmModel.objects.filter(version=version).first()
        if model is None:
            raise CommandError(f"there is no version {version}")
        result = jobs.train_model(model.id)
        if result.status == "failed":
            raise CommandError(str(result))
        if not result.trained:
            self.stdout.write(str(result))
            return
        model.refresh_from_db()
        self._report(model)

    def _report(self, model: HarmModel) -> None:
        metrics = model.metrics
        self.stdout.write(
            f"v{model.version} ready: {metrics['rows']:,} rows, macro-F1 "
            f"{metrics['macro_f1']:.3f} (held-out folds), {metrics['seconds']:.0f} s"
        )
        for code, row in metrics["labels"].items():
            self.stdout.write(
                f"  {code:18} positives {row['positives']:>6,}  F1 {row['f1']:.3f}  "
                f"P {row['precision']:.3f}  R {row['recall']:.3f}  threshold {row['threshold']:.2f}"
            )
