import Testing
@testable import LimberPlugins
import LimberCore

/// The tray menu's entries are messages: in the pseudo-locale every label
/// is marked (docs/translating.md), separators stay empty.
@Suite struct TrayMenuLanguageTests {
    @Test(arguments: [false, true])
    func everyLabelIsMarked(showing: Bool) {
        let snapshot = TraySnapshot(state: showing ? .due : .counting, next: "", doneToday: "",
                                    showing: showing ? 7 : nil, canSnooze: true, paused: false)
        Localizer.$scoped.withValue(.pseudo) {
            let items = TrayMenu.items(snapshot)
            #expect(items.count > 5)
            for item in items {
                #expect(item.label.isEmpty == item.separator, "\(item.label)")
                #expect(item.separator || Localizer.isPseudo(item.label), "an unmarked menu entry: \(item.label)")
            }
        }
    }
}
