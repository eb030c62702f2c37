import Foundation

/// Escaping for HTML text and attribute values. Every string a page takes from a config, a
/// run or the file system (variant names, settings, run ids, paths, messages) goes through
/// `escape`, so that no name can become markup.
enum HTML {
    /// `text` with `&`, `<`, `>`, `"` and `'` as character references: safe in text and in
    /// quoted attribute values alike.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A link's target, as an attribute value: each path component percent-encoded (a run id
    /// or a directory name may hold characters a URL may not), then escaped.
    static func href(_ relativePath: String) -> String {
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))
        return escape(relativePath.split(separator: "/", omittingEmptySubsequences: false).map {
            $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? String($0)
        }.joined(separator: "/"))
    }

    /// A table of name–value rows with a header row.
    static func table(headers: [String], rows: [[String]], caption: String? = nil, rawCells: Bool = false) -> String {
        var html = "<table>"
        if let caption { html += "<caption>\(escape(caption))</caption>" }
        html += "<thead><tr>" + headers.map { "<th scope=\"col\">\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows {
            html += "<tr>" + row.map { "<td>\(rawCells ? $0 : escape($0))</td>" }.joined() + "</tr>"
        }
        return html + "</tbody></table>"
    }
}
