"""The TOML configuration: loaded once, relative paths, environment fallbacks, errors naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheetpilot._config import load_config, parse_every
from sheetpilot._errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sheetpilot.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_loads():
    config = load_config(ROOT / "config.example.toml", env={})
    assert [p.name for p in config.plans] == ["demo", "marketing-2027"]
    demo = config.plan("demo")
    assert demo.path == ROOT / "plan-demo.xlsx"
    assert demo.every_seconds == 300
    assert config.plan("marketing-2027").cron == "*/10 8-19 * * 1-5"
    assert config.history_path == ROOT / "sheetpilot-history.sqlite"
    assert config.daemon.reads_per_minute == 60


def test_relative_paths_resolve_next_to_the_config(tmp_path):
    path = write(
        tmp_path,
        '[google]\ncredentials = "keys/sa.json"\n[[plans]]\nname = "a"\npath = "a.xlsx"\n',
    )
    config = load_config(path, env={})
    assert config.plan("a").path == tmp_path / "a.xlsx"
    assert config.google.credentials == str(tmp_path / "keys" / "sa.json")
    assert config.history_path == tmp_path / "sheetpilot-history.sqlite"


def test_environment_fills_only_what_the_file_leaves_out(tmp_path):
    env = {
        "GOOGLE_APPLICATION_CREDENTIALS": "/env/sa.json",
        "SHEETPILOT_GOOGLE_ENDPOINT": "http://x",
    }
    config = load_config(write(tmp_path, ""), env=env)
    assert config.google.credentials == "/env/sa.json"
    assert config.google.endpoint == "http://x"
    pinned = load_config(write(tmp_path, '[google]\nendpoint = "http://y"\n'), env=env)
    assert pinned.google.endpoint == "http://y"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[plans]]\nname = "a"\npath = "a.xlsx"\nevery = "5 minutes"\n', "plans[0].every"),
        ('[[plans]]\nname = "a"\n', "plans[0]: give exactly one of `path`"),
        ('[[plans]]\nname = "a"\npath = "a.xlsx"\nspreadsheet = "K"\n', "plans[0]: give exactly"),
        ('[[plans]]\nname = "a"\npath = "a.xlsx"\nevery = "5m"\ncron = "* * * * *"\n', "not both"),
        ('[[plans]]\nname = "a"\npath = "a.xlsx"\ncron = "*/5 * *"\n', "plans[0].cron"),
        (
            '[[plans]]\nname = "a"\npath = "a.xlsx"\ntimezone = "Mars/Olympus"\n',
            "plans[0].timezone",
        ),
        ('[[plans]]\nname = "a"\npath = "a.xlsx"\nlocale = "de"\n', "plans[0].locale"),
        ("[daemon]\nreads_per_minute = 0\n", "daemon.reads_per_minute"),
        ("[daemon]\nbogus = 1\n", "daemon.bogus"),
        (
            '[[plans]]\nname = "a"\npath = "a.xlsx"\n[[plans]]\nname = "a"\npath = "b.xlsx"\n',
            "unique",
        ),
        ("[google\n", "not valid TOML"),
    ],
)
def test_bad_configuration_names_the_key(tmp_path, text, expected):
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text), env={})
    assert expected in str(info.value)


def test_missing_file_and_unknown_plan(tmp_path):
    with pytest.raises(ConfigError, match="no configuration file"):
        load_config(tmp_path / "nope.toml", env={})
    config = load_config(write(tmp_path, '[[plans]]\nname = "a"\npath = "a.xlsx"\n'), env={})
    with pytest.raises(ConfigError, match=r"no plan named 'b'.*known plans: a"):
        config.plan("b")


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("5m", 300), ("1h", 3600), ("0.5s", 0.5)]
)
def test_every(text, seconds):
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["5", "m", "5 minutes", "-1m", "0s"])
def test_bad_every(text):
    with pytest.raises(ValueError):
        parse_every(text)


def test_a_french_user_reads_what_is_wrong_with_the_configuration_in_french(tmp_path):
    from sheetpilot._locales import translator

    path = tmp_path / "sheetpilot.toml"
    path.write_text(
        '[daemon]\nreads_per_minute = 0\nrefresh = 3\n[[plans]]\nname = "a"\npath = "a.xlsx"\n'
        'every = "5q"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    french = raised.value.text(translator("fr"))
    assert "configuration invalide" in french
    assert "daemon.reads_per_minute: doit valoir au moins 1" in french
    assert "daemon.refresh: clé inconnue (vérifiez l'orthographe ; clés connues ici :" in french
    assert "plans[0].every: '5q' n'est pas une durée" in french
    english = str(raised.value)
    assert "daemon.reads_per_minute: must be at least 1" in english
    assert "Input should" not in english + french
