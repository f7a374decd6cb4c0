"""The judging maths: from the judges' score sheets to a ranking, shown with its working.

Pure Python on plain values (no database), so it can be tested on hand-made cases and
timed on a thousand entries. `contests.services.judging` loads the sheets and calls `rank`.

For each submitted sheet (one judge, one entry):

- **Weighted total** (0–100): each criterion's score placed on 0–1 within its scale, times
  its weight, summed and divided by the sum of the weights. A 1–5 criterion and a 1–10
  one count by their weights, not by their scales.
- **Raw mean**: the mean of an entry's weighted totals over the judges who scored it.
- **Normalised score** (偏差値 style, 50 ± 10): each judge's totals are turned into
  z-scores against that judge's own mean and standard deviation in the round, so a harsh
  judge and a lenient one count alike; an entry's score is 50 + 10 × the mean of its
  z-scores. A judge with fewer than two sheets, or who gave every entry the same total,
  says nothing about order and contributes 0 (that is, 50).
- **Rank-based count** (a Borda count, 0–100): for each of its judges, the share of that
  judge's other entries this one beat (a tie counts half); the mean over its judges.

Which one ranks: the normalised score when the judges saw different subsets of the
entries (a harsh judge's half would otherwise lose to a lenient judge's half); the raw
mean when every judge scored every entry (a harsh judge then shifts every entry alike,
and the raw mean keeps the scale the judges used). The other two are shown beside it,
and `sensitivity` tells whether the top places would change under them.

Ties on the ranking score go down the tie-break ladder set before the round opened
(`LADDER_STEPS`); what the ladder cannot split is decided by the organizer
(`decisions`, recorded), and until then the places are shared and marked unresolved.
"""

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

# Scores equal to this many decimals are equal (floating-point sums of the same values
# in a different order differ in the last bits).
PRECISION = 9

RAW, NORMALISED, RANK = "raw", "normalised", "rank"
METHODS = (RAW, NORMALISED, RANK)

# Steps of a tie-break ladder: "criterion:<key>" (the higher mean on that criterion), one
# of the three methods, or "votes" (more audience votes).
VOTES = "votes"
CRITERION_PREFIX = "criterion:"


@dataclass(frozen=True)
class Criterion:
    key: Hashable
    weight: float
    scale_min: int
    scale_max: int

    def share(self, value: float) -> float:
        """The score placed on 0–1 within the scale."""
        span = self.scale_max - self.scale_min
        return (value - self.scale_min) / span if span else 0.0


@dataclass(frozen=True)
class Sheet:
    """One judge's submitted scores for one entry: criterion key → value."""

    judge: Hashable
    entry: Hashable
    values: dict


@dataclass
class Standing:
    entry: Hashable
    judges: int = 0
    raw: float | None = None
    normalised: float | None = None
    rank: float | None = None
    criteria: dict = field(default_factory=dict)  # criterion key → mean value
    votes: int = 0
    place: int | None = None
    # How the entry's place was settled against the entries level with it: "score"
    # (nothing level), a ladder step, "organizer", or "unresolved".
    settled_by: str | None = None
    tied_with: list = field(default_factory=list)  # entries still level (unresolved)

    def value(self, step: str) -> float:
        if step.startswith(CRITERION_PREFIX):
            return _key(self.criteria.get(_criterion_key(step, self.criteria)))
        if step == VOTES:
            return float(self.votes)
        return _key(getattr(self, step))


@dataclass(frozen=True)
class JudgeStats:
    judge: Hashable
    sheets: int
    mean: float
    sd: float


@dataclass
class Ranking:
    method: str  # the method that ranks (RAW or NORMALISED)
    standings: list  # scored entries by place, then the unscored ones
    judges: list  # JudgeStats, one per judge with a sheet
    subsets_differ: bool
    unresolved: list = field(default_factory=list)  # lists of entries level at the end

    @property
    def scored(self) -> list:
        return [standing for standing in self.standings if standing.judges]

    def sensitivity(self, places: int = 3) -> dict:
        """The top `places` under each method, and whether they differ: the organizer's
        check before publishing. {"top": {method: [entry, ...]}, "changes": bool,
        "rows": [(entry, {method: place})]} for every entry in any method's top."""
        scored = self.scored
        places_by = {method: _places(scored, method) for method in METHODS}
        top = {
            method: [standing.entry for standing in _ordered(scored, method)[:places]]
            for method in METHODS
        }
        shown = []
        for method in (self.method, *METHODS):
            for entry in top[method]:
                if entry not in shown:
                    shown.append(entry)
        rows = [
            (entry, {method: places_by[method][entry] for method in METHODS}) for entry in shown
        ]

        def podium(method):
            return {e: p for e, p in places_by[method].items() if p <= places}

        changes = any(podium(method) != podium(self.method) for method in METHODS)
        return {"top": top, "changes": changes, "rows": rows}


def weighted_total(values: dict, criteria: Sequence[Criterion]) -> float:
    weights = sum(criterion.weight for criterion in criteria)
    if not weights:
        return 0.0
    total = sum(criterion.weight * criterion.share(values[criterion.key]) for criterion in criteria)
    return 100 * total / weights


