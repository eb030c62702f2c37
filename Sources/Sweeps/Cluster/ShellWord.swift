/// Quoting for the two languages an sbatch script is read in.
enum ShellWord {
    /// `text` as one POSIX sh word: double-quoted, with the four characters that stay special
    /// inside double quotes (`$`, `` ` ``, `"`, `\`) escaped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            if "$`\"\\".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result + "\""
    }

    /// `text` as it may be typed: bare when it holds only characters no shell treats
    /// specially, else `quoted`.
    static func typed(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || "0123456789/._-+:,=@%".unicodeScalars.contains($0)) }
        return plain && !text.isEmpty ? text : quoted(text)
    }

    /// `text` as one argument of an `#SBATCH` line, which sbatch splits itself: a backslash
    /// before every character that would end, quote or comment out the argument there.
    static func sbatchArgument(_ text: String) -> String {
        var result = ""
        for character in text {
            if character.isWhitespace || "\\\"'#".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
