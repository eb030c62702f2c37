/// The parameters (or their gradients) of an RNN in one flat buffer with named views.
/// Gradients share the layout, so zeroing is one fill and an optimizer step is one loop.
public struct ParameterSet<Scalar: RNNScalar>: Equatable, Sendable {
    public let layout: ParameterLayout
    public var storage: [Scalar]

    /// All parameters zero.
    public init(zerosFor layout: ParameterLayout) {
        self.layout = layout
        self.storage = Array(repeating: 0, count: layout.count)
    }

    /// The parameters in `layout`'s order, `storage.count == layout.count`.
    init(layout: ParameterLayout, storage: [Scalar]) {
        precondition(storage.count == layout.count, "\(storage.count) values for \(layout.count) parameters")
        self.layout = layout
        self.storage = storage
    }

    public var names: [String] { layout.names }

    /// The named parameter as a tensor of its PyTorch shape.
    public subscript(name: String) -> Tensor<Scalar>? {
        guard let entry = layout.entry(named: name) else { return nil }
        return Tensor(shape: entry.shape, scalars: Array(storage[entry.offset..<entry.offset + entry.count]))
    }

    /// Replaces the named parameter.
    /// - Throws: `RNNError` if there is no such parameter or the shape differs from PyTorch's.
    public mutating func set(_ name: String, _ value: Tensor<Scalar>) throws(RNNError) {
        guard let entry = layout.entry(named: name) else {
            throw RNNError("no parameter named \(name); expected one of \(layout.names.joined(separator: ", "))")
        }
        guard value.shape == entry.shape else {
            throw RNNError("\(name): expected shape \(entry.shape), got \(value.shape)")
        }
        storage.replaceSubrange(entry.offset..<entry.offset + entry.count, with: value.scalars)
    }

    /// Sets every element to zero, keeping the storage.
    public mutating func zero() {
        for i in storage.indices { storage[i] = 0 }
    }

    /// The named tensors in PyTorch's order, e.g. for writing a state_dict.
    public var namedTensors: [(name: String, tensor: Tensor<Scalar>)] {
        layout.entries.map { ($0.name, self[$0.name]!) }
    }
}
