"""kg.evaluate_status and ``kg evaluate-status``: scores against hand-made gold files."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import evaluate_status as module
from kg.cli import cli
from kg.evaluate_status import GoldError, Score, evaluate_status, format_evaluation, score_document


def test_doctests() -> None:
    assert doctest.testmod(module).failed == 0


def test_status_scores_with_and_without_the_year() -> None:
    gold = {
        "doc": "a.txt",
        "projects_status": [
            {"entity": "东湖大道二期", "status": "completed", "year": 2024, "evidence": "x"},
            {"entity": "南山隧道", "status": "preparatory", "year": 2025, "evidence": "x"},
            {"entity": "北河桥", "status": "planned", "year": 2025, "evidence": "x"},
        ],
    }
    pred = {
        "projects_status": [
            {"entity": "东湖大道二期", "status": "completed", "year": 2024},
            {"entity": "南山隧道", "status": "preparatory", "year": 2024},  # wrong year
            {"entity": "西湖大道", "status": "started", "year": 2024},  # not in the gold
        ]
    }
    scores = score_document(gold, pred)
    assert scores.status == Score(1, 2, 2)
    assert scores.status_any_year == Score(2, 1, 1)
    assert scores.progress_tasks is None
    assert "status   北河桥 planned 2025" in scores.misses


def test_progress_rows_are_aligned_by_task_and_compared_by_reported_sentence() -> None:
    gold = {
        "doc": "r.txt",
        "progress": [
            {"task": "新增公共租赁住房1500套", "reported": "筹集公共租赁住房1620套"},
            {"task": "新建城市绿道10公里", "reported": "新建城市绿道8.5公里;提升滨水步道3公里"},
            {"task": "办好全民运动会", "reported": "圆满举办全民运动会"},
        ],
    }
    pred = {
        "progress": [
            {
                "task": "新增公共租赁住房1500套",
                "reported": "筹集公共租赁住房 1620套",
            },  # whitespace does not count
            {"task": "新建城市绿道10公里", "reported": "新建城市绿道8.5公里"},  # cut at ';': wrong
            {"task": "举办马拉松比赛", "reported": "已举办"},  # aligned to nothing
        ]
    }
    scores = score_document(gold, pred)
    assert scores.progress_tasks == Score(2, 1, 1)
    assert scores.progress_reported == Score(1, 2, 2)


def test_score_arithmetic() -> None:
    s = Score(3, 1, 2) + Score(1, 0, 0)
    assert (s.precision, s.recall, round(s.f1, 4)) == (0.8, 2 / 3, 0.7273)
    assert Score().f1 == 1.0  # nothing to find, nothing found


@pytest.fixture()
def gold_and_corpus(tmp_path: Path) -> tuple[Path, Path]:
    gold, corpus = tmp_path / "gold", tmp_path / "corpus"
    gold.mkdir()
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "一、2024年工作总结\n东湖大道二期完工通车。\n二、2025年重点工作\n力争南山大桥开工建设。\n",
        encoding="utf-8",
    )
    (gold / "a.json").write_text(
        json.dumps(
            {
                "doc": "a.txt",
                "projects_status": [
                    {
                        "entity": "东湖大道二期",
                        "status": "completed",
                        "year": 2024,
                        "evidence": "东湖大道二期完工通车",
                    },
                    {
                        "entity": "南山大桥",
                        "status": "planned",
                        "year": 2025,
                        "evidence": "力争南山大桥开工建设",
                    },
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    (gold / "b.json").write_text(
        json.dumps({"doc": "b.txt", "entities": []}), encoding="utf-8"
    )  # no status keys
    return gold, corpus


def test_evaluate_status_extracts_the_documents_the_gold_names(gold_and_corpus: tuple[Path, Path]) -> None:
    gold, _ = gold_and_corpus
    evaluation = evaluate_status(gold)
    assert [d.doc for d in evaluation.documents] == ["a.txt"]
    assert evaluation.total("status") == Score(2, 0, 0)
    table = format_evaluation(evaluation)
    assert (
        "TOTAL                       status (entity+status+year)     1.000  1.000  1.000    2    0    0"
        in table
    )
    assert json.loads(format_evaluation(evaluation, "json"))["total"]["status"]["f1"] == 1.0


def test_evaluate_status_errors(tmp_path: Path, gold_and_corpus: tuple[Path, Path]) -> None:
    with pytest.raises(GoldError, match="no such folder"):
        evaluate_status(tmp_path / "nowhere")
    gold, corpus = gold_and_corpus
    (corpus / "a.txt").unlink()
    with pytest.raises(GoldError, match="does not exist; pass --corpus DIR"):
        evaluate_status(gold)


def test_kg_evaluate_status(gold_and_corpus: tuple[Path, Path]) -> None:
    gold, corpus = gold_and_corpus
    result = CliRunner().invoke(cli, ["evaluate-status", str(gold), "--corpus", str(corpus), "--verbose"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].split() == ["document", "score", "P", "R", "F1", "tp", "fp", "fn"]
    assert "TOTAL" in result.stdout


def test_kg_evaluate_status_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["evaluate-status", str(tmp_path)])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {tmp_path}: no gold file has projects_status or progress; check the folder\n"
    )
