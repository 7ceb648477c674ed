"""Fallback reader for the ``settings:`` block of a YAML file, used when PyYAML
is not installed (the offline image has no third-party packages).

Deliberately tiny. It reads only the top-level ``settings:`` mapping and, inside
it, nested mappings of scalars: plain, single- or double-quoted strings,
integers, floats, booleans (YAML 1.1 spellings, as PyYAML reads them) and
null. Lists, flow collections, anchors, tags and block scalars inside that
block are rejected with an error that says to install PyYAML; everything
outside the block is skipped unread, so the rest of the file may use any YAML.
"""

import re

_BOOLS = {
    **dict.fromkeys(("true", "yes", "on"), True),
    **dict.fromkeys(("false", "no", "off"), False),
}
_NULLS = {"", "~", "null"}
_INT = re.compile(r"^[-+]?\d+$")
_FLOAT = re.compile(r"^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$")
_KEY_VALUE = re.compile(r"^(?P<key>[A-Za-z0-9_.-]+)\s*:(?:\s+(?P<value>.*))?$")
_UNSUPPORTED_START = tuple("[{&*!|>%@`")


class SimpleYamlError(ValueError):
    pass


def parse_settings_block(text: str) -> dict:
    """Return the ``settings:`` mapping of ``text`` ({} when there is none)."""
    block = _settings_lines(text.splitlines())
    return _parse_mapping(block)


def _settings_lines(lines: list[str]) -> list[tuple[int, str]]:
    """Collect (line number, line) pairs indented under a top-level ``settings:``."""
    collected: list[tuple[int, str]] = []
    inside = False
    for number, line in enumerate(lines, start=1):
        if not inside:
            inside = re.match(r"^settings\s*:\s*(#.*)?$", line) is not None
            continue
        if line.strip() and not line[0].isspace() and not line.lstrip().startswith("#"):
            break
        collected.append((number, line))
    return collected


def _parse_mapping(lines: list[tuple[int, str]]) -> dict:
    root: dict = {}
    # Frames are (indent of the mapping's keys, mapping); None until the first key.
    stack: list[tuple[int | None, dict]] = [(None, root)]
    pending: tuple[dict, str] | None = None  # a "key:" whose value may be a nested mapping
    for number, raw in lines:
        content = _strip_comment(raw).rstrip()
        if not content.strip():
            continue
        indent = len(content) - len(content.lstrip(" "))
        if content[indent] == "\t":
            raise SimpleYamlError(f"line {number}: tabs are not allowed for indentation")
        if pending is not None:
            parent, key = pending
            pending = None
            if indent > (stack[-1][0] or 0):
                parent[key] = {}
                stack.append((indent, parent[key]))
        while stack[-1][0] is not None and indent < stack[-1][0] and len(stack) > 1:
            stack.pop()
        if stack[-1][0] is None:
            stack[-1] = (indent, stack[-1][1])
        if indent != stack[-1][0]:
            raise SimpleYamlError(f"line {number}: inconsistent indentation")
        key, value = _split_key_value(number, content.strip())
        mapping = stack[-1][1]
        mapping[key] = value
        if value is None:
            pending = (mapping, key)
    return root


def _split_key_value(number: int, text: str) -> tuple[str, object]:
    if text.startswith("- ") or text == "-":
        raise SimpleYamlError(f"line {number}: lists are not supported without PyYAML")
    match = _KEY_VALUE.match(text)
    if not match:
        raise SimpleYamlError(f"line {number}: expected 'key: value', got {text!r}")
    value = match.group("value")
    if value is None:
        return match.group("key"), None
    return match.group("key"), _scalar(number, value.strip())


def _scalar(number: int, text: str) -> object:
    if text.startswith(_UNSUPPORTED_START):
        raise SimpleYamlError(
            f"line {number}: {text[:1]!r} values need PyYAML (only scalars are read without it)"
        )
    if text[:1] in ("'", '"'):
        return _quoted(number, text)
    lowered = text.lower()
    if lowered in _NULLS:
        return None
    if lowered in _BOOLS:
        return _BOOLS[lowered]
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def _quoted(number: int, text: str) -> str:
    quote = text[0]
    if len(text) < 2 or text[-1] != quote:
        raise SimpleYamlError(f"line {number}: unterminated quoted string")
    body = text[1:-1]
    if quote == "'":
        return body.replace("''", "'")
    escapes = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "/": "/"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), body)


def _strip_comment(line: str) -> str:
    """Drop a trailing ``# comment`` that is outside quotes."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in ("'", '"'):
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index]
    return line
