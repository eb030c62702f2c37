/// Rows of a gradient in `RowScaling`'s form, read-only: row r's true values are
/// values[r·rowStride ..< r·rowStride + width] times 2^exponents[r], the width being the
/// reader's (rowStride is larger when the rows are one direction's slice of a wider matrix).
/// Without exponents the values are true values.
struct ScaledRows<Scalar: RNNScalar> {
    let values: UnsafePointer<Scalar>
    let exponents: UnsafePointer<Int>?
    let rowStride: Int

    /// The rows from column `first` on: one direction's slice of a layer's output gradient.
    func columns(from first: Int) -> ScaledRows {
        ScaledRows(values: values + first, exponents: exponents, rowStride: rowStride)
    }

    /// Row r's first value.
    func row(_ r: Int) -> UnsafePointer<Scalar> { values + r * rowStride }

    /// The power of two row r is scaled by: 0 for true values.
    func exponent(ofRow r: Int) -> Int { exponents?[r] ?? 0 }
}
