"""Config stage: site.yaml → SiteConfig, every problem in one pass."""

from __future__ import annotations

import yaml

from generator.config import parse_config
from generator.read import load_yaml
from tests.conftest import SITE_YAML


def parse(text: str, base_url: str | None = None):
    raw, problems = load_yaml(text, "content/site.yaml", 1)
    assert problems == []
    return parse_config(raw, "content/site.yaml", base_url)


def test_fixture_config():
    config, problems = parse(SITE_YAML)
    assert problems == []
    assert config.base_path == "/" and not config.is_absolute
    assert [r.key for r in config.ratings] == ["false", "unsubstantiated", "true"]
    assert (config.worst_rating, config.best_rating) == (1, 5)
    assert config.organisation.url == "https://example.org/"


def test_base_url_override_gives_subpath():
    config, _ = parse(SITE_YAML, "https://example.org/factcheck")
    assert config.base_url == "https://example.org/factcheck/"
    assert config.base_path == "/factcheck/" and config.is_absolute


def test_bad_base_url_override():
    config, problems = parse(SITE_YAML, "javascript:alert(1)")
    assert config is None and [d.code for d in problems] == ["invalid-base-url"]


def test_every_problem_at_once_with_lines():
    raw = yaml.safe_load(SITE_YAML)
    raw["ratings"][1]["value"] = "three"
    del raw["title"]
    raw["langauge"] = "en"
    text = yaml.safe_dump(raw, sort_keys=False)
    _, problems = parse(text)
    assert sorted(d.code for d in problems) == ["missing-field", "unknown-field", "wrong-type"]
    unknown = next(d for d in problems if d.code == "unknown-field")
    assert unknown.hint == "did you mean 'language'?"
    assert unknown.line == text.splitlines().index("langauge: en") + 1


def test_duplicate_rating_key():
    text = SITE_YAML.replace('key: "true"', 'key: "false"')
    _, problems = parse(text)
    assert [d.code for d in problems] == ["duplicate-rating"]


def test_not_a_mapping():
    config, problems = parse_config(["a"], "content/site.yaml")
    assert config is None and problems[0].code == "invalid-site-yaml"


def test_contact_is_a_link_or_mail_address():
    config, problems = parse(SITE_YAML + "contact: mailto:desk@example.org\n")
    assert problems == [] and config.contact == "mailto:desk@example.org"
    _, problems = parse(SITE_YAML + "contact: javascript:alert(1)\n")
    assert [d.code for d in problems] == ["unsafe-url"]
