"""Item 5b: NCCOs validated per second, for a typical 5-action IVR.

``validate_ncco`` (every rule, errors only) and ``check_ncco`` (errors, warnings and the typed
actions) against a baseline: the official SDK's NCCO models (``vonage_voice.models``)
validating the same five actions, which check field types and ranges only (no cross-action
rules, no wire paths in the messages).
"""

from __future__ import annotations

from typing import Any

from vonage_voice import models as sdk

from benchmarks._measure import Scale, interleaved_rates
from benchmarks._report import Figure
from vonage_widgets.models.ncco import check_ncco, validate_ncco

__all__ = ["IVR_NCCO", "run", "sdk_validate"]

IVR_NCCO: list[dict[str, Any]] = [
    {
        "action": "record",
        "eventUrl": ["https://example.com/recordings"],
        "split": "conversation",
        "channels": 2,
        "format": "mp3",
    },
    {"action": "talk", "text": "Welcome to Example Corp.", "language": "en-GB", "style": 0},
    {
        "action": "talk",
        "text": "Press 1 for sales or 2 for support, or say what you need.",
        "bargeIn": True,
        "language": "en-GB",
    },
    {
        "action": "input",
        "type": ["dtmf", "speech"],
        "dtmf": {"maxDigits": 1, "timeOut": 5},
        "speech": {"context": ["sales", "support"], "language": "en-GB"},
        "eventUrl": ["https://example.com/ivr"],
    },
    {"action": "notify", "payload": {"menu": "main"}, "eventUrl": ["https://example.com/notify"]},
]
"""Record the call, greet, offer a menu (barge-in), collect a key or speech, notify."""

_SDK_ACTIONS: dict[str, type[Any]] = {
    "record": sdk.Record,
    "talk": sdk.Talk,
    "input": sdk.Input,
    "notify": sdk.Notify,
}

_BENCH = "NCCO"


def sdk_validate(ncco: list[dict[str, Any]]) -> list[Any]:
    """The official SDK's models for each action (raises pydantic's error if one is bad)."""
    return [_SDK_ACTIONS[action["action"]].model_validate(action) for action in ncco]


def run(scale: Scale) -> list[Figure]:
    """Validations per second of the IVR NCCO: validate_ncco, check_ncco, the SDK's models."""
    if validate_ncco(IVR_NCCO) or check_ncco(IVR_NCCO).errors:
        raise RuntimeError("the benchmark NCCO should be valid")
    sdk_validate(IVR_NCCO)
    rates = interleaved_rates(
        {
            "validate": lambda _: validate_ncco(IVR_NCCO),
            "check": lambda _: check_ncco(IVR_NCCO),
            "sdk": lambda _: sdk_validate(IVR_NCCO),
        },
        scale.ncco_checks,
    )
    baseline = "baseline: vonage_voice NCCO models on the same 5 actions (types only)"
    return [
        Figure(
            f"{_BENCH}: validate_ncco, 5-action IVR",
            rates["validate"],
            "NCCOs/s",
            baseline=rates["sdk"],
            notes=f"{baseline}; {scale.ncco_checks:,} each",
        ),
        Figure(
            f"{_BENCH}: check_ncco (errors + warnings), 5-action IVR",
            rates["check"],
            "NCCOs/s",
            baseline=rates["sdk"],
            notes=baseline,
        ),
    ]
