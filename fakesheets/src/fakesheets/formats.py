"""Normalising formats and colours the way Google stores them.

Google keeps colours as float32, leaves out zero channels, false flags and zero sizes,
and mirrors each legacy colour field (``backgroundColor``) into its ``*Style`` twin
(``backgroundColorStyle.rgbColor``) and back.

>>> fmt = normalize_format({"backgroundColor": {"red": 0.0, "green": 1.0}, "wrap": False})
>>> fmt
{'backgroundColor': {'green': 1}, 'backgroundColorStyle': {'rgbColor': {'green': 1}}}
"""

from __future__ import annotations

from typing import Any

from .values import float32

# legacy colour field -> its ColorStyle twin
COLOR_PAIRS = {
    "backgroundColor": "backgroundColorStyle",
    "foregroundColor": "foregroundColorStyle",
    "tabColor": "tabColorStyle",
    "color": "colorStyle",
}
_CHANNELS = ("red", "green", "blue", "alpha")


def normalize_color(color: Any) -> dict[str, Any]:
    """A Color with float32 channels and zero channels left out."""
    out: dict[str, Any] = {}
    if not isinstance(color, dict):
        return out
    for channel in _CHANNELS:
        value = color.get(channel)
        if isinstance(value, int | float) and not isinstance(value, bool) and value != 0:
            rounded = float32(float(value))
            out[channel] = int(rounded) if rounded.is_integer() else rounded
    return out


def mirror_colors(node: dict[str, Any]) -> None:
    """Fill each colour/colour-style pair from whichever side is set, in place."""
    for plain, style in COLOR_PAIRS.items():
        if style in node and isinstance(node[style], dict):
            style_value = node[style]
            if "rgbColor" in style_value:
                rgb = normalize_color(style_value["rgbColor"])
                node[style] = {"rgbColor": rgb}
                node[plain] = dict(rgb)
            elif "themeColor" in style_value:
                node[style] = {"themeColor": style_value["themeColor"]}
                node.pop(plain, None)
        elif plain in node:
            rgb = normalize_color(node[plain])
            node[plain] = rgb
            node[style] = {"rgbColor": dict(rgb)}


def drop_defaults(value: Any) -> Any:
    """Leave out false, zero and empty-string scalars (proto3 defaults); keep messages."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if (
                item is None
                or item is False
                or item == ""
                or (isinstance(item, int | float) and not isinstance(item, bool) and item == 0)
            ):
                continue
            out[key] = drop_defaults(item)
        return out
    if isinstance(value, list):
        return [drop_defaults(item) for item in value]
    return value


def normalize_format(fmt: dict[str, Any]) -> dict[str, Any]:
    """A CellFormat as Google stores it (see module doc)."""
    out: dict[str, Any] = drop_defaults(fmt)
    _walk_colors(out)
    return out


def _walk_colors(node: Any) -> None:
    if isinstance(node, dict):
        for item in list(node.values()):
            _walk_colors(item)
        mirror_colors(node)
    elif isinstance(node, list):
        for item in node:
            _walk_colors(item)
