"""`saring model train|list|activate|rollback`: harm classifiers from the command line."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, no_translations

from saring.harms.models import HarmModel


class Command(BaseCommand):
    help = (
        "Train a harm classifier from the analysts' labels (and/or a CSV: a text column plus "
        "one 0/1 column per label), list the versions, activate one, or roll back."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["train", "list", "activate", "rollback"])
        parser.add_argument("version", nargs="?", type=int, help="activate: the version")
        parser.add_argument("--csv", help="train: also learn from this labelled CSV")
        parser.add_argument(
            "--force", action="store_true", help="activate: even if it scores below the active"
        )
        parser.add_argument(
            "--activate", action="store_true", help="train: activate it if it is not worse"
        )

    @no_translations  # like the other commands, English (activation errors are translated)
    def handle(self, *args, action: str, version, csv, force, activate, **options):
        from saring.harms import training

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
                model = training.start_training(None, csv_path=csv)
                # The command trains in its own process, so it also works without a worker.
                model = training.run_training(model.id)
                if model.status == "failed":
                    raise CommandError(f"v{model.version} failed: {model.error}")
                self._report(model)
                if activate:
                    training.activate(model)
                    self.stdout.write(f"v{model.version} is active; posts are being re-scored")
            elif action == "activate":
                if version is None:
                    raise CommandError("activate needs a VERSION (see saring model list)")
                model = HarmModel.objects.filter(version=version).first()
                if model is None:
                    raise CommandError(f"there is no version {version}")
                training.activate(model, force=force)
                self.stdout.write(f"v{version} is active; posts are being re-scored")
            else:
                model = training.rollback()
                self.stdout.write(f"rolled back: v{model.version} is active again")
        except (training.ModelStateError, training.engine.ModelFormatError) as error:
            raise CommandError(str(error)) from error

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
