/// "Did you mean ...?" for the layers above (plugin ids, commands): the
/// same closeness rule as the file readers' own suggestions.
public enum Suggestion {
    /// The candidate closest to `word`, if it is close enough to be a likely typo.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        LimberConfig.closest(to: word, in: candidates)
    }
}
