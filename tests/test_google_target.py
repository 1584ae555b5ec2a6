import pytest

from sheetpilot._backends.google.target import is_google_target, spreadsheet_key
from sheetpilot._errors import ConfigError

KEY = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms"


@pytest.mark.parametrize(
    "target",
    [
        KEY,
        f"  {KEY}  ",
        f"https://docs.google.com/spreadsheets/d/{KEY}",
        f"https://docs.google.com/spreadsheets/d/{KEY}/",
        f"https://docs.google.com/spreadsheets/d/{KEY}/edit",
        f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0",
        f"https://docs.google.com/spreadsheets/d/{KEY}/edit?usp=sharing",
        f"https://docs.google.com/spreadsheets/u/1/d/{KEY}/edit",
        f"https://docs.google.com/a/example.com/spreadsheets/d/{KEY}/htmlview",
        f"http://docs.google.com/spreadsheets/d/{KEY}#gid=12",
    ],
)
def test_key_from_key_or_url(target):
    assert spreadsheet_key(target) == KEY


@pytest.mark.parametrize(
    "target",
    [
        "",
        "plan.xlsx",
        "short",
        "https://docs.google.com/document/d/abcdefghijklmnop/edit",
        "https://example.com/spreadsheets/d/abcdefghijklmnop/edit",
        "some key with spaces",
    ],
)
def test_not_a_spreadsheet_is_a_config_error(target):
    with pytest.raises(ConfigError, match=r"(?i)key"):
        spreadsheet_key(target)


def test_is_google_target():
    assert is_google_target(KEY)
    assert is_google_target(f"https://docs.google.com/spreadsheets/d/{KEY}/edit")
    assert not is_google_target("plans/plan-demo.xlsx")
