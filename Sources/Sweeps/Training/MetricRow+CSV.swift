/// metrics.csv: a header line, then one line per iteration. Non-finite numbers are written
/// `nan`, `inf` and `-inf` (what NumPy and pandas read); a value not measured at an
/// iteration is left empty.
extension MetricRow {
    static let csvHeader = "step,train_loss,eval_loss,accuracy,gradient_norm,clipped"

    static func csv(_ rows: [MetricRow]) -> String {
        var lines = [csvHeader]
        for row in rows {
            lines.append([String(row.step), field(row.trainLoss), row.evalLoss.map(field) ?? "",
                          row.accuracy.map(field) ?? "", field(row.gradientNorm), row.clipped ? "1" : "0"]
                .joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The rows of a metrics.csv; nil when its header or any line does not parse.
    static func rows(csv text: String) -> [MetricRow]? {
        let lines = text.split(separator: "\n")
        guard lines.first.map(String.init) == csvHeader else { return nil }
        var rows: [MetricRow] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6, let step = Int(fields[0]), let trainLoss = Double(fields[1]),
                  let gradientNorm = Double(fields[4]), fields[5] == "0" || fields[5] == "1" else { return nil }
            let evalLoss = fields[2].isEmpty ? nil : Double(fields[2])
            let accuracy = fields[3].isEmpty ? nil : Double(fields[3])
            guard evalLoss != nil || fields[2].isEmpty, accuracy != nil || fields[3].isEmpty else { return nil }
            rows.append(MetricRow(step: step, trainLoss: trainLoss, gradientNorm: gradientNorm, clipped: fields[5] == "1",
                                  evalLoss: evalLoss, accuracy: accuracy))
        }
        return rows
    }

    private static func field(_ value: Double) -> String {
        value.isFinite ? "\(value)" : (value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf"))
    }
}
