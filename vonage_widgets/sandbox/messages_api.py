"""The Messages API's send route, simulated inbound messages and RTC events on the sandbox.

Routes:

* ``POST /v1/messages`` [api-notes §8.1]: ``Authorization: Bearer <application JWT>``
  (checked by :func:`vonage_widgets.keys.verify_application_jwt`, as for ``/v1/calls``) or
  ``Basic`` (API key and secret). The body is checked by
  :func:`vonage_widgets.models.messages.validate_message`; a refusal is ``422`` with the
  Messages API's problem body (``type`` ``.../api-errors/messages#1150`` etc.,
  ``invalid_parameters`` naming each field), bad credentials ``401`` with the spec's
  ``#unathorized`` body (sic), an application without the messages capability ``401``
  ``#unprovisioned``. Success is ``202 {"message_uuid": ...}``; the status webhooks are then
  posted in the background (:mod:`vonage_widgets.messaging.delivery`).
* ``GET /_sandbox/messages/{uuid}`` (Basic): the status webhooks of a message, waiting until
  none is pending (``?wait=0`` does not wait), for a sandbox in another process.
* ``POST /_sandbox/messages/inbound`` (Basic): body ``{"to", "text", "from", "channel"}``;
  posts an inbound message to the ``inbound_url`` of the application ``to`` is linked to.
* ``POST /_sandbox/rtc/events`` (Basic): body ``{"application_id", "type", "body",
  "conversation_id"}``; posts an RTC event to the application's rtc ``event_url``.

Decisions where the public material is silent [api-notes §8]:

* **Where statuses go**: the message's ``webhook_url``, else (JWT) the application's
  messages ``status_url``. A Basic-auth send has no application and the sandbox has no
  account-level settings, so without ``webhook_url`` its statuses are recorded as "not sent".
* **Format**: ``webhook_version``, else the application's ``capabilities.messages.version``,
  else ``v1``. Inbound messages use the application's version.
* **Signing**: Messages webhooks are always signed (signed webhooks are "enabled by
  default" for Messages and no switch is documented): HS256 with the account's signature
  secret, ``api_key`` and (for a JWT send) ``application_id`` claims. RTC events are signed
  unless ``capabilities.rtc.signed_callbacks`` is ``false``.
* **Sender**: ``from`` is checked for its format, not for ownership (real accounts may use
  alphanumeric ids and external accounts the sandbox does not model).
* **RTC envelope** (no public schema): the Conversation API's event object (``id``,
  ``type``, ``from``, ``body``, ``timestamp``, ``_embedded``, ``_links``) plus
  ``conversation_id`` and ``application_id``; ids ``CON-``/``MEM-``/``USR-`` + UUID.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from vonage_widgets._json import loads
from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.keys import JwtRefused
from vonage_widgets.sandbox.basic_auth import basic_account, unauthorized
from vonage_widgets.sandbox.calls import DEFAULT_CALLER, DEFAULT_SIGNATURE_SECRET, CallSimulator
from vonage_widgets.sandbox.problems import bad_request

__all__ = [
    "INBOUND_PATH",
    "MESSAGES_API_PATH",
    "RTC_EVENTS_PATH",
    "RTC_EVENT_TYPES",
    "MessagesApi",
    "messages_routes",
]

MESSAGES_API_PATH = "/v1/messages"
INBOUND_PATH = "/_sandbox/messages/inbound"
RTC_EVENTS_PATH = "/_sandbox/rtc/events"
RTC_EVENT_TYPES = (
    "conversation:created",
    "member:invited",
    "member:joined",
    "member:left",
    "message",
    "custom:event",
)
"""RTC event types :meth:`MessagesApi.rtc_event` builds a body for (any ``custom:*`` too)."""
_MAX_BODY = 1024 * 1024
_UNAUTHORIZED = (
    "https://developer.vonage.com/api-errors/#unathorized",  # sic, the spec's spelling
    "You did not provide correct credentials.",
    "Check that you're using the correct credentials, and that your account has this "
    "feature enabled",
)
_UNPROVISIONED = (
    "https://developer.vonage.com/api-errors/#unprovisioned",
    "The crendentials provided do not have access to the requested product",  # sic
    "Check your API key is correct and has been whitelisted",
)


class _Refused(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


class MessagesApi:
    """Handlers for the Messages routes over one store, the accounts and a dispatcher."""

    def __init__(self, simulator: CallSimulator) -> None:
        from vonage_widgets.messaging.delivery import WebhookDispatcher
        from vonage_widgets.sandbox.voice_api import VoiceApi

        self.simulator = simulator
        self.store = simulator.store
        self.ids = simulator.ids
        self.voice = VoiceApi(simulator)  # its JWT check and key lookup
        self.dispatcher = WebhookDispatcher()

    def close(self) -> None:
        """Finish queued webhooks and stop the delivery thread."""
        self.dispatcher.close()

    # -- helpers -----------------------------------------------------------------------

    def _new_id(self, kind: str) -> str:
        """A UUID for a new message (or RTC object): reproducible with a seeded sandbox."""
        return self.ids.resource_id(kind, self.store.next_sequence(kind))

    def _signer(self, account: str, app_id: str | None) -> Any:
        from vonage_widgets.keys import sign_webhook

        secret = self.simulator.signature_secrets.get(account, DEFAULT_SIGNATURE_SECRET)

        def sign(payload: Any) -> str:
            return sign_webhook(payload, secret, api_key=account, application_id=app_id)

        return sign

    def _basic_account(self, request: Request) -> str | None:
        return basic_account(self.simulator.accounts, request.headers.get("authorization", ""))

    def _unauthorized(self, kind: tuple[str, str, str], why: str = "") -> Response:
        headers = {"WWW-Authenticate": 'Basic realm="Vonage sandbox", Bearer'}
        if why:
            headers["X-Sandbox-Auth-Error"] = why[:300]
        body = {
            "type": kind[0],
            "title": kind[1],
            "detail": kind[2],
            "instance": self.ids.instance(),
        }
        return JSONResponse(body, 401, headers=headers, media_type="application/problem+json")

    def _sandbox_auth(self, request: Request) -> str:
        account = self._basic_account(request)
        if account is None:
            raise _Refused(unauthorized(self.ids.instance()))
        return account

    async def _json(self, request: Request) -> tuple[bytes, object]:
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > _MAX_BODY:
                raise ValidationError(
                    [FieldError("", "the request body is larger than 1024 KB")], subject="body"
                )
        if not raw.strip():
            raise ValidationError([FieldError("", "the request body is empty")], subject="body")
        return raw, loads(raw, subject="request body")

    def _invalid_json(self, error: ValidationError) -> Response:
        body = {
            "type": "https://developer.vonage.com/api-errors#invalid-json",
            "title": "Invalid JSON",
            "detail": "The request body did not contain valid JSON: "
            + "; ".join(str(e) for e in error.errors[:3]),
            "instance": self.ids.instance(),
        }
        return JSONResponse(body, 422)

    # -- POST /v1/messages ---------------------------------------------------------------

    def _authenticate(self, request: Request) -> tuple[str, str | None, dict[str, Any] | None]:
        """(account, application id, messages capability) or raise _Refused."""
        header = request.headers.get("authorization", "")
        if header.strip().lower().startswith("basic"):
            account = self._basic_account(request)
            if account is None:
                raise _Refused(self._unauthorized(_UNAUTHORIZED, "basic: wrong key or secret"))
            return account, None, None
        try:
            account, token = self.voice.authenticate(request)
        except JwtRefused as error:
            raise _Refused(
                self._unauthorized(_UNAUTHORIZED, f"{error.reason}: {error.detail}")
            ) from None
        stored = self.store.get_application(account, token.application_id)
        capabilities = (stored.document.get("capabilities") or {}) if stored else {}
        messages = capabilities.get("messages")
        if not isinstance(messages, dict):
            raise _Refused(
                self._unauthorized(
                    _UNPROVISIONED,
                    f"application {token.application_id} has no messages capability",
                )
            )
        return account, token.application_id, messages

    async def send(self, request: Request) -> Response:
        """``POST /v1/messages``: check, answer 202, post the statuses in the background."""
        from vonage_widgets.models.messages import (
            ERROR_TITLES,
            ERROR_TYPE_BASE,
            MessageRefused,
            validate_message,
        )

        try:
            account, app_id, messages = await run_in_threadpool(self._authenticate, request)
        except _Refused as refused:
            return refused.response
        try:
            _, data = await self._json(request)
        except ValidationError as error:
            return self._invalid_json(error)
        try:
            message = validate_message(data)
        except MessageRefused as error:
            body = {
                "type": f"{ERROR_TYPE_BASE}#{error.code}",
                "title": ERROR_TITLES[error.code],
                "detail": "; ".join(str(e) for e in error.errors[:5]),
                "instance": self.ids.instance(),
                "invalid_parameters": [{"name": e.path, "reason": e.message} for e in error.errors],
            }
            return JSONResponse(body, 422)
        message_uuid = await run_in_threadpool(self._new_id, "message")
        await run_in_threadpool(
            self._queue_statuses, account, app_id, messages, message, message_uuid
        )
        return JSONResponse(
            {"message_uuid": message_uuid}, 202, headers={"X-Request-Id": str(uuid.uuid4())}
        )

    def _queue_statuses(
        self,
        account: str,
        app_id: str | None,
        messages: dict[str, Any] | None,
        message: Any,
        message_uuid: str,
    ) -> None:
        from vonage_widgets.messaging.delivery import Job
        from vonage_widgets.models.messages import planned_statuses, status_payload

        url = message.webhook_url
        note = ""
        if url is None and messages is not None:
            hook = (messages.get("webhooks") or {}).get("status_url") or {}
            url = hook.get("address") or None
            note = "" if url else f"application {app_id} has no messages status_url"
        elif url is None:
            note = "sent with Basic auth and no webhook_url: no status URL applies"
        version = message.webhook_version or (messages or {}).get("version") or "v1"
        signer = self._signer(account, app_id)
        jobs = [
            Job(
                "status",
                message_uuid,
                status,
                url,
                status_payload(
                    message,
                    message_uuid,
                    status,
                    code,
                    self.store.now(),
                    version=version,
                    instance=self.ids.instance(),
                ),
                signer,
                note,
            )
            for status, code in planned_statuses(message)
        ]
        self.dispatcher.submit(message_uuid, jobs)

    # -- GET /_sandbox/messages/{uuid} ---------------------------------------------------

    async def statuses(self, request: Request) -> Response:
        """The status deliveries of a message (waits for pending ones unless ``wait=0``)."""
        try:
            self._sandbox_auth(request)
        except _Refused as refused:
            return refused.response
        key = request.path_params["uuid"]
        wait = request.query_params.get("wait", "1") != "0"
        found = await run_in_threadpool(self.dispatcher.wait, key, 30.0 if wait else 0.0)
        return JSONResponse({"message_uuid": key, "deliveries": [d.to_dict() for d in found]})

    # -- simulated inbound messages ------------------------------------------------------

    def inbound(
        self,
        account: str,
        to: object,
        text: object,
        from_: object = DEFAULT_CALLER,
        channel: object = "sms",
    ) -> Any:
        """Post an inbound message to number ``to``'s application; returns the Delivery."""
        from vonage_widgets.messaging.delivery import Job
        from vonage_widgets.models.messages import check_inbound, inbound_payload
        from vonage_widgets.sandbox.numbers import SEED_NUMBERS

        check_inbound(channel, to, from_, text)
        assert isinstance(to, str)
        assert isinstance(text, str)
        assert isinstance(channel, str)
        assert isinstance(from_, str)

        def refuse(message: str) -> ValidationError:
            return ValidationError([FieldError("to", message)], subject="inbound message")

        self.store.seed_account(account, SEED_NUMBERS)
        owned = self.store.get_number(account, to)
        if owned is None:
            raise refuse(f"the account {account!r} does not own {to}: use one of its numbers")
        feature = "MMS" if channel == "mms" else "SMS"
        if channel != "whatsapp" and feature not in owned.get("features", []):
            features = ", ".join(owned.get("features", [])) or "none"
            raise refuse(f"{to} cannot receive {channel}: its features are {features}")
        app_id = owned.get("app_id")
        if not app_id:
            raise refuse(
                f"{to} is not linked to an application: link it first "
                f"(client.numbers.link({to!r}, app_id))"
            )
        stored = self.store.get_application(account, app_id)
        if stored is None:
            raise refuse(f"{to} is linked to application {app_id}, which no longer exists")
        messages = (stored.document.get("capabilities") or {}).get("messages")
        if not isinstance(messages, dict):
            raise refuse(
                f"{to} is linked to application {app_id}, which has no messages capability: "
                "enable messages (with an inbound_url) on it"
            )
        hook = (messages.get("webhooks") or {}).get("inbound_url") or {}
        url = hook.get("address")
        if not url:
            raise refuse(f"application {app_id} has no messages inbound_url: set one")
        message_uuid = self._new_id("message")
        payload = inbound_payload(
            channel=channel,
            to=to,
            from_=from_,
            text=text,
            message_uuid=message_uuid,
            timestamp=self.store.now(),
            version=messages.get("version") or "v1",
        )
        job = Job("inbound", message_uuid, "inbound", url, payload, self._signer(account, app_id))
        return self.dispatcher.deliver_now(job)

    def rtc_event(
        self,
        account: str,
        application_id: object,
        type_: object = "member:joined",
        body: object = None,
        conversation_id: object = None,
    ) -> Any:
        """Post one Conversation-style event to the application's rtc ``event_url``."""
        from vonage_widgets.messaging.delivery import Job

        problems: list[FieldError] = []
        if not isinstance(application_id, str) or not application_id:
            problems.append(FieldError("application_id", "is required (an application id)"))
        if not isinstance(type_, str) or not (
            type_ in RTC_EVENT_TYPES or type_.startswith("custom:")
        ):
            problems.append(
                FieldError("type", "must be one of " + ", ".join(RTC_EVENT_TYPES) + " or custom:*")
            )
        if body is not None and not isinstance(body, dict):
            problems.append(FieldError("body", "must be an object"))
        if conversation_id is not None and (
            not isinstance(conversation_id, str) or not conversation_id.startswith("CON-")
        ):
            problems.append(FieldError("conversation_id", "must be a CON-<uuid> id"))
        if problems:
            raise ValidationError(problems, subject="rtc event")
        assert isinstance(application_id, str)
        assert isinstance(type_, str)
        stored = self.store.get_application(account, application_id)
        if stored is None:
            raise ValidationError(
                [FieldError("application_id", f"no application {application_id} in this account")],
                subject="rtc event",
            )
        rtc = (stored.document.get("capabilities") or {}).get("rtc")
        url = ((rtc or {}).get("webhooks") or {}).get("event_url", {}).get("address")
        if not isinstance(rtc, dict) or not url:
            raise ValidationError(
                [
                    FieldError(
                        "application_id",
                        f"application {application_id} has no rtc event_url: enable rtc with one",
                    )
                ],
                subject="rtc event",
            )
        conversation = conversation_id or f"CON-{self._new_id('conversation')}"
        member, user = f"MEM-{self._new_id('member')}", f"USR-{self._new_id('user')}"
        now = self.store.now()
        event_body = body if isinstance(body, dict) else _rtc_body(type_, member, user, now)
        event_id = self.store.next_sequence(f"rtc:{conversation}")
        envelope = {
            "id": event_id,
            "type": type_,
            "from": member,
            "body": event_body,
            "timestamp": now,
            "conversation_id": conversation,
            "application_id": application_id,
            "_embedded": {
                "from_user": {"id": user, "name": "sandbox_user"},
                "from_member": {"id": member},
            },
            "_links": {
                "self": {
                    "href": f"https://api.nexmo.com/v1/conversations/{conversation}/events/{event_id}"
                }
            },
        }
        signed = rtc.get("signed_callbacks") is not False
        signer = self._signer(account, application_id) if signed else None
        return self.dispatcher.deliver_now(
            Job("rtc", str(conversation), type_, url, envelope, signer)
        )

    # -- HTTP wrappers -------------------------------------------------------------------

    async def inbound_route(self, request: Request) -> Response:
        """``POST /_sandbox/messages/inbound``."""
        return await self._sandbox_route(
            request,
            ("to", "text", "from", "channel"),
            lambda account, b: self.inbound(
                account,
                b.get("to"),
                b.get("text"),
                b.get("from", DEFAULT_CALLER),
                b.get("channel", "sms"),
            ),
        )

    async def rtc_route(self, request: Request) -> Response:
        """``POST /_sandbox/rtc/events``."""
        return await self._sandbox_route(
            request,
            ("application_id", "type", "body", "conversation_id"),
            lambda account, b: self.rtc_event(
                account,
                b.get("application_id"),
                b.get("type", "member:joined"),
                b.get("body"),
                b.get("conversation_id"),
            ),
        )

    async def _sandbox_route(self, request: Request, keys: tuple[str, ...], run: Any) -> Response:
        try:
            account = self._sandbox_auth(request)
        except _Refused as refused:
            return refused.response
        try:
            _, data = await self._json(request)
            if not isinstance(data, dict):
                raise ValidationError([FieldError("", "must be a JSON object")], subject="body")
            unknown = [
                FieldError(k, "is not a field of this request") for k in data if k not in keys
            ]
            if unknown:
                raise ValidationError(unknown, subject="body")
            delivery = await run_in_threadpool(run, account, data)
        except ValidationError as error:
            return bad_request(error.errors, self.ids.instance())
        return JSONResponse(delivery.to_dict())


def _rtc_body(type_: str, member: str, user: str, now: str) -> dict[str, Any]:
    user_obj = {"id": user, "member_id": member, "user_id": user, "name": "sandbox_user"}
    if type_ in ("member:joined", "member:invited", "member:left"):
        moment = type_.split(":")[1]
        return {
            "member_id": member,
            "user": user_obj,
            "channel": {"type": "app"},
            "timestamp": {moment: now},
            "initiator": {moment: {"isSystem": False, "member_id": member, "user_id": user}},
        }
    if type_ == "message":
        return {"message_type": "text", "text": "Hello from the sandbox"}
    if type_ == "conversation:created":
        return {"name": "sandbox-conversation", "timestamp": {"created": now}}
    return {}


def messages_routes(api: MessagesApi) -> list[Route]:
    """The Messages routes, to add to the sandbox's app (``build_app(extra_routes=...)``)."""
    return [
        Route(MESSAGES_API_PATH, api.send, methods=["POST"]),
        Route(INBOUND_PATH, api.inbound_route, methods=["POST"]),
        Route("/_sandbox/messages/{uuid}", api.statuses, methods=["GET"]),
        Route(RTC_EVENTS_PATH, api.rtc_route, methods=["POST"]),
    ]
