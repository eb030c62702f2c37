/// Maps data coordinates to points in a panel's data rectangle; y is flipped here, once.
struct Transform {
    let plot: Rect
    let x: Scale
    let y: Scale

    /// Positions this many plot sizes outside the rectangle are clamped: the visible part of
    /// a segment to a far-away point is unchanged to well under a pixel, and Cairo's fixed-point
    /// coordinates never overflow.
    private static let reach = 1000.0

    /// The point for (x, y), or nil when either cannot be placed on its scale.
    func point(_ dataX: Double, _ dataY: Double) -> Point? {
        guard let px = x.position(of: dataX), let py = y.position(of: dataY) else { return nil }
        return Point(plot.minX + clamp(px) * plot.width, plot.maxY - clamp(py) * plot.height)
    }

    func xCoordinate(_ value: Double) -> Double? {
        x.position(of: value).map { plot.minX + clamp($0) * plot.width }
    }

    func yCoordinate(_ value: Double) -> Double? {
        y.position(of: value).map { plot.maxY - clamp($0) * plot.height }
    }

    private func clamp(_ position: Double) -> Double { min(max(position, -Self.reach), Self.reach) }
}

/// Builds a polyline that breaks at points that cannot be placed, and merges runs of points
/// that fall in one device pixel column into their first, lowest, highest and last point, so
/// that a million points draw fast and look the same.
struct PolylineBuilder {
    private(set) var path = Path()
    private let pixelWidth: Double
    private var column: Int?
    private var bucket: [Point] = []
    private var penDown = false

    /// - Parameter pixelWidth: the width of a device pixel in points (72/dpi; 0 disables merging).
    init(pixelWidth: Double) { self.pixelWidth = pixelWidth }

    mutating func add(_ point: Point?) {
        guard let point else {
            flush()
            penDown = false
            return
        }
        let index = pixelWidth > 0 ? Int((point.x / pixelWidth).rounded(.down)) : nil
        if index == nil || index != column { flush() }
        column = index
        bucket.append(point)
    }

    mutating func finish() -> Path {
        flush()
        return path
    }

    private mutating func flush() {
        guard !bucket.isEmpty else { return }
        var kept = bucket
        if bucket.count > 4 {
            let low = bucket.indices.min { bucket[$0].y < bucket[$1].y }!
            let high = bucket.indices.max { bucket[$0].y < bucket[$1].y }!
            kept = [bucket.first!] + [min(low, high), max(low, high)].map { bucket[$0] } + [bucket.last!]
        }
        for point in kept {
            if penDown { path.line(to: point) } else { path.move(to: point) }
            penDown = true
        }
        bucket.removeAll(keepingCapacity: true)
    }
}
