"""Hypothesis strategies for JSON values, shared by the tests of every JSON reader and writer."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

__all__ = ["json_scalars", "json_values"]

# Text as JSON allows it after decoding: any code point but lone surrogates (category Cs).
_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)

json_scalars: st.SearchStrategy[Any] = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(-(10**60), 10**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _text
)
"""Every kind of JSON scalar: big integers, finite floats of any size, any Unicode text."""

json_values: st.SearchStrategy[Any] = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=12,
)
"""Nested JSON values (objects with any text keys, arrays), a few levels deep."""
