"""Helpers shared by the fakesheets tests: a running stand-in and a cassette replayer."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from fakesheets import FakeSheets

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "google-reference"
SPREADSHEET_ID = re.compile(r"[A-Za-z0-9_-]{40,}")
TIMESTAMPS = ("createdTime", "modifiedTime")


@dataclass
class Outcome:
    """One replayed interaction: what Google answered and what the stand-in answered."""

    cassette: str
    index: int
    request: str
    expected: tuple[int, Any]
    actual: tuple[int, Any]

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


@dataclass
class Replayer:
    """Replays recorded interactions in order, mapping Google's ids to the stand-in's."""

    fake: FakeSheets
    session: requests.Session = field(default_factory=requests.Session)
    ids: dict[str, str] = field(default_factory=dict)  # Google spreadsheet id -> ours
    sheet_ids: dict[int, int] = field(default_factory=lambda: {0: 0})  # Google sheetId -> ours

    def replay(self, cassette: Path) -> list[Outcome]:
        data = json.loads(cassette.read_text(encoding="utf-8"))
        return [self._one(cassette.name, i, item) for i, item in enumerate(data["interactions"])]

    def _one(self, name: str, index: int, interaction: dict[str, Any]) -> Outcome:
        request, response = interaction["request"], interaction["response"]
        url = urlsplit(request["uri"])
        path = SPREADSHEET_ID.sub(lambda m: self._our_id(m.group(0)), url.path)
        target = f"{self.fake.url}{path}" + (f"?{url.query}" if url.query else "")
        body = request.get("body")
        data = None
        if body:
            payload = json.loads(body)
            data = json.dumps(_map_sheet_ids(payload, self.sheet_ids)).encode()
        answer = self.session.request(
            request["method"], target, data=data, headers={"Content-Type": "application/json"}
        )
        recorded = response["body"]["string"]
        expected_body = json.loads(recorded) if recorded else None
        actual_body = answer.json() if answer.content else None
        self._learn(expected_body, actual_body)
        actual_body = self._to_google(actual_body)
        return Outcome(
            name,
            index,
            f"{request['method']} {url.path}?{url.query}",
            (response["status"]["code"], _scrub(expected_body)),
            (answer.status_code, _scrub(actual_body)),
        )

    def _our_id(self, google_id: str) -> str:
        if google_id not in self.ids:
            # An id never created in this recording: a spreadsheet that exists but is not
            # shared with the test account.
            self.ids[google_id] = self.fake.create_spreadsheet("someone else's", shared=False)
        return self.ids[google_id]

    def _learn(self, expected: Any, actual: Any) -> None:
        if isinstance(expected, dict) and isinstance(actual, dict):
            for key, value in expected.items():
                if key not in actual:
                    continue
                mine = actual[key]
                if key == "sheetId" and isinstance(value, int) and isinstance(mine, int):
                    if value not in self.sheet_ids and mine not in self.sheet_ids.values():
                        self.sheet_ids[value] = mine
                elif (
                    key in ("id", "spreadsheetId")
                    and isinstance(value, str)
                    and isinstance(mine, str)
                ):
                    if value not in self.ids and mine not in self.ids.values():
                        self.ids[value] = mine
                else:
                    self._learn(value, mine)
        elif isinstance(expected, list) and isinstance(actual, list):
            for value, mine in zip(expected, actual, strict=False):
                self._learn(value, mine)

    def _to_google(self, value: Any) -> Any:
        ours_to_google = {v: k for k, v in self.ids.items()}
        sheets_back = {v: k for k, v in self.sheet_ids.items()}

        def walk(node: Any, key: str | None = None) -> Any:
            if isinstance(node, dict):
                return {k: walk(v, k) for k, v in node.items()}
            if isinstance(node, list):
                return [walk(v, key) for v in node]
            if key == "sheetId" and isinstance(node, int):
                return sheets_back.get(node, node)
            if isinstance(node, str):
                return SPREADSHEET_ID.sub(
                    lambda m: ours_to_google.get(m.group(0), m.group(0)), node
                )
            return node

        return walk(value)


def _map_sheet_ids(node: Any, mapping: dict[int, int], key: str | None = None) -> Any:
    if isinstance(node, dict):
        return {k: _map_sheet_ids(v, mapping, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_map_sheet_ids(v, mapping, key) for v in node]
    if key == "sheetId" and isinstance(node, int):
        return mapping.get(node, node)
    return node


def _scrub(node: Any) -> Any:
    """Timestamps aside: Google's and ours can never agree on the clock."""
    if isinstance(node, dict):
        return {k: ("<time>" if k in TIMESTAMPS else _scrub(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_scrub(v) for v in node]
    return node
