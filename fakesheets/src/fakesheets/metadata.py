"""Developer metadata: ``createDeveloperMetadata`` and ``deleteDeveloperMetadata`` requests.

Metadata lives on the spreadsheet (``"location": {"spreadsheet": true}``) or on a sheet
(``"location": {"sheetId": N}``), in Google's JSON shape; a sheet's metadata goes with the
sheet when it is deleted. ``spreadsheets.get`` shows it as ``developerMetadata`` on the
Spreadsheet and on each Sheet. Row and column locations (``dimensionRange``) and lookups by
range are not implemented (501).

>>> from fakesheets.state import Store
>>> store = Store()
>>> book = store.create("Plan")
>>> reply = create_developer_metadata(book, {"developerMetadata": {"metadataKey": "owner",
...     "location": {"sheetId": 0}, "visibility": "DOCUMENT"}}, store.rng)
>>> made = reply["createDeveloperMetadata"]["developerMetadata"]
>>> made["location"], made["visibility"], made["metadataId"] > 0
({'locationType': 'SHEET', 'sheetId': 0}, 'DOCUMENT', True)
"""

from __future__ import annotations

import random
from typing import Any

from .errors import ApiError
from .state import Spreadsheet

VISIBILITIES = ("DOCUMENT", "PROJECT")
_MAX_ID = 2**31 - 1


class MetadataError(Exception):
    """A bad metadata request; the batch answers ``Invalid requests[i].kind: …``."""


def create_developer_metadata(
    work: Spreadsheet, request: dict[str, Any], rng: random.Random
) -> dict[str, Any]:
    """Attach one DeveloperMetadata; the reply carries it with its ``metadataId``."""
    given = request.get("developerMetadata")
    if not isinstance(given, dict):
        raise MetadataError("Developer metadata must be specified.")
    key = given.get("metadataKey")
    if not key:
        raise MetadataError("Developer metadata must always have a key specified.")
    visibility = given.get("visibility")
    if visibility not in VISIBILITIES:
        raise MetadataError("Developer metadata must always have a visibility specified.")
    location, owner = _location(work, given.get("location"))
    taken = {int(m["metadataId"]) for m in work.all_developer_metadata()}
    metadata_id = given.get("metadataId")
    if metadata_id is not None:
        metadata_id = int(metadata_id)
        if metadata_id <= 0:
            raise MetadataError("Developer metadata ID must be positive.")
        if metadata_id in taken:
            raise MetadataError(f"Developer metadata with ID {metadata_id} already exists.")
    else:
        metadata_id = rng.randrange(1, _MAX_ID)
        while metadata_id in taken:
            metadata_id = rng.randrange(1, _MAX_ID)
    made: dict[str, Any] = {"metadataId": metadata_id, "metadataKey": str(key)}
    if given.get("metadataValue") not in (None, ""):
        made["metadataValue"] = str(given["metadataValue"])
    made["location"] = location
    made["visibility"] = visibility
    owner.append(made)
    return {"createDeveloperMetadata": {"developerMetadata": dict(made)}}


def _location(work: Spreadsheet, location: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The stored location and the list the metadata belongs to."""
    if not isinstance(location, dict) or not location:
        raise MetadataError("Developer metadata must always have a location specified.")
    if "dimensionRange" in location:
        raise ApiError(501, "fakesheets does not implement developer metadata on rows or columns.")
    if location.get("spreadsheet"):
        return {"locationType": "SPREADSHEET", "spreadsheet": True}, work.developer_metadata
    if "sheetId" in location:
        sheet = work.sheet_by_id(int(location["sheetId"]))
        if sheet is None:
            raise MetadataError(f"No grid with id: {int(location['sheetId'])}")
        return {"locationType": "SHEET", "sheetId": sheet.sheet_id}, sheet.developer_metadata
    raise MetadataError("Developer metadata must always have a location specified.")


def delete_developer_metadata(work: Spreadsheet, request: dict[str, Any]) -> dict[str, Any]:
    """Remove every metadata the ``dataFilter``'s ``developerMetadataLookup`` matches."""
    data_filter = request.get("dataFilter")
    if not isinstance(data_filter, dict) or not data_filter:
        raise MetadataError("A data filter must be specified.")
    lookup = data_filter.get("developerMetadataLookup")
    if not isinstance(lookup, dict):
        raise ApiError(
            501, "fakesheets only looks developer metadata up by developerMetadataLookup."
        )
    if not lookup:
        raise MetadataError("At least one field of developerMetadataLookup must be set.")
    deleted: list[dict[str, Any]] = []
    for owner in [work.developer_metadata, *(s.developer_metadata for s in work.sheets)]:
        kept: list[dict[str, Any]] = []
        for metadata in owner:
            (deleted if matches(metadata, lookup) else kept).append(metadata)
        owner[:] = kept
    return {"deleteDeveloperMetadata": {"deletedDeveloperMetadata": deleted}}


def matches(metadata: dict[str, Any], lookup: dict[str, Any]) -> bool:
    """Whether a DeveloperMetadata matches every field a DeveloperMetadataLookup sets.

    >>> m = {"metadataId": 5, "metadataKey": "k", "location": {"locationType": "SHEET",
    ...      "sheetId": 3}, "visibility": "DOCUMENT"}
    >>> matches(m, {"metadataKey": "k", "metadataLocation": {"sheetId": 3}})
    True
    >>> matches(m, {"metadataId": 6})
    False
    """
    for name in ("metadataId", "metadataKey", "metadataValue", "visibility"):
        if name in lookup and str(lookup[name]) != str(metadata.get(name)):
            return False
    wanted = lookup.get("metadataLocation") or {}
    where = metadata.get("location", {})
    if "sheetId" in wanted and where.get("sheetId") != int(wanted["sheetId"]):
        return False
    if wanted.get("spreadsheet") and where.get("locationType") != "SPREADSHEET":
        return False
    return not ("locationType" in lookup and lookup["locationType"] != where.get("locationType"))
