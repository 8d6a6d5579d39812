"""Training from a CSV: column names map to categories; bad files are refused by name."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from saring.harms.models import HarmModel

pytestmark = pytest.mark.django_db


def test_a_latin1_csv_with_ibrohim_columns_trains_a_version(tmp_path, capsys):
    rows = ["Tweet,HS,Abusive,Sumber"]
    for i in range(15):
        rows.append(f"dasar bego kafir {i} USER,1,1,x")
        rows.append(f"ayo ke tps besok {i} caf\xe9,0,0,y")
    path = tmp_path / "latih.csv"
    path.write_bytes("\n".join(rows).encode("latin-1"))
    call_command("model", "train", "--csv", str(path))
    model = HarmModel.objects.get()
    assert (model.status, model.labels) == ("ready", ["abusive", "hate_speech"])
    assert model.label_counts == {"abusive": 15, "hate_speech": 15}
    assert "macro-F1" in capsys.readouterr().out


def test_a_csv_without_a_text_column_fails_with_the_columns_found(tmp_path):
    path = tmp_path / "salah.csv"
    path.write_text("isi,HS\nhalo,0\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"no text column.*isi"):
        call_command("model", "train", "--csv", str(path))
    assert HarmModel.objects.get().status == "failed"


def test_activating_needs_a_known_ready_version():
    with pytest.raises(CommandError, match="there is no version 7"):
        call_command("model", "activate", "7")
    with pytest.raises(CommandError, match="No model is active"):
        call_command("model", "rollback")


def test_three_rows_fail_clearly_and_contradicting_duplicates_are_decided_and_counted(tmp_path):
    tiny = tmp_path / "tiga.csv"
    tiny.write_text("text,HS\nkafir laknat,1\nayo ke tps,0\ncek dpt,0\n", encoding="utf-8")
    with pytest.raises(CommandError, match="3 rows; at least 20"):
        call_command("model", "train", "--csv", str(tiny))
    failed = HarmModel.objects.get()
    assert (failed.status, failed.metrics["error"]["code"]) == ("failed", "too_few_rows")

    rows = ["text,HS"] + [f"dasar kafir {i},1\nayo ke tps {i},0" for i in range(12)]
    rows += ["dasar kafir 0,0", "DASAR kafir 0!!,0"]  # two copies outvote the labelled one
    both = tmp_path / "ganda.csv"
    both.write_text("\n".join(rows), encoding="utf-8")
    call_command("model", "train", "--csv", str(both))
    model = HarmModel.objects.get(version=2)
    assert model.status == "ready" and model.metrics["conflicting_duplicate_groups"] == 1
    assert model.label_counts == {"hate_speech": 11}
