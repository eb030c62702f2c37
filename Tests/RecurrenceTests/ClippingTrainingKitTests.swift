import Recurrence
import Testing

@Suite("Training kit: gradient-norm clipping")
struct ClippingTrainingKitTests {
    @Test("above maxNorm: scaled by maxNorm/(norm + 1e-6) over all buffers together, in Float and Double")
    func clipsAbove() throws {
        func check<S: RNNScalar>(_: S.Type) throws {
            var buffers: [[S]] = [[3, 4], [12]]  // norm 13
            let (norm, clipped) = try clipGradientNorm(&buffers, maxNorm: 6.5)
            #expect(norm == 13 && clipped)
            let scale = 6.5 / (13 + 1e-6)
            #expect(buffers == [[S(3) * S(scale), S(4) * S(scale)], [S(12) * S(scale)]])
            #expect((gradientNorm(buffers) - 6.5).magnitude < 1e-5)
        }
        try check(Float.self)
        try check(Double.self)
    }

    @Test("at or below maxNorm: untouched")
    func untouchedBelow() throws {
        var buffers: [[Float]] = [[3, 4], [12]]
        let (norm, clipped) = try clipGradientNorm(&buffers, maxNorm: 20)
        #expect(norm == 13 && !clipped && buffers == [[3, 4], [12]])
        var first: [Double] = [0.3, 0.4], second: [Double] = []
        let pair = try clipGradientNorm(&first, &second, maxNorm: 1)
        #expect((pair.norm - 0.5).magnitude < 1e-15 && !pair.clipped && first == [0.3, 0.4])
    }

    @Test("the two-buffer form agrees with the array form")
    func twoBuffers() throws {
        var first: [Double] = [1, -2, 2], second: [Double] = [4]
        var buffers = [first, second]
        let pair = try clipGradientNorm(&first, &second, maxNorm: 1)
        let array = try clipGradientNorm(&buffers, maxNorm: 1)
        #expect(pair == array && pair.norm == 5 && pair.clipped)
        #expect([first, second] == buffers)
    }

    @Test("NaN or infinite norm: reported, buffers untouched, not clipped")
    func nonFinite() throws {
        var withNaN: [[Double]] = [[1, .nan], [.infinity]]
        let nan = try clipGradientNorm(&withNaN, maxNorm: 1)
        #expect(nan.norm.isNaN && !nan.clipped)
        #expect(withNaN[0][0] == 1 && withNaN[0][1].isNaN && withNaN[1] == [.infinity])
        var withInfinity: [[Float]] = [[1, 2], [-.infinity]]
        let infinite = try clipGradientNorm(&withInfinity, maxNorm: 1)
        #expect(infinite.norm == .infinity && !infinite.clipped && withInfinity == [[1, 2], [-.infinity]])
    }

    @Test("the norm neither overflows nor underflows in Float")
    func robustNorm() {
        #expect((gradientNorm([[Float(3e30)], [Float(4e30)]]) / 5e30 - 1).magnitude < 1e-6)
        #expect((gradientNorm([[Float(3e-30)], [Float(4e-30)]]) / 5e-30 - 1).magnitude < 1e-6)
        #expect(gradientNorm([[Float]]()) == 0 && gradientNorm([[Float](), [0]]) == 0)
    }

    @Test("maxNorm must be finite and above 0")
    func errors() {
        var buffers: [[Float]] = [[1]]
        #expect(throws: RNNError.self) { try clipGradientNorm(&buffers, maxNorm: 0) }
        #expect(throws: RNNError.self) { try clipGradientNorm(&buffers, maxNorm: .nan) }
    }
}
