import Foundation

/// Cairo names an SVG's images and surfaces (`image23`, `surface41`) from counters shared by
/// the whole process, so the same figure's SVG would differ by how many were drawn before it,
/// and by thread timing when several are drawn at once. Renumbered in order of first
/// appearance, the same figure gives the same bytes.
enum SVGIdentifiers {
    private static let prefixes = ["image", "surface"].map { Array($0.utf8) }

    /// The document with every `image<N>` and `surface<N>` after `id="` or `#` renumbered from 1.
    static func renumber(_ document: Data) -> Data {
        let bytes = [UInt8](document)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var numbers: [[UInt8]: [Int: Int]] = [:]
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            output.append(byte)
            index += 1
            guard byte == UInt8(ascii: "#") || byte == UInt8(ascii: "\""),
                  let prefix = prefixes.first(where: { bytes[index...].starts(with: $0) }) else { continue }
            var end = index + prefix.count
            while end < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]) { end += 1 }
            guard end > index + prefix.count, let number = Int(String(decoding: bytes[(index + prefix.count)..<end], as: UTF8.self)) else {
                continue
            }
            let renumbered = numbers[prefix, default: [:]][number] ?? (numbers[prefix]?.count ?? 0) + 1
            numbers[prefix, default: [:]][number] = renumbered
            output += prefix + Array(String(renumbered).utf8)
            index = end
        }
        return Data(output)
    }
}
