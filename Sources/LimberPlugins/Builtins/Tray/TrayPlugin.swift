// tray: a StatusNotifierItem with a dbusmenu menu.
import Foundation
import LimberCore
import Systemd

/// limber in the panel: an `org.kde.StatusNotifierItem` at
/// `/StatusNotifierItem` with a `com.canonical.dbusmenu` menu at
/// `/MenuBar`, registered with `org.kde.StatusNotifierWatcher`. It runs
/// only while a watcher is on the session bus (KDE, Xfce's and LXQt's
/// panels, waybar's tray, ...), so it registers again when the watcher
/// comes back. The icon follows the state; the tooltip says the next
/// reminder and today's count, announced at most once a minute (hosts read
/// it fresh when they ask). No timer runs while nothing changes.
public final class TrayPlugin: BuiltinPlugin, ObserverPlugin {
    static let watcherName = "org.kde.StatusNotifierWatcher"
    static let watcherPath = "/StatusNotifierWatcher"
    static let itemPath = "/StatusNotifierItem"
    static let itemInterface = "org.kde.StatusNotifierItem"

    public static let manifest = PluginManifest(
        id: "tray", name: "Tray icon (StatusNotifierItem)",
        description: "An icon in the panel with the next reminder, today's count and a menu (answers, take a break now, I just moved, pause, resume, today's plan, statistics, exercise guide), where the panel hosts StatusNotifierItems (org.kde.StatusNotifierWatcher on the session bus). Off with [plugins.tray] enabled = false.",
        version: "1.0",
        settings: [
            SettingSpec("tooltip_every", .duration(.minutes(1)), help: "At most one tooltip update this often.",
                        minimum: 10, maximum: 3600),
        ],
        needs: [.busName(.user, watcherName)])

    public var manifest: PluginManifest { Self.manifest }

    private let backend: TrayBackend?
    private var context: PluginContext?
    private var bus: Bus?
    private var item: ExportedObject?
    private var menu: ExportedObject?
    private var calls: [PendingCall] = []
    private var serviceName = ""
    private var last: TraySnapshot?
    private var revision: UInt32 = 1
    private var tooltipTimer: EventTimer?
    private var lastTooltipAt: Duration?
    private var tooltipEvery: Duration = .minutes(1)

    public init(backend: TrayBackend?) {
        self.backend = backend
    }

    public func start(_ context: PluginContext) throws {
        guard let backend else { throw PluginError("no tray backend (limberd provides one)") }
        guard let bus = context.bus(.user) else { throw PluginError("no session bus") }
        self.context = context
        self.bus = bus
        tooltipEvery = context.settings.duration("tooltip_every") ?? .minutes(1)
        item = try bus.exportObject(path: Self.itemPath, interfaceXML: Self.itemXML)
        menu = try bus.exportObject(path: TrayMenu.path, interfaceXML: TrayMenu.xml)
        addItemMembers()
        addMenuMembers()
        last = backend.snapshot()
        backend.onChange { [weak self] in self?.refresh() }
        // The name hosts know us by (the spec's org.kde.StatusNotifierItem-PID-ID).
        serviceName = "org.kde.StatusNotifierItem-\(getpid())-1"
        try bus.requestName(serviceName)
        calls.append(try bus.callAsync(destination: Self.watcherName, path: Self.watcherPath, interface: Self.watcherName,
                                       member: "RegisterStatusNotifierItem", arguments: [.string(serviceName)],
                                       timeout: .seconds(10)) { [weak self] r in
            guard let self, let context = self.context else { return }
            switch r {
            case .success: context.setDetail(.text(trMark("registered as {name}"), ["name": self.serviceName]))
            case .failure(let e): context.fail(.text(trMark("the StatusNotifierWatcher refused the item: {error}"), ["error": "\(e)"]))
            }
        })
    }

    public func stop() {
        for c in calls { c.cancel() }
        calls.removeAll()
        tooltipTimer?.cancel()
        tooltipTimer = nil
        item?.unexport()
        menu?.unexport()
        item = nil
        menu = nil
        if !serviceName.isEmpty { try? bus?.releaseName(serviceName) }
        serviceName = ""
        context = nil
        bus = nil
    }

    // MARK: Changes

    public func observe(_ observation: ServiceEvent) throws { refresh() }

