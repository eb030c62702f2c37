/// A task parameter's value as it comes from a config file (YAML scalars).
public enum TaskParameter: Equatable, Sendable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case string(String)

    public var description: String {
        switch self {
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): "\"\(value)\""
        }
    }

    /// The value as an integer: an `int`, or a `double` with no fractional part.
    public var intValue: Int? {
        switch self {
        case .int(let value): value
        case .double(let value):
            value.rounded() == value && value.magnitude < 0x1p62 ? Int(value) : nil
        case .string: nil
        }
    }

    /// The value as a number: an `int` or a `double`.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        case .string: nil
        }
    }
}

extension TaskParameter: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral
{
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
}
