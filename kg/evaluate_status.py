"""Gold annotations -> scores of project statuses and completion-report rows (precision, recall, F1).

The gold (``../shared/gold/SCHEMA.md``) lists ``projects_status`` ({entity, status, year,
evidence}) for some documents and ``progress`` ({task, reported}) for completion reports. Each
gold file names its document; the document is read from the corpus folder and extracted afresh.

* status: (entity, status, year) triples per document; also (entity, status) ignoring the year.
* progress tasks: predicted and gold rows aligned one to one by character-bigram Jaccard >= 0.5
  (greedy, best first, as ``kg_eval.py`` aligns assignment tasks).
* progress reported: an aligned row whose reported sentence equals the gold's after normalising
  (NFKC, no whitespace).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import KGError

__all__ = [
    "EVALUATION_FORMATS",
    "Score",
    "DocumentScores",
    "StatusEvaluation",
    "GoldError",
    "evaluate_status",
    "score_document",
    "align_tasks",
    "format_evaluation",
]

EVALUATION_FORMATS: tuple[str, ...] = ("table", "json")
ALIGNMENT_THRESHOLD = 0.5
_WORD_CHAR = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")


class GoldError(KGError):
    """A gold folder or file that cannot be used: names it and what to fix."""


@dataclass(frozen=True)
class Score:
    """True positives, false positives and false negatives, with precision, recall and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def record(self) -> dict[str, float | int]:
        return {
            "p": round(self.precision, 4),
            "r": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(frozen=True)
class DocumentScores:
    """The scores of one gold document, and what was missed or extra."""

    doc: str
    status: Score | None = None  # None: the gold has no projects_status
    status_any_year: Score | None = None
    progress_tasks: Score | None = None  # None: the gold has no progress
    progress_reported: Score | None = None
    misses: tuple[str, ...] = field(default=())
    extras: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class StatusEvaluation:
    """Per-document scores and their micro-averaged totals."""

    documents: tuple[DocumentScores, ...]

    def total(self, name: str) -> Score:
        """The sum of one score ("status", "status_any_year", "progress_tasks", "progress_reported")."""
        total = Score()
        for d in self.documents:
            score = getattr(d, name)
            if score is not None:
                total += score
        return total


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).strip()


