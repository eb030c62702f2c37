import Testing

extension Tag {
    /// Compared against PyTorch's numbers.
    @Tag static var parity: Self
}