def rank(
    criteria: Sequence[Criterion],
    sheets: Iterable[Sheet],
    *,
    entries: Iterable[Hashable] = (),
    ladder: Sequence[str] = (),
    votes: dict | None = None,
    decisions: Iterable[Sequence[Hashable]] = (),
) -> Ranking:
    """Rank the entries of one round. `sheets` are submitted, complete sheets only (a draft
    or a recused judge's assignment is not a sheet); `entries` lists every entry of the
    round, so that those nobody scored still appear (last, without a place). `decisions`
    are the organizer's recorded orders for ties the ladder left."""
    criteria = list(criteria)
    votes = votes or {}
    totals = defaultdict(dict)  # judge → entry → weighted total
    criterion_sums = defaultdict(lambda: defaultdict(float))
    for sheet in sheets:
        totals[sheet.judge][sheet.entry] = weighted_total(sheet.values, criteria)
        sums = criterion_sums[sheet.entry]
        for criterion in criteria:
            sums[criterion.key] += sheet.values[criterion.key]

    judge_stats, z_scores, borda = [], defaultdict(list), defaultdict(list)
    by_entry = defaultdict(list)
    for judge, scored in totals.items():
        values = list(scored.values())
        mean = sum(values) / len(values)
        sd = math.sqrt(sum((value - mean) ** 2 for value in values) / len(values))
        judge_stats.append(JudgeStats(judge, len(values), mean, sd))
        ordered = sorted(_key(value) for value in values)
        for entry, total in scored.items():
            by_entry[entry].append(total)
            z_scores[entry].append((total - mean) / sd if sd > 0 and len(values) > 1 else 0.0)
            borda[entry].append(_beaten_share(_key(total), ordered))

    standings = {}
    for entry in [*entries, *by_entry]:
        if entry in standings:
            continue
        standing = Standing(entry=entry, votes=votes.get(entry, 0))
        scored = by_entry.get(entry)
        if scored:
            standing.judges = len(scored)
            standing.raw = sum(scored) / len(scored)
            standing.normalised = 50 + 10 * sum(z_scores[entry]) / len(scored)
            standing.rank = 100 * sum(borda[entry]) / len(scored)
            standing.criteria = {
                key: value / len(scored) for key, value in criterion_sums[entry].items()
            }
        standings[entry] = standing

    coverage = {frozenset(scored) for scored in totals.values()}
    subsets_differ = len(coverage) > 1
    method = NORMALISED if subsets_differ else RAW
    scored = [standing for standing in standings.values() if standing.judges]
    unscored = [standing for standing in standings.values() if not standing.judges]
    ordered, unresolved = _settle(scored, method, list(ladder), [list(d) for d in decisions])
    return Ranking(
        method=method,
        standings=ordered + unscored,
        judges=judge_stats,
        subsets_differ=subsets_differ,
        unresolved=unresolved,
    )


def _beaten_share(key: float, ordered: list) -> float:
    """The share of the judge's other entries that `key` beat, a tie counting half.
    `ordered`: the judge's totals as keys, sorted (two bisections, not a scan)."""
    others = len(ordered) - 1
    if others == 0:
        return 0.5
    below = bisect_left(ordered, key)
    level = bisect_right(ordered, key) - below - 1
    return (below + level / 2) / others


def _key(value) -> float:
    return round(value, PRECISION) if value is not None else -math.inf


def _criterion_key(step: str, criteria: dict):
    wanted = step.removeprefix(CRITERION_PREFIX)
    for key in criteria:
        if str(key) == wanted:
            return key
    return None


def _ordered(standings: list, method: str) -> list:
    return sorted(standings, key=lambda standing: -_key(getattr(standing, method)))


def _places(standings: list, method: str) -> dict:
    """entry → place under `method` alone, level entries sharing a place (1, 2, 2, 4)."""
    places, previous, place = {}, None, 0
    for position, standing in enumerate(_ordered(standings, method), start=1):
        value = _key(getattr(standing, method))
        if value != previous:
            place, previous = position, value
        places[standing.entry] = place
    return places


def _settle(standings: list, method: str, ladder: list, decisions: list) -> tuple[list, list]:
    """Order by the ranking score, split level entries down the ladder, then by the
    organizer's decisions; give places (level entries share one)."""
    groups = _split(standings, lambda standing: standing.value(method))
    for group in groups:
        for standing in group:
            standing.settled_by = "score"
    for step in ladder:
        groups = [
            part
            for group in groups
            for part in (_split_step(group, step) if len(group) > 1 else [group])
        ]
    settled, unresolved = [], []
    for group in groups:
        if len(group) > 1:
            decided = _decided(group, decisions)
            if decided is not None:
                for standing in decided:
                    standing.settled_by = "organizer"
                settled.extend([standing] for standing in decided)
                continue
            for standing in group:
                standing.settled_by = "unresolved"
                standing.tied_with = [other.entry for other in group if other is not standing]
            unresolved.append([standing.entry for standing in group])
        settled.append(group)
    ordered, position = [], 1
    for group in settled:
        for standing in group:
            standing.place = position
            ordered.append(standing)
        position += len(group)
    return ordered, unresolved


def _split(standings: list, value) -> list:
    """Groups of level entries, best first."""
    groups, previous = [], None
    for standing in sorted(standings, key=lambda standing: -value(standing)):
        current = value(standing)
        if groups and current == previous:
            groups[-1].append(standing)
        else:
            groups.append([standing])
        previous = current
    return groups


def _split_step(group: list, step: str) -> list:
    parts = _split(group, lambda standing: standing.value(step))
    if len(parts) > 1:
        for part in parts:
            for standing in part:
                standing.settled_by = step
    return parts


def _decided(group: list, decisions: list):
    """The group in the organizer's recorded order, if a decision covers all of it."""
    entries = {standing.entry for standing in group}
    for decision in reversed(decisions):  # the latest decision wins
        if entries <= set(decision):
            by_entry = {standing.entry: standing for standing in group}
            return [by_entry[entry] for entry in decision if entry in entries]
    return None
