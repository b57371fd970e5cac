'''org.freedesktop.ScreenSaver as KDE, Xfce, MATE and Cinnamon offer it.

GetActive answers the "active" parameter (default False); the mock method
SetActive(b) changes it and emits ActiveChanged(b) as a locker would.
'''
import dbus

BUS_NAME = 'org.freedesktop.ScreenSaver'
MAIN_OBJ = '/org/freedesktop/ScreenSaver'
MAIN_IFACE = 'org.freedesktop.ScreenSaver'
SYSTEM_BUS = False


def load(mock, parameters):
    mock.screensaver_active = bool(parameters.get('active', False))
    mock.AddMethod(MAIN_IFACE, 'GetActive', '', 'b', 'ret = self.screensaver_active')
    mock.AddMethod(MAIN_IFACE, 'GetSessionIdleTime', '', 'u', 'ret = 0')
    mock.AddMethod('org.freedesktop.DBus.Mock', 'SetActive', 'b', '',
                   'self.screensaver_active = bool(args[0]); '
                   'self.EmitSignal("org.freedesktop.ScreenSaver", "ActiveChanged", "b", [dbus.Boolean(args[0])])')
