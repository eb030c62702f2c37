/// A CSV reader as RFC 4180 defines the format (what pandas and Python's csv module read),
/// written apart from the writer so that the tests check one against the other.
enum CSVReader {
    /// The records of `text`, each a list of fields; nil when a quoted field is not closed or
    /// a quote stands inside an unquoted field.
    static func records(_ text: String) -> [[String]]? {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false, wasQuoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = scalars.next()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.isEmpty, !wasQuoted else { return nil }
                quoted = true
                wasQuoted = true
            case ",":
                record.append(field)
                field = ""
                wasQuoted = false
            case "\r" where pending == "\n":
                continue
            case "\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
                wasQuoted = false
            default:
                guard !wasQuoted else { return nil }
                field.unicodeScalars.append(scalar)
            }
        }
        guard !quoted else { return nil }
        if !field.isEmpty || !record.isEmpty || wasQuoted {
            record.append(field)
            records.append(record)
        }
        return records
    }
}
