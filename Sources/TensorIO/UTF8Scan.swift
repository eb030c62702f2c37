/// Checks UTF-8 one encoded character at a time, so that a parser can say at which byte a
/// file stops being valid UTF-8 (the standard library only answers yes or no for a whole buffer).
enum UTF8Scan {
    /// The length (1…4) of the well-formed UTF-8 sequence starting at `bytes[index]`, or nil when
    /// the bytes there are not one: a stray continuation byte, a truncated sequence, an overlong
    /// form, a UTF-16 surrogate (U+D800…U+DFFF) or a value beyond U+10FFFF.
    /// - Precondition: `index` is a valid index of `bytes`.
    static func sequenceLength(in bytes: [UInt8], at index: Int) -> Int? {
        let lead = bytes[index]
        // The allowed range of the second byte depends on the lead byte; it is what excludes
        // overlong forms, surrogates and values above U+10FFFF (Unicode 15, table 3-7).
        let length: Int
        let secondRange: ClosedRange<UInt8>
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2; secondRange = 0x80...0xBF
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; secondRange = 0x80...0xBF
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4; secondRange = 0x80...0xBF
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: return nil
        }
        guard bytes.count - index >= length, secondRange.contains(bytes[index + 1]) else { return nil }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) {
            return nil
        }
        return length
    }
}

extension UInt8 {
    /// The byte as `0x` and two uppercase hex digits, for naming it in a message.
    var hexLiteral: String {
        let digits = String(self, radix: 16, uppercase: true)
        return digits.count == 1 ? "0x0" + digits : "0x" + digits
    }
}