def _bigrams(text: str) -> set[str]:
    chars = _WORD_CHAR.findall(_norm(text))
    return {a + b for a, b in zip(chars, chars[1:], strict=False)} or set(chars)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def align_tasks(
    gold: Sequence[str], predicted: Sequence[str], threshold: float = ALIGNMENT_THRESHOLD
) -> dict[int, int]:
    """Greedy one-to-one alignment by character-bigram Jaccard, best pairs first: {pred: gold}.

    >>> align_tasks(["新建城北绿道8公里", "推进垃圾分类"], ["推进垃圾分类工作", "新建城北绿道8公里"])
    {1: 0, 0: 1}
    """
    gb, pb = [_bigrams(t) for t in gold], [_bigrams(t) for t in predicted]
    pairs = sorted(
        ((_jaccard(p, g), pi, gi) for pi, p in enumerate(pb) for gi, g in enumerate(gb)), reverse=True
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    aligned: dict[int, int] = {}
    for score, pi, gi in pairs:
        if score < threshold:
            break
        if pi in used_p or gi in used_g:
            continue
        used_p.add(pi)
        used_g.add(gi)
        aligned[pi] = gi
    return aligned


def _set_score(predicted: set[Any], gold: set[Any]) -> Score:
    return Score(len(predicted & gold), len(predicted - gold), len(gold - predicted))


def score_document(gold: dict[str, Any], predicted: dict[str, Any]) -> DocumentScores:
    """Score one document's prediction (a record in the gold format) against its gold record."""
    misses: list[str] = []
    extras: list[str] = []
    status = any_year = tasks = reported = None
    if "projects_status" in gold:
        g = {(_norm(s["entity"]), s["status"], s.get("year")) for s in gold["projects_status"]}
        p = {(_norm(s["entity"]), s["status"], s.get("year")) for s in predicted.get("projects_status", [])}
        status = _set_score(p, g)
        any_year = _set_score({x[:2] for x in p}, {x[:2] for x in g})
        misses += [f"status   {e} {s} {y}" for e, s, y in sorted(g - p, key=str)]
        extras += [f"status   {e} {s} {y}" for e, s, y in sorted(p - g, key=str)]
    if "progress" in gold:
        g_items, p_items = gold["progress"], predicted.get("progress", [])
        aligned = align_tasks([x["task"] for x in g_items], [x["task"] for x in p_items])
        tasks = Score(len(aligned), len(p_items) - len(aligned), len(g_items) - len(aligned))
        same = {
            pi
            for pi, gi in aligned.items()
            if _norm(p_items[pi]["reported"]) == _norm(g_items[gi]["reported"])
        }
        reported = Score(len(same), len(p_items) - len(same), len(g_items) - len(same))
        hit_gold = set(aligned.values())
        misses += [f"task     {x['task'][:40]}" for k, x in enumerate(g_items) if k not in hit_gold]
        extras += [f"task     {x['task'][:40]}" for k, x in enumerate(p_items) if k not in aligned]
        misses += [
            f"reported {g_items[gi]['reported'][:40]}" for pi, gi in sorted(aligned.items()) if pi not in same
        ]
    return DocumentScores(
        gold.get("doc", ""), status, any_year, tasks, reported, tuple(misses), tuple(extras)
    )


def _gold_files(gold_dir: Path) -> list[tuple[Path, dict[str, Any]]]:
    if not gold_dir.is_dir():
        raise GoldError(f"{gold_dir}: no such folder; give the folder of the gold .json files")
    found = []
    for path in sorted(gold_dir.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GoldError(f"{path}: not readable as JSON ({exc}); fix or remove the file") from exc
        if isinstance(record, dict) and ("projects_status" in record or "progress" in record):
            found.append((path, record))
    if not found:
        raise GoldError(f"{gold_dir}: no gold file has projects_status or progress; check the folder")
    return found


def evaluate_status(gold_dir: Path, *, corpus_dir: Path | None = None) -> StatusEvaluation:
    """Extract each document a gold file with ``projects_status`` or ``progress`` names, and score it.

    Args:
        gold_dir: the folder of gold ``.json`` files.
        corpus_dir: where the documents are; by default ``corpus`` next to the gold folder.

    Raises:
        GoldError: no usable gold file, or a document the gold names is not in the corpus.
    """
    from kg.export import extraction_record
    from kg.pipeline import extract_path

    corpus_dir = corpus_dir if corpus_dir is not None else gold_dir.parent / "corpus"
    scores = []
    for path, gold in _gold_files(gold_dir):
        name = gold.get("doc") or path.with_suffix(".txt").name
        source = corpus_dir / name
        if not source.is_file():
            raise GoldError(f"{path}: its document {source} does not exist; pass --corpus DIR")
        result = extract_path(source)
        if result.extraction is None:
            raise GoldError(f"{source}: cannot be extracted ({result.problem})")
        scores.append(score_document(gold, extraction_record(result.extraction, result.document)))
    return StatusEvaluation(tuple(scores))


_SCORES = (
    ("status", "status (entity+status+year)"),
    ("status_any_year", "status (entity+status)"),
    ("progress_tasks", "progress task alignment"),
    ("progress_reported", "progress reported sentence"),
)


def _record(evaluation: StatusEvaluation) -> dict[str, Any]:
    return {
        "documents": [
            {
                "doc": d.doc,
                **{k: getattr(d, k).record() for k, _ in _SCORES if getattr(d, k) is not None},
                "misses": list(d.misses),
                "extras": list(d.extras),
            }
            for d in evaluation.documents
        ],
        "total": {k: evaluation.total(k).record() for k, _ in _SCORES},
    }


def format_evaluation(evaluation: StatusEvaluation, fmt: str = "table", *, verbose: bool = False) -> str:
    """The scores as a table (per document, then micro-averaged totals) or as JSON.

    Raises:
        ValueError: an unknown format.
    """
    if fmt == "json":
        return json.dumps(_record(evaluation), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(EVALUATION_FORMATS)}")
    lines = [f"{'document':<28}{'score':<30}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for d in evaluation.documents:
        for key, label in _SCORES:
            score = getattr(d, key)
            if score is not None:
                lines.append(_line(d.doc, label, score))
        if verbose:
            lines += [f"    missed {m}" for m in d.misses] + [f"    extra  {e}" for e in d.extras]
    lines.append("")
    for key, label in _SCORES:
        lines.append(_line("TOTAL", label, evaluation.total(key)))
    return "\n".join(lines) + "\n"


def _line(doc: str, label: str, s: Score) -> str:
    return f"{doc:<28}{label:<30}{s.precision:7.3f}{s.recall:7.3f}{s.f1:7.3f}{s.tp:5d}{s.fp:5d}{s.fn:5d}"
