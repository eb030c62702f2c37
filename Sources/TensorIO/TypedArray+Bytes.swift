import Foundation
import Recurrence

// Both file formats store elements little-endian, and the readers copy them as they are.
// Every supported host (x86_64, arm64) is little-endian; a big-endian one would need swaps here.
#if _endian(big)
#error("TypedArray+Bytes copies little-endian file bytes without swapping; add byte swaps for big-endian hosts.")
#endif

extension TypedArray.Storage {
    /// Copies `count` little-endian elements of `dtype` out of `bytes`.
    ///
    /// `bytes` may start at any address: a tensor's offset inside a file need not be a multiple
    /// of its element size, so the copy goes byte-wise into the array's own (aligned) buffer.
    /// - Precondition: `bytes.count == count * dtype.byteSize` (callers validate files first).
    init(dtype: DType, count: Int, littleEndianBytes bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == count * dtype.byteSize, "\(bytes.count) bytes do not hold \(count) \(dtype)")
        switch dtype {
        case .float32: self = .float32(Self.copy(count, bytes))
        case .float64: self = .float64(Self.copy(count, bytes))
        case .int32: self = .int32(Self.copy(count, bytes))
        case .int64: self = .int64(Self.copy(count, bytes))
        }
    }

    private static func copy<Element: BitwiseCopyable>(_ count: Int, _ bytes: UnsafeRawBufferPointer) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            if count > 0 {
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes)
            }
            initializedCount = count
        }
    }

    /// The number of bytes the elements take in a file.
    var byteCount: Int { count * dtype.byteSize }

    /// Appends the elements to `data`, little-endian, in order.
    func appendLittleEndianBytes(to data: inout Data) {
        switch self {
        case .float32(let values): values.withUnsafeBufferPointer { data.append($0) }
        case .float64(let values): values.withUnsafeBufferPointer { data.append($0) }
        case .int32(let values): values.withUnsafeBufferPointer { data.append($0) }
        case .int64(let values): values.withUnsafeBufferPointer { data.append($0) }
        }
    }
}

extension DType {
    /// The number of elements in `shape` and the bytes they take, or nil when either overflows `Int`
    /// (a file can claim any shape; the product must never trap). A zero dimension makes the
    /// array empty whatever the others are, as `elementCount(of:)` counts.
    /// - Precondition: no dimension is negative.
    func sizes(of shape: [Int]) -> (count: Int, bytes: Int)? {
        guard let count = elementCount(of: shape) else { return nil }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: byteSize)
        return overflow ? nil : (count, bytes)
    }
}
