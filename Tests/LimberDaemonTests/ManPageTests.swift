import Foundation
import Testing
@testable import LimberConfig
import LimberPlugins
import LimberCore

/// The man pages against the code: every command and option of limberctl
/// and limberd, every limber.toml key, every status and plugin state, and
/// the built-in plugins' settings (that section of limber.toml(5) is
/// generated: LIMBER_REGENERATE_MANPAGES=1 swift test --filter ManPageTests).
/// A command, option, key or plugin added without its page entry fails here
/// by name.
@Suite struct ManPageTests {
    static func page(_ name: String) throws -> String {
        try String(contentsOfFile: repositoryRoot + "/docs/man/" + name, encoding: .utf8)
    }

    /// roff: '-' as \-, a backslash as \e, a leading '.' or '\'' escaped.
    static func roff(_ s: String) -> String {
        var out = s.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
        if out.hasPrefix(".") || out.hasPrefix("'") { out = "\\&" + out }
        return out
    }

    /// Commands and options from `--experimental-dump-help`: ["programs show", ...], ["--json", ...].
    static func commandsAndOptions(_ tool: String) throws -> (commands: [[String]], options: [(command: String, option: String)]) {
        let dump = try LimberctlDocsTests.run(BuiltProducts.directory + "/" + tool, ["--experimental-dump-help"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.out.utf8)) as? [String: Any])
        var commands: [[String]] = [], options: [(String, String)] = []
        func walk(_ c: [String: Any], _ path: [String]) {
            if !path.isEmpty { commands.append(path) }
            for arg in c["arguments"] as? [[String: Any]] ?? [] where arg["kind"] as? String != "positional"
                && arg["shouldDisplay"] as? Bool ?? true {
                for n in (arg["names"] as? [[String: Any]] ?? []) where n["kind"] as? String != "short" {
                    guard let name = n["name"] as? String, !["help", "version", "experimental-dump-help"].contains(name) else { continue }
                    options.append((path.joined(separator: " "), "--" + name))
                }
            }
            for sub in c["subcommands"] as? [[String: Any]] ?? [] where sub["commandName"] as? String != "help" {
                walk(sub, path + [sub["commandName"] as? String ?? "?"])
            }
        }
        walk(try #require(root["command"] as? [String: Any]), [])
        return (commands, options)
    }

    @Test func limberctlPageHasEveryCommandAndOption() throws {
        let page = try Self.page("limberctl.1")
        let (commands, options) = try Self.commandsAndOptions("limberctl")
        #expect(commands.count >= 20)
        for path in commands {
            let last = Self.roff(path.last!)
            let named = page.contains(".B \(last)") || page.contains("\\fB\(last)") || page.contains(".BR \(last)")
                || page.contains(".B \(Self.roff(path.joined(separator: " ")))")
            #expect(named, "limberctl \(path.joined(separator: " ")) is not in docs/man/limberctl.1")
        }
        for (command, option) in options {
            #expect(page.contains(Self.roff(option)), "limberctl \(command) \(option) is not in docs/man/limberctl.1")
        }
    }

    @Test func limberdPageHasEveryOption() throws {
        let page = try Self.page("limberd.8")
        for (_, option) in try Self.commandsAndOptions("limberd").options {
            #expect(page.contains(Self.roff(option)), "limberd \(option) is not in docs/man/limberd.8")
        }
    }

