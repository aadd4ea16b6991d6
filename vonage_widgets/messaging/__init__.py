"""Delivering Messages and RTC webhooks the way Vonage does: in the background, with retries.

``delivery`` holds :class:`~vonage_widgets.messaging.delivery.WebhookDispatcher`, which the
sandbox's Messages API uses to post status webhooks after answering ``202``, and which the
simulated inbound messages and RTC events use to post at once. Each request goes through the
call engine's webhook caller (:func:`vonage_widgets.voice.http.send`), so timeouts, signing
and failure names are the same as for voice webhooks.

Importing this package loads nothing else: each module is imported where it is used.
"""
