import Recurrence
import Testing
import TestSupport

/// nn.LSTM's and nn.GRU's outputs, gradients and per-timestep probes against PyTorch's numbers
/// for the same network (fixtures from Tests/Fixtures/make_fixtures.py).
@Suite("Gated cells' parity with PyTorch")
struct GatedParityTests {
    @Test("LSTM fixtures cover every option", .tags(.parity))
    func lstmCoverage() throws {
        let fixtures = try RNNFixture.names(.lstm).map { try RNNFixture($0, cell: .lstm) }
        #expect(fixtures.count >= 27)
        #expect(Set(fixtures.map(\.configuration.projSize)) == [0, 3])
        #expect(Set(fixtures.map(\.configuration.numLayers)) == [1, 2, 3])
        #expect(Set(fixtures.map(\.configuration.bidirectional)) == [false, true])
        #expect(Set(fixtures.map(\.configuration.bias)) == [false, true])
        #expect(Set(fixtures.map(\.configuration.batchFirst)) == [false, true])
        #expect(Set(fixtures.map(\.isUnbatched)) == [false, true])
        #expect(Set(fixtures.map(\.hasInitialState)) == [false, true])
        #expect(Set(fixtures.map(\.isDouble)) == [false, true])
    }

    @Test("LSTM matches PyTorch", .tags(.parity), arguments: RNNFixture.names(.lstm))
    func lstmMatchesPyTorch(_ name: String) throws {
        try check(RNNFixture(name, cell: .lstm))
    }

    @Test("GRU fixtures cover every option", .tags(.parity))
    func gruCoverage() throws {
        let fixtures = try RNNFixture.names(.gru).map { try RNNFixture($0, cell: .gru) }
        #expect(fixtures.count >= 27)
        #expect(Set(fixtures.map(\.configuration.numLayers)) == [1, 2, 3])
        #expect(Set(fixtures.map(\.configuration.bidirectional)) == [false, true])
        #expect(Set(fixtures.map(\.configuration.bias)) == [false, true])
        #expect(Set(fixtures.map(\.configuration.batchFirst)) == [false, true])
        #expect(Set(fixtures.map(\.isUnbatched)) == [false, true])
        #expect(Set(fixtures.map(\.hasInitialState)) == [false, true])
        #expect(Set(fixtures.map(\.isDouble)) == [false, true])
    }

    @Test("GRU matches PyTorch", .tags(.parity), arguments: RNNFixture.names(.gru))
    func gruMatchesPyTorch(_ name: String) throws {
        try check(RNNFixture(name, cell: .gru))
    }

    private func check(_ fixture: RNNFixture) throws {
        if fixture.isDouble {
            try check(fixture, Double.self, tolerance: 1e-9)
        } else {
            try check(fixture, Float.self, tolerance: 2e-4)
        }
    }

    private func check<S: RNNScalar>(_ fixture: RNNFixture, _: S.Type, tolerance: Double) throws {
        let rnn = try RNN<S>(fixture.configuration, parameters: try fixture.parameters())
        rnn.probes = .all
        let isLSTM = fixture.cell == .lstm
        let h0: Tensor<S>? = fixture.hasInitialState ? try fixture.tensor("h0") : nil
        let c0: Tensor<S>? = fixture.hasInitialState && isLSTM ? try fixture.tensor("c0") : nil
        let result = try rnn.forward(try fixture.tensor("input"), initialState: h0, initialCell: c0)
        expectMatch(result.output, try fixture.tensor("output"), tolerance, "output")
        expectMatch(result.finalState, try fixture.tensor("h_n"), tolerance, "h_n")
        if isLSTM {
            expectMatch(try #require(result.finalCell), try fixture.tensor("c_n"), tolerance, "c_n")
        } else {
            #expect(result.finalCell == nil)
        }

        let gradients = try rnn.backward(gradOutput: try fixture.tensor("grad_output"),
                                         gradFinalState: try fixture.tensor("grad_h_n"),
                                         gradFinalCell: isLSTM ? try fixture.tensor("grad_c_n") : nil)
        for name in gradients.parameters.names {
            expectMatch(gradients.parameters[name]!, try fixture.tensor("grad." + name), tolerance, "grad \(name)")
        }
        expectMatch(gradients.input, try fixture.tensor("grad_input"), tolerance, "grad input")
        expectMatch(gradients.initialState, try fixture.tensor("grad_h0"), tolerance, "grad h0")
        if isLSTM {
            expectMatch(try #require(gradients.initialCell), try fixture.tensor("grad_c0"), tolerance, "grad c0")
        } else {
            #expect(gradients.initialCell == nil)
        }
        try checkProbes(gradients.probes, fixture, S.self, tolerance: tolerance)
    }

    private func expectMatch<S: RNNScalar>(_ actual: Tensor<S>, _ expected: Tensor<S>, _ tolerance: Double, _ what: String,
                                           sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.shape == expected.shape, "\(what) shape", sourceLocation: sourceLocation)
        expectClose(actual.scalars, expected.scalars, relativeTolerance: tolerance, what, sourceLocation: sourceLocation)
    }

    /// ‖∂L/∂h_t‖ per block, step and sample, and its logarithm, against the norms of the
    /// unrolled loop's retained gradients grad_h (D·L, T, N, S), S the state size.
    private func checkProbes<S: RNNScalar>(_ probes: [GradientProbe], _ fixture: RNNFixture, _: S.Type,
                                           tolerance: Double) throws {
        let gradH: Tensor<S> = try fixture.tensor("grad_h")
        let (blocks, steps) = (gradH.shape[0], gradH.shape[1])
        #expect(probes.count == blocks)
        // Norms of references that are themselves rounded.
        let scaled = tolerance * 10
        for (b, probe) in probes.enumerated() {
            #expect(probe.layer * fixture.configuration.directions + probe.direction == b)
            let (total, perSample) = Self.norms(gradH, block: b)
            expectElementwiseClose(probe.gradientNorm, total, relativeTolerance: scaled, "‖∂L/∂h_t‖ block \(b)")
            expectElementwiseClose(probe.gradientNormPerSample, perSample, relativeTolerance: scaled, "per-sample block \(b)")
            expectElementwiseClose(probe.logGradientNorm, total.map { Double.log($0) },
                                   relativeTolerance: scaled, "ln‖∂L/∂h_t‖ block \(b)")
            #expect(probe.gradientNorm.count == steps)
        }
    }

    /// Block b's Frobenius norms over the batch per step, (T), and per sample, (T·N), of a
    /// (D·L, T, N, W) tensor.
    static func norms<S: RNNScalar>(_ tensor: Tensor<S>, block b: Int) -> (total: [Double], perSample: [Double]) {
        let (steps, batch, width) = (tensor.shape[1], tensor.shape[2], tensor.shape[3])
        var total: [Double] = [], perSample: [Double] = []
        for t in 0..<steps {
            let offset = (b * steps + t) * batch * width
            let values = tensor.scalars[offset..<offset + batch * width].map { Double($0) }
            total.append(values.map { $0 * $0 }.reduce(0, +).squareRoot())
            for n in 0..<batch {
                perSample.append(values[n * width..<(n + 1) * width].map { $0 * $0 }.reduce(0, +).squareRoot())
            }
        }
        return (total, perSample)
    }
}
