/// limber's version: limberd's `Version` property, `limberd --version`,
/// `limberctl --version`.
public enum LimberVersion {
    public static let string = "0.1.0"
}