    private func refresh() {
        guard let backend, let item, let previous = last else { return }
        let now = backend.snapshot()
        last = now
        if now.state != previous.state {
            try? item.emitSignal(interface: Self.itemInterface, member: "NewIcon")
            try? item.emitSignal(interface: Self.itemInterface, member: "NewAttentionIcon")
            try? item.emitSignal(interface: Self.itemInterface, member: "NewStatus", arguments: [.string(Self.status(now.state))])
        }
        if TrayMenu.items(now) != TrayMenu.items(previous) {
            revision += 1
            try? menu?.emitSignal(interface: TrayMenu.interface, member: "LayoutUpdated",
                                  arguments: [.uint32(revision), .int32(0)])
        }
        if now.state != previous.state || now.next != previous.next || now.doneToday != previous.doneToday {
            announceTooltip(urgent: now.state != previous.state)
        }
    }

    /// NewToolTip now when the state changed, else at most once per `tooltip_every`.
    private func announceTooltip(urgent: Bool) {
        guard let context else { return }
        let now = Clocks.monotonic()
        if urgent || lastTooltipAt.map({ now - $0 >= tooltipEvery }) ?? true {
            tooltipTimer?.cancel()
            tooltipTimer = nil
            lastTooltipAt = now
            try? item?.emitSignal(interface: Self.itemInterface, member: "NewToolTip")
            return
        }
        guard tooltipTimer == nil, let since = lastTooltipAt else { return }
        tooltipTimer = try? context.loop.after(tooltipEvery - (now - since)) { [weak self] in
            self?.tooltipTimer = nil
            self?.announceTooltip(urgent: true)
        }
    }

    // MARK: StatusNotifierItem

    static func status(_ state: TraySnapshot.State) -> String {
        switch state {
        case .due, .redFlag: "NeedsAttention"
        default: "Active"
        }
    }

    private func snapshot() -> TraySnapshot { last ?? TraySnapshot(state: .idle, next: "", doneToday: "") }

    private func addItemMembers() {
        guard let item else { return }
        let i = Self.itemInterface
        let noPixmaps = BusValue.array(elementSignature: "(iiay)", [])
        item.addProperty(interface: i, name: "Category") { .string("ApplicationStatus") }
        item.addProperty(interface: i, name: "Id") { .string("limber") }
        item.addProperty(interface: i, name: "Title") { .string("limber") }
        item.addProperty(interface: i, name: "Status") { [weak self] in .string(Self.status(self?.snapshot().state ?? .idle)) }
        item.addProperty(interface: i, name: "WindowId") { .int32(0) }
        // No theme names: hosts prefer a name to pixels, and one missing from
        // their theme (LXQt without a theme set) leaves an empty slot. Our own
        // pixels look the same everywhere, on dark and light panels.
        item.addProperty(interface: i, name: "IconName") { .string("") }
        // Own pixels too, for hosts whose icon theme lacks the names (LXQt without one set).
        item.addProperty(interface: i, name: "IconPixmap") { [weak self] in TrayIcon.pixmaps(self?.snapshot().state ?? .idle) }
        item.addProperty(interface: i, name: "OverlayIconName") { .string("") }
        item.addProperty(interface: i, name: "OverlayIconPixmap") { noPixmaps }
        item.addProperty(interface: i, name: "AttentionIconName") { .string("") }
        item.addProperty(interface: i, name: "AttentionIconPixmap") { [weak self] in TrayIcon.pixmaps(self?.snapshot().state ?? .due) }
        item.addProperty(interface: i, name: "AttentionMovieName") { .string("") }
        item.addProperty(interface: i, name: "IconThemePath") { .string("") }
        item.addProperty(interface: i, name: "ItemIsMenu") { .bool(true) }
        item.addProperty(interface: i, name: "Menu") { .objectPath(TrayMenu.path) }
        item.addProperty(interface: i, name: "ToolTip") { [weak self] in
            // Read fresh: hosts ask when the pointer rests on the icon.
            let s = self?.backend?.snapshot() ?? TraySnapshot(state: .idle, next: "", doneToday: "")
            return .structure([.string(""), TrayIcon.pixmaps(s.state), .string("limber"),
                               .string([s.next, s.doneToday].filter { !$0.isEmpty }.joined(separator: "\n"))])
        }
        for member in ["Activate", "SecondaryActivate", "ContextMenu"] {
            item.addMethod(interface: i, member: member) { _ in [] }  // the host shows the menu (ItemIsMenu)
        }
        item.addMethod(interface: i, member: "Scroll") { _ in [] }
    }

    // MARK: dbusmenu

