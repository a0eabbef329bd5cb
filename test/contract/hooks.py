"""Schemathesis hooks of the API contract suite.

JSON Schema states each parameter on its own; a few rules of the MANTIS API tie parameters together, and
each operation's `description` in /openapi.json states them. So that the tester's schema-valid requests
(positive mode) respect them too, these hooks drop the generated cases that break one. Negative cases are
left alone: the server must refuse them whatever these rules say.
"""

from datetime import datetime, timezone
import re
import time

import schemathesis
from schemathesis import GenerationMode

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS

# Operations with a [from, to) range: (default span before `to` when `from` is absent, longest span).
RANGES = {
    "/v1/assets/{id}/features": (HOUR_MS, None),
    "/v1/sensors/{id}/signal": (10 * 60_000, DAY_MS),
    "/v1/export/features": (None, HOUR_MS),
    "/v1/export/readings": (None, 10 * 60_000),
}


def epoch_ms(text):
    """A time parameter as the server reads it: decimal epoch ms, or ISO 8601 with a zone."""
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    iso = text.upper().replace("Z", "+00:00")
    iso = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", iso)
    iso = re.sub(r":(\d{2})([+-])", r":\1\2", iso)
    parsed = datetime.fromisoformat(iso)
    return parsed.astimezone(timezone.utc).timestamp() * 1000


def range_ok(path, query):
    default_span, longest = RANGES[path]
    now = time.time() * 1000
    to = epoch_ms(query["to"]) if "to" in query else now
    if "from" in query:
        start = epoch_ms(query["from"])
    elif default_span is None:
        return False
    else:
        start = to - default_span
    if start >= to:
        return False
    return longest is None or to - start <= longest


@schemathesis.hook
def filter_case(context, case):
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return True
    path = case.operation.path
    query = case.query or {}
    if path in RANGES and isinstance(query, dict):
        try:
            return range_ok(path, query)
        except (TypeError, ValueError):
            return True
    return True
