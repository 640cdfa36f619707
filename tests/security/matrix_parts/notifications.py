"""Notifications (npm_portal.notifications) in the role × URL matrix.

Every signed-in NPM role and partner member has their own list and settings (200); marking
read is POST only. The world's notification belongs to the head: anyone else marking it read
gets a 404 (nobody learns of another's notifications). Authority users get a 404 for the whole
NPM side (tests/security/test_authority_matrix.py).
"""

from npm_portal.notifications.models import Kind, Notification

MATRIX = {
    "notifications:list": "L 200 200 200 200 200",
    "notifications:settings": "L 200 200 200 200 200",
    "notifications:read": "L 405 405 405 405 405",
    "notifications:read_all": "L 405 405 405 405 405",
}

# Columns: anonymous partner_off partner_on compliance staff head.
POST_MATRIX = {
    "notifications:read": "L 404 404 404 404 R",
    "notifications:read_all": "L R R R R R",
    # An empty form: shown again with the message next to the field.
    "notifications:settings": "L 200 200 200 200 200",
}

ARGUMENTS = {
    "notifications:read": lambda w: {"pk": w.objects["notification_head"].pk},
}


def extend_world(world) -> None:
    world.objects["notification_head"] = Notification.objects.create(
        recipient=world.objects["users"]["head"],
        kind=Kind.APPROVAL_NEEDED,
        title="Report awaits your approval",
        reference="NPM-2026-001",
        url="/",
        visit=world.visit,
    )
