import Testing

/// Expects two arrays to agree within a tolerance relative to the largest magnitude of the
/// expected values (what "2e-4 relative" means for a whole tensor); on failure it reports the
/// largest difference and the first mismatching indices, at the caller's line.
public func expectClose<S: BinaryFloatingPoint>(
    _ actual: [S], _ expected: [S], relativeTolerance: Double, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        Issue.record("\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    let scale = max(expected.map { Double($0).magnitude }.max() ?? 0, .leastNormalMagnitude)
    report(actual, expected, what, sourceLocation) { a, e in (a - e).magnitude <= relativeTolerance * scale }
}

/// Expects two arrays to agree element by element within a relative tolerance (for values
/// such as per-step gradient norms that span many orders of magnitude).
public func expectElementwiseClose<S: BinaryFloatingPoint>(
    _ actual: [S], _ expected: [S], relativeTolerance: Double, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        Issue.record("\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    report(actual, expected, what, sourceLocation) { a, e in
        a == e || (a - e).magnitude <= relativeTolerance * e.magnitude
    }
}

private func report<S: BinaryFloatingPoint>(
    _ actual: [S], _ expected: [S], _ what: String, _ sourceLocation: SourceLocation,
    accept: (Double, Double) -> Bool
) {
    var mismatches: [Int] = []
    var largest = 0.0
    for i in actual.indices {
        let a = Double(actual[i]), e = Double(expected[i])
        if !accept(a, e) || a.isNaN != e.isNaN {
            mismatches.append(i)
            largest = max(largest, (a - e).magnitude)
        }
    }
    guard !mismatches.isEmpty else { return }
    let first = mismatches.prefix(5).map { "[\($0)] \(actual[$0]) vs \(expected[$0])" }.joined(separator: ", ")
    Issue.record("\(what): \(mismatches.count) of \(actual.count) differ, largest difference \(largest); \(first)",
                 sourceLocation: sourceLocation)
}
