"""``vonage-widgets calls create/list/show/hangup``: the Voice API's calls, as an application.

Every request carries a fresh RS256 JWT signed with the application's private key
(:class:`~vonage_widgets.calling.VoiceCalls`), exactly what the official SDKs send; the
target (sandbox or the real API) is chosen like every API command's
(:mod:`vonage_widgets.cli._target`). ``--app-id`` and ``--private-key-file`` default to
``VONAGE_APPLICATION_ID`` and ``VONAGE_PRIVATE_KEY_PATH``. The key is read, never printed.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from vonage_widgets.cli._output import (
    EXIT_CODES_HELP,
    EXIT_OK,
    add_json_argument,
    print_fields,
    print_json,
    stdout,
    usage_error,
)
from vonage_widgets.cli._target import add_target_argument, open_target

__all__ = ["register", "run_create", "run_hangup", "run_list", "run_show"]

_DESCRIPTION = """\
Make and inspect calls with the Voice API (/v1/calls), authenticated as an application: each
request is signed with a fresh JWT made from the application's private key, and the API
checks it with the public key stored on the application. Against the sandbox, a created call
runs at once: its events go to the event URL and its record is final when the command ends.

Examples:
  vonage-widgets calls create --app-id APP_ID --private-key-file app.key \\
      --to 447700900456 --from 447700900000 --talk "Your order has shipped"
  vonage-widgets calls create --to 447700900456 --ncco answer.json --event-url https://e.com/ev
  vonage-widgets calls list --status completed --page-size 20 --json
  vonage-widgets calls show CALL_UUID
  vonage-widgets calls hangup CALL_UUID"""


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--app-id",
        default=os.environ.get("VONAGE_APPLICATION_ID") or None,
        metavar="ID",
        help="the application making the calls (default: $VONAGE_APPLICATION_ID)",
    )
    parser.add_argument(
        "--private-key-file",
        default=os.environ.get("VONAGE_PRIVATE_KEY_PATH") or None,
        metavar="FILE",
        help="its private key, PEM (default: $VONAGE_PRIVATE_KEY_PATH); never printed",
    )
    add_json_argument(parser)
    add_target_argument(parser)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``calls`` command and its ``create``, ``list``, ``show`` and ``hangup``."""
    group = subparsers.add_parser(
        "calls",
        help="make and inspect Voice API calls as an application (JWT auth)",
        description=_DESCRIPTION,
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = group.add_subparsers(dest="calls_command", required=True, metavar="SUBCOMMAND")

    def sub(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = commands.add_parser(
            name,
            help=help_text,
            description=help_text[:1].upper() + help_text[1:] + ".",
            epilog=EXIT_CODES_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _common(parser)
        return parser

    create = sub("create", "place an outbound call (POST /v1/calls); prints its record")
    create.add_argument("--to", required=True, metavar="NUMBER", help="the number to call (E.164)")
    create.add_argument(
        "--from",
        dest="from_",
        metavar="NUMBER",
        help="caller id: one of your numbers (default: random_from_number, a linked number)",
    )
    what = create.add_mutually_exclusive_group(required=True)
    what.add_argument("--ncco", metavar="FILE", help="a JSON file holding the call's NCCO")
    what.add_argument("--talk", metavar="TEXT", help="an NCCO of one talk action saying TEXT")
    what.add_argument("--answer-url", metavar="URL", help="fetch the NCCO from URL instead")
    create.add_argument("--event-url", metavar="URL", help="where the call's events go")
    create.add_argument(
        "--machine-detection", choices=("continue", "hangup"), help="if voicemail answers"
    )
    create.set_defaults(handler=run_create, command_parser=create)

    listing = sub("list", "list calls (GET /v1/calls), oldest first unless --order desc")
    listing.add_argument("--status", metavar="STATUS", help="only calls in this state")
    listing.add_argument("--conversation-uuid", metavar="CON", help="only this conversation's")
    listing.add_argument("--page-size", type=int, default=10, metavar="N", help="1-100 (10)")
    listing.add_argument("--record-index", type=int, default=0, metavar="N", help="skip N calls")
    listing.add_argument("--order", choices=("asc", "desc"), default="asc")
    listing.set_defaults(handler=run_list, command_parser=listing)

    show = sub("show", "show one call's record (GET /v1/calls/UUID)")
    show.add_argument("uuid", metavar="UUID")
    show.set_defaults(handler=run_show, command_parser=show)

    hangup = sub("hangup", "end a call (PUT /v1/calls/UUID with action hangup)")
    hangup.add_argument("uuid", metavar="UUID")
    hangup.set_defaults(handler=run_hangup, command_parser=hangup)


def _calls(args: argparse.Namespace, base_url: str) -> Any:
    from vonage_widgets.calling import VoiceCalls

    if not args.app_id:
        usage_error(args, "--app-id (or VONAGE_APPLICATION_ID) is required")
    if not args.private_key_file:
        usage_error(args, "--private-key-file (or VONAGE_PRIVATE_KEY_PATH) is required")
    return VoiceCalls(base_url, args.app_id, args.private_key_file)


def _show_record(args: argparse.Namespace, record: dict[str, Any]) -> None:
    if args.json:
        print_json(record)
        return
    fields = ("uuid", "status", "direction", "from", "to", "duration", "start_time", "end_time")
    print_fields(
        (name, _endpoint(record.get(name)) if name in ("from", "to") else record.get(name))
        for name in fields
        if record.get(name) is not None
    )


def _endpoint(value: Any) -> Any:
    if isinstance(value, dict):
        for key in ("number", "uri", "user", "extension"):
            if value.get(key):
                return f"{value[key]} ({value.get('type')})"
    return value


def run_create(args: argparse.Namespace) -> int:
    """Place the call, then print its record (the sandbox's is final at once)."""
    from vonage_widgets._json import load_file
    from vonage_widgets.calling import call_body

    ncco: Any = None
    if args.ncco is not None:
        ncco = load_file(args.ncco, subject="NCCO file")
    elif args.talk is not None:
        ncco = [{"action": "talk", "text": args.talk}]
    extra = {"machine_detection": args.machine_detection} if args.machine_detection else {}
    body = call_body(
        args.to,
        ncco=ncco,
        answer_url=args.answer_url,
        from_=args.from_,
        event_url=args.event_url,
        **extra,
    )
    with open_target(args) as target, _calls(args, target.client.api_host) as calls:
        created = calls.create(body)
        record = calls.get(created["uuid"])
    _show_record(args, record)
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    """Print one page of calls (or the API's JSON)."""
    with open_target(args) as target, _calls(args, target.client.api_host) as calls:
        page = calls.list(
            status=args.status,
            conversation_uuid=args.conversation_uuid,
            page_size=args.page_size,
            record_index=args.record_index,
            order=args.order,
        )
    if args.json:
        print_json(page)
        return EXIT_OK
    out = stdout()
    rows = page.get("_embedded", {}).get("calls", [])
    for call in rows:
        out.write(
            f"{call.get('uuid')}  {call.get('status', ''):<10} {call.get('direction', ''):<8} "
            f"{_endpoint(call.get('from'))} -> {_endpoint(call.get('to'))}  "
            f"{call.get('duration', '-')} s\n"
        )
    shown = f"{len(rows)} of {page.get('count', 0)} call{'s' * (page.get('count') != 1)}"
    out.write(("No calls match.\n" if not rows else "") + shown + "\n")
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    """Print one call's record."""
    with open_target(args) as target, _calls(args, target.client.api_host) as calls:
        record = calls.get(args.uuid)
    _show_record(args, record)
    return EXIT_OK


def run_hangup(args: argparse.Namespace) -> int:
    """End one call; prints what was done."""
    with open_target(args) as target, _calls(args, target.client.api_host) as calls:
        calls.hangup(args.uuid)
    if args.json:
        print_json({"uuid": args.uuid, "action": "hangup", "done": True})
    else:
        stdout().write(f"Hung up {args.uuid}\n")
    return EXIT_OK
