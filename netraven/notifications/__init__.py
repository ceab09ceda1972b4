"""The notification delivery log: one row per message of an event to a channel, as it is queued,
retried, sent or given up on. Sending is the built-in ``netraven_notify`` plugin's part."""

from netraven.notifications.deliveries import (
    DeliveryFilter,
    NewDelivery,
    delivery_view,
    finish_delivery,
    give_up,
    list_deliveries,
    queue_deliveries,
    record_attempt,
)

__all__ = [
    "DeliveryFilter",
    "NewDelivery",
    "delivery_view",
    "finish_delivery",
    "give_up",
    "list_deliveries",
    "queue_deliveries",
    "record_attempt",
]
