import Foundation
@testable import TensorIO

/// Checks JSON against a JSON Schema (draft 2020-12), for the keywords docs/schema/ uses:
/// `type` (a name or a list of names), `enum`, `required`, `properties`,
/// `additionalProperties` (true or false), `items`, `minimum`, and `$ref` to `#/$defs/…`;
/// `$schema`, `title` and `description` are read as notes. Any other keyword is an error, so
/// that a schema cannot say more than the tests check.
struct JSONSchemaValidator {
    private let root: JSONValue

    private static let annotations: Set<String> = ["$schema", "$defs", "title", "description"]
    private static let assertions: Set<String> = ["type", "enum", "required", "properties", "additionalProperties", "items",
                                                  "minimum", "$ref"]

    /// - Throws: when the file cannot be read or is not JSON.
    init(schemaAt url: URL) throws {
        root = try JSONValue.parse(Array(Data(contentsOf: url)))
    }

    /// What is wrong with `document`, one line per problem, each naming its place (`$.a[0].b`);
    /// empty when it matches.
    func problems(in document: Data) throws -> [String] {
        var problems: [String] = []
        check(try JSONValue.parse(Array(document)), against: root, at: "$", into: &problems)
        return problems
    }

    private func check(_ value: JSONValue, against schema: JSONValue, at path: String, into problems: inout [String]) {
        guard case .object(let members) = schema else {
            problems.append("\(path): the schema here is not an object")
            return
        }
        let keywords = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        for key in keywords.keys.sorted() where !Self.annotations.contains(key) && !Self.assertions.contains(key) {
            problems.append("\(path): the schema uses \(key), which this validator does not check")
        }
        if case .string(let reference)? = keywords["$ref"] {
            guard let target = resolve(reference) else {
                problems.append("\(path): $ref \(reference) names nothing in the schema")
                return
            }
            check(value, against: target, at: path, into: &problems)
        }
        if let type = keywords["type"], !Self.matches(value, type: type) {
            problems.append("\(path): expected \(Self.typeNames(type).joined(separator: " or ")), found \(Self.describe(value))")
            return
        }
        if case .array(let allowed)? = keywords["enum"], !allowed.contains(value) {
            problems.append("\(path): \(value.summary) is not one of \(allowed.map(\.summary).joined(separator: ", "))")
        }
        if case .number(let bound)? = keywords["minimum"], case .number(let text) = value,
           let number = Double(text), let minimum = Double(bound), number < minimum {
            problems.append("\(path): \(text) is below the minimum \(bound)")
        }
        if case .array(let items) = value, let itemSchema = keywords["items"] {
            for (index, item) in items.enumerated() { check(item, against: itemSchema, at: "\(path)[\(index)]", into: &problems) }
        }
        guard case .object(let fields) = value else { return }
        let present = Set(fields.map(\.key))
        if case .array(let required)? = keywords["required"] {
            for case .string(let key) in required where !present.contains(key) {
                problems.append("\(path).\(key): required, missing")
            }
        }
        var properties: [String: JSONValue] = [:]
        if case .object(let declared)? = keywords["properties"] {
            properties = Dictionary(declared.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        }
        for (key, field) in fields {
            if let propertySchema = properties[key] {
                check(field, against: propertySchema, at: "\(path).\(key)", into: &problems)
            } else if case .bool(false)? = keywords["additionalProperties"] {
                problems.append("\(path).\(key): not allowed here")
            }
        }
    }

    /// The schema at `#/$defs/<name>`.
    private func resolve(_ reference: String) -> JSONValue? {
        let prefix = "#/$defs/"
        guard reference.hasPrefix(prefix), case .object(let members) = root,
              case .object(let definitions)? = members.first(where: { $0.key == "$defs" })?.value else { return nil }
        let name = String(reference.dropFirst(prefix.count))
        return definitions.first { $0.key == name }?.value
    }

    private static func typeNames(_ type: JSONValue) -> [String] {
        switch type {
        case .string(let name): [name]
        case .array(let names): names.compactMap { if case .string(let name) = $0 { name } else { nil } }
        default: []
        }
    }

    /// JSON Schema's types: an "integer" is a number without a fractional part (`2.0` is one).
    private static func matches(_ value: JSONValue, type: JSONValue) -> Bool {
        typeNames(type).contains { name in
            switch (name, value) {
            case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array),
                 ("object", .object): true
            case ("integer", .number(let text)): Double(text).map { $0.isFinite && $0.rounded() == $0 } ?? false
            default: false
            }
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "boolean \(flag)"
        case .number(let text): "number \(text)"
        case .string: "string \(value.summary)"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
