/// The version of the toolkit, written into every summary and figure it produces.
public enum ToolVersion {
    public static let current = "0.1.0"
}
