import LimberCore
import ArgumentParser

/// "Did you mean ...?" for a mistyped command or value.
enum Suggest {
    /// The closest of `candidates` to `word` (edit distance at most 2, or a
    /// prefix of it), best first.
    static func closest(to word: String, in candidates: [String], limit: Int = 3) -> [String] {
        let w = word.lowercased()
        let scored = candidates.compactMap { c -> (String, Int)? in
            let d = distance(w, c.lowercased())
            if d <= max(1, min(2, w.count / 3)) { return (c, d) }
            if w.count >= 3 && c.lowercased().hasPrefix(w) { return (c, 3) }
            return nil
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(limit).map(\.0)
    }

    /// " Did you mean 'status'?" (or nothing).
    static func didYouMean(_ word: String, in candidates: [String]) -> String {
        let best = closest(to: word, in: candidates)
        guard !best.isEmpty else { return "" }
        let names = best.map { "'\($0)'" }
        return " " + (names.count == 1 ? tr("Did you mean {name}?", ["name": names[0]])
            : tr("Did you mean {names} or {last}?", ["names": names.dropLast().joined(separator: ", "), "last": names.last ?? ""]))
    }

    /// Levenshtein distance, with a swap of two neighbours counting one.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }

    /// The message for a word where a subcommand was expected and none has
    /// that name (`limberctl stauts`, `limberctl programs enbale`), or nil.
    static func unknownSubcommand(_ arguments: [String], root: ParsableCommand.Type) -> String? {
        var command = root
        var path = [root.configuration.commandName ?? "limberctl"]
        for arg in arguments {
            if arg.hasPrefix("-") { return nil }
            let subs = command.configuration.subcommands
            guard !subs.isEmpty else { return nil }
            let names = subs.compactMap { $0.configuration.commandName }
            if let next = subs.first(where: { $0.configuration.commandName == arg || $0.configuration.aliases.contains(arg) }) {
                command = next
                path.append(arg)
                continue
            }
            if arg == "help" { return nil }
            return tr("unknown command '{command}' for '{parent}'.", ["command": arg, "parent": path.joined(separator: " ")])
                + didYouMean(arg, in: names)
                + " " + tr("See '{command} --help'.", ["command": path.joined(separator: " ")])
        }
        return nil
    }
}
