"""The ranking maths on hand-made cases (contests.ranking): no database."""

import pytest

from contests.ranking import NORMALISED, RAW, Criterion, Sheet, rank, weighted_total

IDEA = Criterion("idea", weight=3, scale_min=1, scale_max=5)
DATA = Criterion("data", weight=1, scale_min=1, scale_max=5)
BOTH = [IDEA, DATA]


def sheet(judge, entry, idea, data=None):
    return Sheet(judge, entry, {"idea": idea, "data": idea if data is None else data})


def places(ranking):
    return {standing.entry: standing.place for standing in ranking.standings}


def standing(ranking, entry):
    return next(s for s in ranking.standings if s.entry == entry)


class TestWeights:
    def test_the_heavier_criterion_decides(self):
        # A is strong on the idea (weight 3), B on the data (weight 1).
        ranking = rank(BOTH, [sheet("j", "A", 5, 1), sheet("j", "B", 1, 5)])
        assert places(ranking) == {"A": 1, "B": 2}
        assert standing(ranking, "A").raw == pytest.approx(75.0)
        assert standing(ranking, "B").raw == pytest.approx(25.0)

    def test_scales_count_by_weight_not_by_size(self):
        five = Criterion("five", weight=1, scale_min=1, scale_max=5)
        ten = Criterion("ten", weight=1, scale_min=1, scale_max=10)
        # Top of a 1–5 scale and bottom of a 1–10 one: exactly half.
        assert weighted_total({"five": 5, "ten": 1}, [five, ten]) == pytest.approx(50.0)
        assert weighted_total({"five": 3, "ten": 10}, [five, ten]) == pytest.approx(75.0)

    def test_the_raw_mean_is_over_the_judges_who_scored(self):
        ranking = rank(BOTH, [sheet("j1", "A", 5), sheet("j2", "A", 3), sheet("j1", "B", 4)])
        assert standing(ranking, "A").raw == pytest.approx(75.0)  # (100 + 50) / 2
        assert standing(ranking, "A").judges == 2
        assert standing(ranking, "B").raw == pytest.approx(75.0)
        assert standing(ranking, "A").criteria == {"idea": 4.0, "data": 4.0}


class TestNormalisation:
    # A harsh judge scored A, B, C; a lenient one D, E, F: the same spread of opinion,
    # shifted. Their best entries (B and D) are equally good in their judges' eyes.
    HARSH_AND_LENIENT = [
        sheet("harsh", "A", 1),
        sheet("harsh", "B", 3),
        sheet("harsh", "C", 2),
        sheet("lenient", "D", 5),
        sheet("lenient", "E", 3),
        sheet("lenient", "F", 4),
    ]

    def test_different_subsets_rank_by_the_normalised_score(self):
        ranking = rank([IDEA], self.HARSH_AND_LENIENT)
        assert ranking.subsets_differ
        assert ranking.method == NORMALISED
        assert standing(ranking, "B").normalised == pytest.approx(standing(ranking, "D").normalised)
        assert standing(ranking, "B").normalised > 50 > standing(ranking, "A").normalised
        assert standing(ranking, "C").normalised == pytest.approx(50.0)
        # Level on the score, and no ladder: a shared, unresolved first place.
        assert places(ranking)["B"] == places(ranking)["D"] == 1
        # Each judge's middle and bottom entries are level too.
        assert [sorted(group) for group in ranking.unresolved] == [
            ["B", "D"],
            ["C", "F"],
            ["A", "E"],
        ]

    def test_the_raw_mean_would_have_put_the_lenient_half_on_top(self):
        ranking = rank([IDEA], self.HARSH_AND_LENIENT)
        panel = ranking.sensitivity(places=3)
        assert panel["top"][RAW][:2] == ["D", "F"]
        assert set(panel["top"][NORMALISED][:2]) == {"B", "D"}
        assert panel["changes"] is True

    def test_full_coverage_ranks_by_the_raw_mean(self):
        sheets = [
            sheet(judge, entry, value)
            for judge, offset in (("harsh", 0), ("kind", 2))
            for entry, value in (("A", 1 + offset), ("B", 2 + offset), ("C", 3 + offset))
        ]
        ranking = rank([IDEA], sheets)
        assert not ranking.subsets_differ
        assert ranking.method == RAW
        assert places(ranking) == {"C": 1, "B": 2, "A": 3}
        # A harsh judge shifts every entry alike: no method changes the podium.
        assert ranking.sensitivity(places=3)["changes"] is False

    def test_judge_statistics_are_shown(self):
        ranking = rank([IDEA], self.HARSH_AND_LENIENT)
        harsh = next(stats for stats in ranking.judges if stats.judge == "harsh")
        assert harsh.sheets == 3
        assert harsh.mean == pytest.approx(25.0)  # totals 0, 50, 25

    def test_a_judge_who_gave_everyone_the_same_total_says_nothing_about_order(self):
        ranking = rank([IDEA], [sheet("flat", "A", 4), sheet("flat", "B", 4), sheet("one", "C", 2)])
        assert standing(ranking, "A").normalised == pytest.approx(50.0)
        assert standing(ranking, "C").normalised == pytest.approx(50.0)  # one sheet only
        assert standing(ranking, "A").rank == pytest.approx(50.0)  # level with B: half