    private func addMenuMembers() {
        guard let menu else { return }
        let i = TrayMenu.interface
        menu.addProperty(interface: i, name: "Version") { .uint32(3) }
        menu.addProperty(interface: i, name: "TextDirection") { .string("ltr") }
        menu.addProperty(interface: i, name: "Status") { .string("normal") }
        menu.addProperty(interface: i, name: "IconThemePath") { .strings([]) }
        menu.addMethod(interface: i, member: "GetLayout") { [weak self] call in
            guard let self else { return [] }
            let parent = call.arguments.first?.int32 ?? 0
            return TrayMenu.layout(TrayMenu.items(self.snapshot()), revision: self.revision, parent: parent)
        }
        menu.addMethod(interface: i, member: "GetGroupProperties") { [weak self] call in
            guard let self else { return [] }
            let ids = Set((call.arguments.first?.arrayValue ?? []).compactMap(\.int32))
            let rows = TrayMenu.items(self.snapshot()).filter { ids.isEmpty || ids.contains($0.id) }
                .map { BusValue.structure([.int32($0.id), .vardict($0.properties)]) }
            return [.array(elementSignature: "(ia{sv})", rows)]
        }
        menu.addMethod(interface: i, member: "GetProperty") { [weak self] call in
            guard let self, let id = call.arguments.first?.int32, let name = call.arguments.dropFirst().first?.stringValue,
                  let value = TrayMenu.items(self.snapshot()).first(where: { $0.id == id })?.properties[name] else {
                throw BusMethodError.invalidArgs("no such menu item or property")
            }
            return [.variant(value)]
        }
        menu.addMethod(interface: i, member: "Event") { [weak self] call in
            let id = call.arguments.first?.int32 ?? -1
            let kind = call.arguments.dropFirst().first?.stringValue ?? ""
            self?.event(id, kind)
            return []
        }
        menu.addMethod(interface: i, member: "EventGroup") { [weak self] call in
            for e in call.arguments.first?.arrayValue ?? [] {
                guard let fields = e.structValue, fields.count >= 2 else { continue }
                self?.event(fields[0].int32 ?? -1, fields[1].stringValue ?? "")
            }
            return [.array(elementSignature: "i", [])]
        }
        menu.addMethod(interface: i, member: "AboutToShow") { _ in [.bool(false)] }
        menu.addMethod(interface: i, member: "AboutToShowGroup") { _ in
            [.array(elementSignature: "i", []), .array(elementSignature: "i", [])]
        }
    }

    private func event(_ id: Int32, _ kind: String) {
        guard kind == "clicked", let backend, let context else { return }
        guard let entry = TrayMenu.items(snapshot()).first(where: { $0.id == id }), entry.enabled, let action = entry.action else { return }
        context.log(.info, "menu: \(entry.label)")
        // After this call returns: the host waits for Event's reply.
        try? context.loop.defer { backend.perform(action) }
    }

    static let itemXML = """
         <interface name="org.kde.StatusNotifierItem">
          <property name="Category" type="s" access="read"/>
          <property name="Id" type="s" access="read"/>
          <property name="Title" type="s" access="read"/>
          <property name="Status" type="s" access="read"/>
          <property name="WindowId" type="i" access="read"/>
          <property name="IconName" type="s" access="read"/>
          <property name="IconPixmap" type="a(iiay)" access="read"/>
          <property name="OverlayIconName" type="s" access="read"/>
          <property name="OverlayIconPixmap" type="a(iiay)" access="read"/>
          <property name="AttentionIconName" type="s" access="read"/>
          <property name="AttentionIconPixmap" type="a(iiay)" access="read"/>
          <property name="AttentionMovieName" type="s" access="read"/>
          <property name="IconThemePath" type="s" access="read"/>
          <property name="ToolTip" type="(sa(iiay)ss)" access="read"/>
          <property name="ItemIsMenu" type="b" access="read"/>
          <property name="Menu" type="o" access="read"/>
          <method name="ContextMenu"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
          <method name="Activate"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
          <method name="SecondaryActivate"><arg name="x" type="i" direction="in"/><arg name="y" type="i" direction="in"/></method>
          <method name="Scroll"><arg name="delta" type="i" direction="in"/><arg name="orientation" type="s" direction="in"/></method>
          <signal name="NewTitle"/>
          <signal name="NewIcon"/>
          <signal name="NewAttentionIcon"/>
          <signal name="NewOverlayIcon"/>
          <signal name="NewToolTip"/>
          <signal name="NewStatus"><arg name="status" type="s"/></signal>
         </interface>
        """
}

extension BusValue {
    /// An `i` (or any integer that fits).
    fileprivate var int32: Int32? { int64Value.flatMap { Int32(exactly: $0) } }
}
