#!/usr/bin/python3
"""A minimal org.freedesktop.Notifications server for tests.

Usage: notification-server.py <bus-address> <out.jsonl>

Connects to the given (private) session bus, owns org.freedesktop.Notifications and appends
one JSON line per Notify call to <out.jsonl>. Prints "ready" on stdout once the name is owned,
so the test can wait on that line instead of sleeping. Exits on SIGTERM or when the bus goes.

Runs with /usr/bin/python3 (Debian's python3-dbus and python3-gi), not a pyenv python.
"""
import json
import signal
import sys
import time

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

IFACE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


def plain(value):
    """dbus-python values → JSON-friendly Python values (Byte would otherwise become a str)."""
    if isinstance(value, dbus.Boolean):
        return bool(value)
    if isinstance(value, (dbus.Byte, dbus.Int16, dbus.Int32, dbus.Int64,
                          dbus.UInt16, dbus.UInt32, dbus.UInt64)):
        return int(value)
    if isinstance(value, dbus.Double):
        return float(value)
    if isinstance(value, (dbus.String, dbus.ObjectPath, dbus.Signature)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


class Server(dbus.service.Object):
    def __init__(self, bus, out_path):
        super().__init__(bus, PATH)
        self.out = open(out_path, "a", encoding="utf-8")
        self.next_id = 0

    @dbus.service.method(IFACE, in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout):
        self.next_id += 1
        hints = plain(hints)
        record = {
            "received_at": time.time() * 1000,  # epoch ms, for latency measurements
            "id": self.next_id,
            "app_name": str(app_name),
            "replaces_id": int(replaces_id),
            "app_icon": str(app_icon),
            "summary": str(summary),
            "body": str(body),
            "actions": [str(a) for a in actions],
            "hints": hints,
            "urgency": hints.get("urgency"),
            "expire_timeout": int(expire_timeout),
        }
        # One write per line and a flush: the test reads the file while we run.
        self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.out.flush()
        return dbus.UInt32(self.next_id)

    @dbus.service.method(IFACE, in_signature="", out_signature="as")
    def GetCapabilities(self):
        return ["body", "body-markup", "actions"]

    @dbus.service.method(IFACE, in_signature="", out_signature="ssss")
    def GetServerInformation(self):
        return ("panecrew-test", "panecrew", "1.0", "1.2")

    @dbus.service.method(IFACE, in_signature="u", out_signature="")
    def CloseNotification(self, notification_id):
        self.NotificationClosed(notification_id, 3)

    @dbus.service.signal(IFACE, signature="uu")
    def NotificationClosed(self, notification_id, reason):
        pass


def main():
    if len(sys.argv) != 3:
        print("usage: notification-server.py <bus-address> <out.jsonl>", file=sys.stderr)
        return 2
    address, out_path = sys.argv[1], sys.argv[2]
    DBusGMainLoop(set_as_default=True)
    bus = dbus.bus.BusConnection(address)
    loop = GLib.MainLoop()
    bus.call_on_disconnection(lambda _conn: loop.quit())
    name = dbus.service.BusName(IFACE, bus, do_not_queue=True)
    server = Server(bus, out_path)
    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGINT, loop.quit)
    print("ready", flush=True)
    loop.run()
    server.out.close()
    del name
    return 0


if __name__ == "__main__":
    sys.exit(main())
