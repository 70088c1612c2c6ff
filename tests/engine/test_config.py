"""committee.toml: the COACH template, and refusals that name the offending key."""

from __future__ import annotations

from datetime import date

import pytest

from review_tui.engine.config import load_config
from review_tui.engine.errors import ConfigError
from review_tui.engine.workspace import init_workspace


def test_the_coach_template_holds_the_programme_rules(workspace):
    committee = workspace.config
    reading, case = committee.track("reading"), committee.track("case")
    assert [(c.id, c.points) for c in reading.criteria] == [
        ("insight", 40), ("interpretation", 35), ("structure", 25)]
    assert [(c.id, c.points) for c in case.criteria] == [("insight", 75), ("structure", 25)]
    assert (reading.min_chars, reading.max_chars, case.min_chars, case.max_chars) == \
        (1000, 1500, 500, 800)
    assert (reading.min_per_agency, reading.max_per_agency) == (1, 3)
    assert (case.min_per_agency, case.max_per_agency) == (2, 4)
    assert (reading.max_authors, case.commended_authors_cap) == (1, 2)
    assert [b.title for b in reading.books] == ["微笑的力量", "工作與生活的雙贏智慧"]
    assert len(case.service_categories) == 9
    assert (reading.quota, case.quota, reading.min_score, reading.agency_award_cap) == \
        (10, 12, 70, 2)
    assert committee.eligible_staff_types == ("編制內", "約聘", "約僱")
    assert committee.deadline == date(2026, 6, 30)
    assert case.required_consents == ("consent_share", "factual")


def test_init_refuses_to_overwrite(workspace):
    with pytest.raises(ConfigError) as error:
        init_workspace(workspace.root, "coach")
    assert error.value.key == "init.exists"


@pytest.mark.parametrize("old, new, key, where", [
    ("points = 25\n\n[[tracks]]", "points = 20\n\n[[tracks]]", "config.points_total",
     "tracks[reading].criteria"),
    ("quota = 10", "quota = 10\nquotaa = 3", "config.unknown_key", "tracks[reading].quotaa"),
    ("agency_award_cap = 2\ncommended_authors_cap = 1",
     "agency_award_cap = -1\ncommended_authors_cap = 1", "config.bad_value",
     "tracks[reading].agency_award_cap"),
    ("min_chars = 1000", "min_chars = 2000", "config.min_above_max", "tracks[reading].min_chars"),
    ('"format.font" = "warn"', '"format.font" = "maybe"', "config.bad_value",
     "severity.format.font"),
    ('"format.font" = "warn"', '"format.fnot" = "warn"', "config.unknown_key",
     "severity.format.fnot"),
    ("discrepancy_threshold = 20", "discrepancy_threshold = 0", "config.bad_value",
     "tally.discrepancy_threshold"),
    ('eligible_staff_types = ["編制內", "約聘", "約僱"]', 'eligible_staff_types = ["志工"]',
     "config.bad_value", "eligibility.eligible_staff_types"),
    ('organiser = "高雄市政府"', 'organizer = "高雄市政府"', "config.unknown_key",
     "documents.organizer"),
    ('programme = "溝通服務COACH旗艦專案"', "programme = 115", "config.bad_value",
     "documents.programme"),
])
def test_a_wrong_setting_is_refused_naming_its_key(workspace, old, new, key, where):
    text = workspace.config_path.read_text(encoding="utf-8")
    assert old in text
    workspace.config_path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(workspace.root)
    assert error.value.key == key
    assert error.value.params["key"] == where


def test_syntax_errors_and_missing_files(tmp_path, workspace):
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path / "nowhere")
    assert error.value.key == "config.no_committee"
    workspace.config_path.write_text("[committee\nid=", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(workspace.root)
    assert error.value.key == "config.syntax"
    workspace.config_path.write_bytes("名稱".encode("cp950"))
    with pytest.raises(ConfigError) as error:
        load_config(workspace.root)
    assert error.value.key == "config.not_utf8"
