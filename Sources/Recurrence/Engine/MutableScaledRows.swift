/// Rows of a gradient being written in `RowScaling`'s form (see `ScaledRows`): with exponents,
/// row r is left scaled by 2^exponents[r] for a reader that continues in that form; without,
/// in true values.
struct MutableScaledRows<Scalar: RNNScalar> {
    let values: UnsafeMutablePointer<Scalar>
    let exponents: UnsafeMutablePointer<Int>?
    let rowStride: Int

    /// The rows from row r on.
    func dropFirst(_ r: Int) -> MutableScaledRows {
        MutableScaledRows(values: values + r * rowStride, exponents: exponents.map { $0 + r }, rowStride: rowStride)
    }
}
