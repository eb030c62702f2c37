import Recurrence
import Testing
import TestSupport

/// Every output, gradient and per-timestep probe against PyTorch's numbers for the same
/// network (fixtures from Tests/Fixtures/make_fixtures.py).
@Suite("RNN parity with PyTorch")
struct RNNParityTests {
    @Test("fixtures cover every option", .tags(.parity))
    func coverage() throws {
        let fixtures = try RNNFixture.allNames.map(RNNFixture.init)
        #expect(fixtures.count >= 24)
        #expect(Set(fixtures.map(\.configuration.numLayers)) == [1, 2, 3])
        #expect(Set(fixtures.map(\.configuration.bidirectional)) == [false, true])
        #expect(Set(fixtures.map(\.configuration.nonlinearity)) == [.tanh, .relu])
        #expect(Set(fixtures.map(\.configuration.bias)) == [false, true])
        #expect(Set(fixtures.map(\.configuration.batchFirst)) == [false, true])
        #expect(Set(fixtures.map(\.isUnbatched)) == [false, true])
        #expect(Set(fixtures.map(\.hasInitialState)) == [false, true])
        #expect(Set(fixtures.map(\.isDouble)) == [false, true])
    }

    @Test("matches PyTorch", .tags(.parity), arguments: RNNFixture.allNames)
    func matchesPyTorch(_ name: String) throws {
        let fixture = try RNNFixture(name)
        if fixture.isDouble {
            try check(fixture, Double.self, tolerance: 1e-9)
        } else {
            try check(fixture, Float.self, tolerance: 2e-4)
        }
    }

    private func check<S: RNNScalar>(_ fixture: RNNFixture, _: S.Type, tolerance: Double) throws {
        let config = fixture.configuration
        let rnn = try RNN<S>(config, parameters: try fixture.parameters())
        rnn.probes = .all
        let h0: Tensor<S>? = fixture.hasInitialState ? try fixture.tensor("h0") : nil
        let result = try rnn.forward(try fixture.tensor("input"), initialState: h0)
        let expectedOutput: Tensor<S> = try fixture.tensor("output")
        let expectedFinal: Tensor<S> = try fixture.tensor("h_n")
        #expect(result.output.shape == expectedOutput.shape)
        #expect(result.finalState.shape == expectedFinal.shape)
        expectClose(result.output.scalars, expectedOutput.scalars, relativeTolerance: tolerance, "output")
        expectClose(result.finalState.scalars, expectedFinal.scalars, relativeTolerance: tolerance, "h_n")

        let gradients = try rnn.backward(gradOutput: try fixture.tensor("grad_output"),
                                         gradFinalState: try fixture.tensor("grad_h_n"))
        for name in gradients.parameters.names {
            let expected: Tensor<S> = try fixture.tensor("grad." + name)
            expectClose(gradients.parameters[name]!.scalars, expected.scalars, relativeTolerance: tolerance, "grad \(name)")
        }
        let expectedInput: Tensor<S> = try fixture.tensor("grad_input")
        let expectedH0: Tensor<S> = try fixture.tensor("grad_h0")
        let gradInput = try #require(gradients.input)
        #expect(gradInput.shape == expectedInput.shape)
        #expect(gradients.initialState.shape == expectedH0.shape)
        expectClose(gradInput.scalars, expectedInput.scalars, relativeTolerance: tolerance, "grad input")
        expectClose(gradients.initialState.scalars, expectedH0.scalars, relativeTolerance: tolerance, "grad h0")
        try checkProbes(fixture, gradients.probes, result.hiddenStates, S.self, tolerance: tolerance)
    }

    /// Per-timestep norms against the unrolled loop's retained gradients: grad_h and grad_z
    /// are (L·D, T, N, H); whh_contribution_norm is (L·D, T).
    private func checkProbes<S: RNNScalar>(
        _ fixture: RNNFixture, _ probes: [GradientProbe], _ hidden: Tensor<S>?, _: S.Type, tolerance: Double
    ) throws {
        let gradH: Tensor<S> = try fixture.tensor("grad_h")
        let gradZ: Tensor<S> = try fixture.tensor("grad_z")
        let contribution: Tensor<S> = try fixture.tensor("whh_contribution_norm")
        let (blocks, steps, batch, hiddenSize) = (gradH.shape[0], gradH.shape[1], gradH.shape[2], gradH.shape[3])
        #expect(probes.count == blocks)
        for (b, probe) in probes.enumerated() {
            #expect(probe.layer * fixture.configuration.directions + probe.direction == b)
            var total: [Double] = [], perSample: [Double] = [], preactivation: [Double] = []
            for t in 0..<steps {
                let offset = (b * steps + t) * batch * hiddenSize
                let h = gradH.scalars[offset..<offset + batch * hiddenSize].map { Double($0) }
                let z = gradZ.scalars[offset..<offset + batch * hiddenSize].map { Double($0) }
                total.append(h.map { $0 * $0 }.reduce(0, +).squareRoot())
                preactivation.append(z.map { $0 * $0 }.reduce(0, +).squareRoot())
                for n in 0..<batch {
                    perSample.append(h[n * hiddenSize..<(n + 1) * hiddenSize].map { $0 * $0 }.reduce(0, +).squareRoot())
                }
            }
            let scaled = tolerance * 10  // norms of references that are themselves rounded
            expectElementwiseClose(probe.gradientNorm, total, relativeTolerance: scaled, "‖∂L/∂h_t‖ block \(b)")
            expectElementwiseClose(probe.gradientNormPerSample, perSample, relativeTolerance: scaled, "per-sample block \(b)")
            expectElementwiseClose(probe.preactivationGradientNorm, preactivation, relativeTolerance: scaled, "‖∂L/∂z_t‖ block \(b)")
            expectElementwiseClose(probe.recurrentWeightGradientNorm,
                                   contribution.scalars[b * steps..<(b + 1) * steps].map { Double($0) },
                                   relativeTolerance: scaled, "W_hh contribution block \(b)")
            expectElementwiseClose(probe.logGradientNorm, total.map { Double.log($0) },
                                   relativeTolerance: scaled, "ln‖∂L/∂h_t‖ block \(b)")
        }
        let hiddenStates = try #require(hidden)
        #expect(hiddenStates.shape.first == blocks)
        #expect(hiddenStates.count == blocks * steps * batch * hiddenSize)
    }
}