    @Test func limberctlPageNamesEveryState() throws {
        let page = try Self.page("limberctl.1")
        // Status states (limberctl status/watch; off: limberd not reachable)
        // and plugin states (limberctl plugins).
        let states = ["scheduled", "showing", "paused", "red\\-flag", "away", "idle", "off"] + PluginState.allCases.map(\.rawValue)
        for s in states {
            #expect(page.contains(".B \(s)") || page.contains(".BR \(s)") || page.contains("\\fB\(s)\\fR"),
                    "state \(s) is not in docs/man/limberctl.1")
        }
    }

    @Test func limberTomlPageHasEveryKey() throws {
        let page = try Self.page("limber.toml.5")
        for key in SettingsReader.keys where key != "plugins" {
            #expect(page.contains(".B \(key)\n"), "limber.toml key \(key) is not in docs/man/limber.toml.5")
        }
    }

    /// Every [plugins.ID] a page or the shipped limber.toml shows names a plugin that exists.
    @Test func examplesNameRealPlugins() throws {
        let ids = Set(PluginRegistry.builtins().map(\.manifest.id))
        for file in ["docs/man/limber.toml.5", "docs/man/limberd.8", "docs/man/limberctl.1", "config/limber.toml"] {
            let text = try String(contentsOfFile: repositoryRoot + "/" + file, encoding: .utf8).replacingOccurrences(of: "\\-", with: "-")
            // [plugins.ID] (upper case) is the placeholder, not an example.
            let regex = try NSRegularExpression(pattern: #"\[plugins\.([a-z0-9_-]+)\]"#)
            for m in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let id = String(text[Range(m.range(at: 1), in: text)!])
                #expect(ids.contains(id), "\(file) shows [plugins.\(id)], which is not a built-in plugin")
            }
        }
    }

    static func generatedPlugins() -> String {
        var lines: [String] = []
        for entry in PluginRegistry.builtins() {
            let m = entry.manifest
            lines.append(".SS \(roff(m.id))")
            var about = m.description.hasSuffix(".") ? m.description : m.description + "."
            if !m.enabledByDefault { about += " Off unless enabled = true." }
            lines.append(roff(about))
            for s in m.settings {
                lines.append(".TP")
                lines.append(".B \(roff(s.key))")
                var text = s.help.hasSuffix(".") || s.help.isEmpty ? s.help : s.help + "."
                text += " \(s.type.phrase.prefix(1).uppercased() + s.type.phrase.dropFirst())"
                if !s.allowed.isEmpty { text += ": one of " + s.allowed.joined(separator: ", ") }
                if let lo = s.minimum, let hi = s.maximum {
                    text += s.type == .duration
                        ? ", from \(DurationTextShim.format(lo)) to \(DurationTextShim.format(hi))"
                        : ", from \(Self.number(lo)) to \(Self.number(hi))"
                }
                text += ". Default: " + Self.toml(s.defaultValue) + "."
                lines.append(roff(text))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A default as it is written in limber.toml.
    static func toml(_ v: SettingValue) -> String {
        switch v {
        case .string(let s): "\"\(s)\""
        case .duration: "\"\(v.description)\""
        case .strings(let a): "[" + a.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        default: v.description
        }
    }

    static func number(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }

    @Test func pluginSectionIsGeneratedFromTheManifests() throws {
        let path = repositoryRoot + "/docs/man/limber.toml.5"
        let page = try String(contentsOfFile: path, encoding: .utf8)
        let begin = try #require(page.range(of: ".\\\" BEGIN GENERATED PLUGINS (ManPageTests; LIMBER_REGENERATE_MANPAGES=1)\n"))
        let end = try #require(page.range(of: ".\\\" END GENERATED PLUGINS"))
        let generated = Self.generatedPlugins() + "\n"
        if ProcessInfo.processInfo.environment["LIMBER_REGENERATE_MANPAGES"] == "1" {
            try (String(page[..<begin.upperBound]) + generated + String(page[end.lowerBound...]))
                .write(toFile: path, atomically: true, encoding: .utf8)
        }
        let now = try String(contentsOfFile: path, encoding: .utf8)
        let from = try #require(now.range(of: ".\\\" BEGIN GENERATED PLUGINS (ManPageTests; LIMBER_REGENERATE_MANPAGES=1)\n"))
        let to = try #require(now.range(of: ".\\\" END GENERATED PLUGINS"))
        let current = String(now[from.upperBound..<to.lowerBound])
        #expect(current == generated, "the plugin section of limber.toml(5) is stale: LIMBER_REGENERATE_MANPAGES=1 swift test --filter ManPageTests")
        for id in PluginRegistry.builtins().map(\.manifest.id) { #expect(page.contains(".SS \(Self.roff(id))"), "plugin \(id)") }
    }
}

/// Durations in seconds as the pages write them ("5m", "1h30m").
enum DurationTextShim {
    static func format(_ seconds: Double) -> String {
        var s = Int(seconds), out = ""
        for (unit, n) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where s >= n {
            out += "\(s / n)\(unit)"
            s %= n
        }
        return out.isEmpty ? "0s" : out
    }
}
