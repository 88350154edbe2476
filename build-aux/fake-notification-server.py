#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# A stand-in notification server: owns org.gtk.Notifications and
# org.freedesktop.Notifications on the session bus and prints every call.
from gi.repository import Gio, GLib

XML = """
<node>
 <interface name="org.gtk.Notifications">
  <method name="AddNotification"><arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="a{sv}" direction="in"/></method>
  <method name="RemoveNotification"><arg type="s" direction="in"/><arg type="s" direction="in"/></method>
 </interface>
 <interface name="org.freedesktop.Notifications">
  <method name="Notify"><arg type="s" direction="in"/><arg type="u" direction="in"/><arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="as" direction="in"/><arg type="a{sv}" direction="in"/><arg type="i" direction="in"/><arg type="u" direction="out"/></method>
  <method name="CloseNotification"><arg type="u" direction="in"/></method>
  <method name="GetCapabilities"><arg type="as" direction="out"/></method>
  <method name="GetServerInformation"><arg type="s" direction="out"/><arg type="s" direction="out"/><arg type="s" direction="out"/><arg type="s" direction="out"/></method>
 </interface>
</node>"""
node = Gio.DBusNodeInfo.new_for_xml(XML)
def call(conn, sender, path, iface, method, params, inv):
    print(iface, method, params.unpack(), flush=True)
    if method == "Notify": inv.return_value(GLib.Variant("(u)", (1,)))
    elif method == "GetCapabilities": inv.return_value(GLib.Variant("(as)", (["body", "actions"],)))
    elif method == "GetServerInformation": inv.return_value(GLib.Variant("(ssss)", ("fake", "x", "1", "1.2")))
    else: inv.return_value(None)
def acquired(conn, name):
    for i in node.interfaces:
        conn.register_object("/org/gtk/Notifications" if i.name.startswith("org.gtk") else "/org/freedesktop/Notifications", i, call, None, None)
bus = Gio.bus_get_sync(Gio.BusType.SESSION)
acquired(bus, None)
Gio.bus_own_name_on_connection(bus, "org.gtk.Notifications", 0, None, None)
Gio.bus_own_name_on_connection(bus, "org.freedesktop.Notifications", 0, None, None)
print("ready", flush=True)
GLib.MainLoop().run()
