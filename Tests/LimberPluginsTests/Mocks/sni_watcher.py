'''org.kde.StatusNotifierWatcher, as a panel that hosts StatusNotifierItems
offers it. RegisterStatusNotifierItem(s) records the item and emits
StatusNotifierItemRegistered; RegisteredStatusNotifierItems lists them
(items register by their bus name here, as limber does).
'''
import dbus

BUS_NAME = 'org.kde.StatusNotifierWatcher'
MAIN_OBJ = '/StatusNotifierWatcher'
MAIN_IFACE = 'org.kde.StatusNotifierWatcher'
SYSTEM_BUS = False


def load(mock, parameters):
    mock.AddProperties(MAIN_IFACE, {
        'RegisteredStatusNotifierItems': dbus.Array([], signature='s'),
        'IsStatusNotifierHostRegistered': dbus.Boolean(True),
        'ProtocolVersion': dbus.Int32(0),
    })
    mock.AddMethod(MAIN_IFACE, 'RegisterStatusNotifierItem', 's', '',
                   'items = list(self.Get("org.kde.StatusNotifierWatcher", "RegisteredStatusNotifierItems")); '
                   'name = args[0]; '
                   'items.append(name); '
                   'self.Set("org.kde.StatusNotifierWatcher", "RegisteredStatusNotifierItems", dbus.Array(items, signature="s")); '
                   'self.EmitSignal("org.kde.StatusNotifierWatcher", "StatusNotifierItemRegistered", "s", [name])')
    mock.AddMethod(MAIN_IFACE, 'RegisterStatusNotifierHost', 's', '', '')
