import Recurrence
import Sweeps

/// The cell, H and P a state_dict's recurrent weights imply: weight_hh_l0 is (G·H, H) with
/// G = 1 (nn.RNN), 3 (nn.GRU) or 4 (nn.LSTM), or (4H, P) beside a weight_hr_l0 (P, H) (nn.LSTM
/// with proj_size P).
struct CellShape {
    let cell: RecurrentCellKind
    let hiddenSize: Int
    let projSize: Int

    /// - Parameters:
    ///   - weightHH: weight_hh_l0's shape; projection: weight_hr_l0's, if the file has one.
    ///   - requested: the cell the caller names; nil to tell it from the shapes.
    /// - Throws: `AnalysisError` saying what was found and what each cell expects.
    init(weightHH: [Int], projection: [Int]?, requested: RecurrentCellKind?, path: String) throws(AnalysisError) {
        let expectation = "nn.RNN has weight_hh (H, H), nn.GRU (3H, H), nn.LSTM (4H, H), "
            + "or (4H, P) with weight_hr (P, H) when proj_size = P"
        guard weightHH.count == 2, weightHH[0] > 0, weightHH[1] > 0 else {
            throw AnalysisError("\(path): weight_hh_l0 must be 2-D, got shape \(weightHH); \(expectation)")
        }
        let (rows, columns) = (weightHH[0], weightHH[1])
        if let projection {
            guard projection.count == 2, projection[0] == columns, projection[1] * 4 == rows, columns < projection[1],
                  requested == nil || requested == .lstm else {
                throw AnalysisError("\(path): weight_hh_l0 \(weightHH) and weight_hr_l0 \(projection) fit no cell"
                                    + (requested.map { " (asked for \($0.rawValue))" } ?? "") + "; \(expectation)")
            }
            (cell, hiddenSize, projSize) = (.lstm, projection[1], columns)
            return
        }
        let candidates: [RecurrentCellKind] = requested.map { [$0] } ?? [.rnn, .gru, .lstm]
        guard let fit = candidates.first(where: { rows == $0.gateCount * columns }) else {
            throw AnalysisError("\(path): weight_hh_l0 has shape \(weightHH), which fits "
                                + (requested.map { "no \($0.rawValue)" } ?? "no cell") + "; \(expectation)")
        }
        (cell, hiddenSize, projSize) = (fit, columns, 0)
    }
}
