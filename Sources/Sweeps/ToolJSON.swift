import Foundation

/// How the tool writes every JSON file (run summaries, sweep plans, `analyze`'s summary):
/// pretty-printed, keys sorted and in snake_case, a final newline.
///
/// Non-finite numbers have one policy: they are never written. A quantity that may not be
/// finite is an optional and is written as null, and where the reason matters a sibling
/// field says it (`diverged_at` beside a null `final_eval_loss`, `non_finite_steps` beside a
/// fit). The encoder refuses a non-finite number, so a field that breaks the policy fails
/// loudly instead of writing a string where readers expect a number.
public enum ToolJSON {
    /// - Throws: `EncodingError` for a non-finite number.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .throw
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }

    /// Reads what `encode` wrote, and the "inf"/"nan" strings that run summaries held
    /// before the policy (vanish 0.1.0), so that existing run stores stay readable.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(type, from: data)
    }
}

extension Double {
    /// The value where it is finite, else nil: how a number enters a record that JSON writes
    /// (`ToolJSON`'s policy, null for what is not finite).
    public var finiteOrNil: Double? { isFinite ? self : nil }
}
