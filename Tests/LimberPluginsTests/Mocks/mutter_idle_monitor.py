'''A python3-dbusmock template for GNOME Shell's org.gnome.Mutter.IdleMonitor
(as much of it as limber's gnome-idle plugin uses), for tests.

FireWatch("idle" | "active") on org.freedesktop.DBus.Mock emits WatchFired for
the newest watch of that kind (as Mutter does when idle time reaches an idle
watch's interval, or on input after idle), and returns its id (0: none).
User-active watches are one-shot, as in Mutter.
'''
import dbus

from dbusmock import MOCK_IFACE

BUS_NAME = 'org.gnome.Mutter.IdleMonitor'
MAIN_OBJ = '/org/gnome/Mutter/IdleMonitor/Core'
MAIN_IFACE = 'org.gnome.Mutter.IdleMonitor'
SYSTEM_BUS = False


def load(mock, parameters):
    mock.idletime = int(parameters.get('idletime', 0))
    mock.next_watch = 0
    mock.watches = {}
    mock.AddMethods(MAIN_IFACE, [
        ('GetIdletime', '', 't', 'ret = dbus.UInt64(self.idletime)'),
        ('AddIdleWatch', 't', 'u',
         'self.next_watch += 1; self.watches[self.next_watch] = ("idle", int(args[0])); ret = dbus.UInt32(self.next_watch)'),
        ('AddUserActiveWatch', '', 'u',
         'self.next_watch += 1; self.watches[self.next_watch] = ("active", 0); ret = dbus.UInt32(self.next_watch)'),
        ('RemoveWatch', 'u', '', 'self.watches.pop(int(args[0]), None)'),
    ])


@dbus.service.method(MOCK_IFACE, in_signature='s', out_signature='u')
def FireWatch(self, kind):
    ids = [i for i, (k, _) in self.watches.items() if k == kind]
    if not ids:
        return dbus.UInt32(0)
    watch = max(ids)
    if kind == 'active':
        del self.watches[watch]
    self.EmitSignal(MAIN_IFACE, 'WatchFired', 'u', [dbus.UInt32(watch)])
    return dbus.UInt32(watch)


@dbus.service.method(MOCK_IFACE, in_signature='t', out_signature='')
def SetIdletime(self, ms):
    self.idletime = int(ms)
