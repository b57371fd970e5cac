'''A python3-dbusmock template for xdg-desktop-portal's
org.freedesktop.portal.Settings (Read, ReadAll, signal SettingChanged), for
tests. SetSetting(namespace, key, value) on org.freedesktop.DBus.Mock stores
a value and emits SettingChanged as the portal does.
'''
import dbus

from dbusmock import MOCK_IFACE

BUS_NAME = 'org.freedesktop.portal.Desktop'
MAIN_OBJ = '/org/freedesktop/portal/desktop'
MAIN_IFACE = 'org.freedesktop.portal.Settings'
SYSTEM_BUS = False


def load(mock, parameters):
    mock.settings = {}
    if 'show-banners' in parameters:
        mock.settings[('org.gnome.desktop.notifications', 'show-banners')] = dbus.Boolean(parameters['show-banners'])
    mock.AddProperties(MAIN_IFACE, {'version': dbus.UInt32(1)})


@dbus.service.method(MAIN_IFACE, in_signature='ss', out_signature='v')
def Read(self, namespace, key):
    try:
        value = self.settings[(namespace, key)]
    except KeyError:
        raise dbus.exceptions.DBusException(f'{namespace} {key} not found',
                                            name='org.freedesktop.portal.Error.NotFound')
    # The portal's Read wraps the value in one more variant.
    return dbus.Boolean(value, variant_level=1)


@dbus.service.method(MAIN_IFACE, in_signature='as', out_signature='a{sa{sv}}')
def ReadAll(self, namespaces):
    out = {}
    for (ns, key), value in self.settings.items():
        out.setdefault(ns, {})[key] = value
    return dbus.Dictionary({k: dbus.Dictionary(v, signature='sv') for k, v in out.items()}, signature='sa{sv}')


@dbus.service.method(MOCK_IFACE, in_signature='ssv', out_signature='')
def SetSetting(self, namespace, key, value):
    self.settings[(namespace, key)] = value
    self.EmitSignal(MAIN_IFACE, 'SettingChanged', 'ssv', [namespace, key, value])