class TestRankBasedCount:
    def test_share_of_the_judges_other_entries_beaten(self):
        ranking = rank([IDEA], [sheet("j", "A", 5), sheet("j", "B", 3), sheet("j", "C", 1)])
        assert standing(ranking, "A").rank == pytest.approx(100.0)
        assert standing(ranking, "B").rank == pytest.approx(50.0)
        assert standing(ranking, "C").rank == pytest.approx(0.0)


class TestTieBreakLadder:
    def level_pair(self):
        # A and B have the same weighted total, A by the idea and B by the data:
        # idea 4, data 2 → (3 × .75 + .25) / 4 = 62.5; idea 3, data 5 → (3 × .5 + 1) / 4.
        return [sheet("j", "A", 4, 2), sheet("j", "B", 3, 5)]

    def test_the_pair_is_level_without_a_ladder(self):
        ranking = rank(BOTH, self.level_pair())
        assert standing(ranking, "A").raw == pytest.approx(standing(ranking, "B").raw)
        assert places(ranking) == {"A": 1, "B": 1}
        assert standing(ranking, "A").settled_by == "unresolved"
        assert standing(ranking, "A").tied_with == ["B"]

    def test_first_step_a_criterion(self):
        ranking = rank(BOTH, self.level_pair(), ladder=["criterion:data", "votes"])
        assert places(ranking) == {"B": 1, "A": 2}
        assert standing(ranking, "B").settled_by == "criterion:data"
        assert ranking.unresolved == []

    def test_a_step_that_does_not_split_passes_to_the_next(self):
        ranking = rank(
            BOTH, self.level_pair(), ladder=["votes", "criterion:idea"], votes={"A": 2, "B": 2}
        )
        assert places(ranking) == {"A": 1, "B": 2}
        assert standing(ranking, "A").settled_by == "criterion:idea"

    def test_votes_step(self):
        ranking = rank(BOTH, self.level_pair(), ladder=["votes"], votes={"A": 1, "B": 7})
        assert places(ranking) == {"B": 1, "A": 2}
        assert standing(ranking, "B").settled_by == "votes"

    def test_another_method_as_a_step(self):
        # B and D are level on the normalised score; the raw mean puts D first.
        ranking = rank([IDEA], TestNormalisation.HARSH_AND_LENIENT, ladder=["raw"])
        assert places(ranking)["D"] == 1
        assert places(ranking)["B"] == 2
        assert standing(ranking, "D").settled_by == "raw"

    def test_a_step_level_too_leaves_the_tie(self):
        # Two judges who disagree exactly: A and C level on every method.
        sheets = [
            sheet("j1", "A", 5),
            sheet("j1", "B", 4),
            sheet("j1", "C", 1),
            sheet("j2", "A", 1),
            sheet("j2", "C", 5),
            sheet("j2", "D", 4),
        ]
        ranking = rank([IDEA], sheets, ladder=["rank"])
        a, c = standing(ranking, "A"), standing(ranking, "C")
        assert a.normalised == pytest.approx(c.normalised)
        assert a.rank == pytest.approx(c.rank)  # each beat all once and none once
        assert places(ranking)["A"] == places(ranking)["C"]
        assert ["A", "C"] in [sorted(group) for group in ranking.unresolved]

    def test_what_the_ladder_cannot_split_the_organizer_decides(self):
        level = [sheet("j", "A", 3), sheet("j", "B", 3), sheet("j", "C", 1)]
        ranking = rank([IDEA], level, ladder=["criterion:idea", "votes"])
        assert places(ranking) == {"A": 1, "B": 1, "C": 3}
        assert sorted(ranking.unresolved[0]) == ["A", "B"]

        decided = rank([IDEA], level, ladder=["criterion:idea", "votes"], decisions=[["B", "A"]])
        assert places(decided) == {"B": 1, "A": 2, "C": 3}
        assert standing(decided, "B").settled_by == "organizer"
        assert decided.unresolved == []

    def test_a_decision_about_other_entries_does_not_apply(self):
        level = [sheet("j", "A", 3), sheet("j", "B", 3), sheet("j", "C", 3)]
        ranking = rank([IDEA], level, decisions=[["B", "A"]])  # C is level too
        assert places(ranking) == {"A": 1, "B": 1, "C": 1}
        assert len(ranking.unresolved) == 1


class TestMissingScores:
    def test_an_entry_nobody_scored_is_listed_last_without_a_place(self):
        ranking = rank([IDEA], [sheet("j", "A", 2)], entries=["A", "B"])
        assert [s.entry for s in ranking.standings] == ["A", "B"]
        assert standing(ranking, "B").place is None
        assert standing(ranking, "B").judges == 0
        assert ranking.scored == [standing(ranking, "A")]

    def test_a_recused_judge_counts_for_nothing(self):
        # j2 recused from A: A's mean is j1's alone, and j2's statistics do not include it.
        ranking = rank([IDEA], [sheet("j1", "A", 5), sheet("j1", "B", 3), sheet("j2", "B", 1)])
        assert standing(ranking, "A").judges == 1
        assert standing(ranking, "A").raw == pytest.approx(100.0)
        assert standing(ranking, "B").judges == 2
        j2 = next(stats for stats in ranking.judges if stats.judge == "j2")
        assert j2.sheets == 1

    def test_nothing_scored_yet(self):
        ranking = rank(BOTH, [], entries=["A"])
        assert ranking.scored == []
        assert ranking.sensitivity()["changes"] is False
