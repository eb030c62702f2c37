/// The number of elements of an array of this shape; nil for a negative dimension or a
/// product beyond Int (a zero dimension makes it 0 whatever the others are).
public func elementCount(of shape: [Int]) -> Int? {
    guard shape.allSatisfy({ $0 >= 0 }) else { return nil }
    if shape.contains(0) { return 0 }
    var count = 1
    for dimension in shape {
        let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
        if overflow { return nil }
        count = product
    }
    return count
}
