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
        expectMatch(try #require(gradients.input), try fixture.tensor("grad_input"), tolerance, "grad input")
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

    /// Per block and step against the unrolled loop's retained gradients: ‖∂L/∂h_t‖ (also per
    /// sample) from grad_h (D·L, T, N, S), S the state size, an LSTM's ‖∂L/∂c_t‖ from grad_c
    /// (D·L, T, N, H), and their logarithms; the gate statistics from `gates` (D·L, T, N, G·H),
    /// where the file has it (the LSTM's f and the GRU's z are both its second block).
    private func checkProbes<S: RNNScalar>(_ probes: [GradientProbe], _ fixture: RNNFixture, _: S.Type,
                                           tolerance: Double) throws {
        let gradH: Tensor<S> = try fixture.tensor("grad_h")
        let gradC: Tensor<S>? = fixture.cell == .lstm ? try fixture.tensor("grad_c") : nil
        let gates: Tensor<S>? = fixture.file.tensors["gates"] == nil ? nil : try fixture.tensor("gates")
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
            if let gradC {
                let cell = Self.norms(gradC, block: b).total
                expectElementwiseClose(probe.cellGradientNorm, cell, relativeTolerance: scaled, "‖∂L/∂c_t‖ block \(b)")
                expectElementwiseClose(probe.cellLogGradientNorm, cell.map { Double.log($0) },
                                       relativeTolerance: scaled, "ln‖∂L/∂c_t‖ block \(b)")
            } else {
                #expect(probe.cellGradientNorm.isEmpty && probe.cellLogGradientNorm.isEmpty)
            }
            #expect(probe.gateMean.count == steps && probe.gateSaturatedHigh.count == steps
                    && probe.gateSaturatedLow.count == steps)
            if let gates {
                let expected = Self.gateStatistics(gates, block: b, hiddenSize: fixture.configuration.hiddenSize)
                expectElementwiseClose(probe.gateMean, expected.mean, relativeTolerance: tolerance, "gate mean block \(b)")
                #expect(probe.gateSaturatedHigh == expected.high, "gate fraction above 0.99, block \(b)")
                #expect(probe.gateSaturatedLow == expected.low, "gate fraction below 0.01, block \(b)")
            }
        }
        if fixture.name.contains("saturated") {
            #expect(probes.contains { $0.gateSaturatedHigh.contains { $0 > 0 } }
                    && probes.contains { $0.gateSaturatedLow.contains { $0 > 0 } },
                    "the saturated case should saturate the gate at both ends")
        }
    }

    /// Per step of block b, the mean of the second gate block of `gates` (D·L, T, N, G·H) and
    /// the fractions of its values above 0.99 and below 0.01.
    static func gateStatistics<S: RNNScalar>(_ gates: Tensor<S>, block b: Int, hiddenSize: Int)
        -> (mean: [Double], high: [Double], low: [Double]) {
        let (steps, batch, width) = (gates.shape[1], gates.shape[2], gates.shape[3])
        var mean: [Double] = [], high: [Double] = [], low: [Double] = []
        for t in 0..<steps {
            var values: [Double] = []
            for n in 0..<batch {
                let row = ((b * steps + t) * batch + n) * width
                values += gates.scalars[row + hiddenSize..<row + 2 * hiddenSize].map { Double($0) }
            }
            let count = Double(values.count)
            mean.append(values.reduce(0, +) / count)
            high.append(Double(values.filter { $0 > 0.99 }.count) / count)
            low.append(Double(values.filter { $0 < 0.01 }.count) / count)
        }
        return (mean, high, low)
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
