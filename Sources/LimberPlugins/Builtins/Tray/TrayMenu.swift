// The tray's menu over com.canonical.dbusmenu (what KDE, Xfce, LXQt and
// waybar's tray read for a StatusNotifierItem's menu).
import Foundation
import LimberCore
import Systemd

/// One menu entry.
struct TrayMenuItem: Hashable {
    var id: Int32
    var label: String
    var action: TrayAction?
    var enabled = true
    var separator = false

    var properties: [String: BusValue] {
        if separator { return ["type": .string("separator")] }
        return ["label": .string(label), "enabled": .bool(enabled), "visible": .bool(true)]
    }
}

enum TrayMenu {
    static let path = "/MenuBar"
    static let interface = "com.canonical.dbusmenu"

    /// The entries for this snapshot: the answers while a reminder is on
    /// screen, then what can always be done.
    static func items(_ s: TraySnapshot) -> [TrayMenuItem] {
        var out: [TrayMenuItem] = []
        if s.showing != nil {
            out.append(TrayMenuItem(id: 1, label: tr("Done"), action: .done))
            out.append(TrayMenuItem(id: 2, label: tr("Snooze"), action: .snooze, enabled: s.canSnooze))
            out.append(TrayMenuItem(id: 3, label: tr("Skip"), action: .skip))
            out.append(TrayMenuItem(id: 9, label: "", separator: true))
        }
        out.append(TrayMenuItem(id: 10, label: tr("Take a break now"), action: .breakNow))
        out.append(TrayMenuItem(id: 11, label: tr("I just moved"), action: .moved))
        out.append(TrayMenuItem(id: 19, label: "", separator: true))
        if s.paused {
            out.append(TrayMenuItem(id: 23, label: tr("Resume"), action: .resume))
        } else {
            out.append(TrayMenuItem(id: 20, label: tr("Pause 30 min"), action: .pause(.minutes(30))))
            out.append(TrayMenuItem(id: 21, label: tr("Pause 1 h"), action: .pause(.hours(1))))
            out.append(TrayMenuItem(id: 22, label: tr("Pause until tomorrow"), action: .pauseUntilTomorrow))
        }
        out.append(TrayMenuItem(id: 29, label: "", separator: true))
        out.append(TrayMenuItem(id: 30, label: tr("Today's plan"), action: .todaysPlan))
        out.append(TrayMenuItem(id: 31, label: tr("Statistics"), action: .statistics))
        out.append(TrayMenuItem(id: 32, label: tr("Exercise guide"), action: .guide))
        return out
    }

    /// A layout node `(ia{sv}av)`.
    static func node(_ id: Int32, _ properties: [String: BusValue], children: [BusValue]) -> BusValue {
        .structure([.int32(id), .vardict(properties), .array(elementSignature: "v", children.map { .variant($0) })])
    }

    /// GetLayout's reply: the revision and the root with its children.
    static func layout(_ items: [TrayMenuItem], revision: UInt32, parent: Int32) -> [BusValue] {
        let children = items.map { node($0.id, $0.properties, children: []) }
        if parent != 0, let item = items.first(where: { $0.id == parent }) {
            return [.uint32(revision), node(item.id, item.properties, children: [])]
        }
        return [.uint32(revision), node(0, ["children-display": .string("submenu")], children: parent == 0 ? children : [])]
    }

    static let xml = """
         <interface name="com.canonical.dbusmenu">
          <method name="GetLayout">
           <arg type="i" name="parentId" direction="in"/>
           <arg type="i" name="recursionDepth" direction="in"/>
           <arg type="as" name="propertyNames" direction="in"/>
           <arg type="u" name="revision" direction="out"/>
           <arg type="(ia{sv}av)" name="layout" direction="out"/>
          </method>
          <method name="GetGroupProperties">
           <arg type="ai" name="ids" direction="in"/>
           <arg type="as" name="propertyNames" direction="in"/>
           <arg type="a(ia{sv})" name="properties" direction="out"/>
          </method>
          <method name="GetProperty">
           <arg type="i" name="id" direction="in"/>
           <arg type="s" name="name" direction="in"/>
           <arg type="v" name="value" direction="out"/>
          </method>
          <method name="Event">
           <arg type="i" name="id" direction="in"/>
           <arg type="s" name="eventId" direction="in"/>
           <arg type="v" name="data" direction="in"/>
           <arg type="u" name="timestamp" direction="in"/>
          </method>
          <method name="EventGroup">
           <arg type="a(isvu)" name="events" direction="in"/>
           <arg type="ai" name="idErrors" direction="out"/>
          </method>
          <method name="AboutToShow">
           <arg type="i" name="id" direction="in"/>
           <arg type="b" name="needUpdate" direction="out"/>
          </method>
          <method name="AboutToShowGroup">
           <arg type="ai" name="ids" direction="in"/>
           <arg type="ai" name="updatesNeeded" direction="out"/>
           <arg type="ai" name="idErrors" direction="out"/>
          </method>
          <signal name="ItemsPropertiesUpdated">
           <arg type="a(ia{sv})" name="updatedProps"/>
           <arg type="a(ias)" name="removedProps"/>
          </signal>
          <signal name="LayoutUpdated">
           <arg type="u" name="revision"/>
           <arg type="i" name="parent"/>
          </signal>
          <signal name="ItemActivationRequested">
           <arg type="i" name="id"/>
           <arg type="u" name="timestamp"/>
          </signal>
          <property name="Version" type="u" access="read"/>
          <property name="TextDirection" type="s" access="read"/>
          <property name="Status" type="s" access="read"/>
          <property name="IconThemePath" type="as" access="read"/>
         </interface>
        """
}
