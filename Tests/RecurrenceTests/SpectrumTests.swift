import Recurrence
import Testing

@Suite("σ_max and spectral radius")
struct SpectrumTests {
    @Test("diagonal matrix")
    func diagonal() {
        let matrix: [Double] = [3, 0, 0, 0, -5, 0, 0, 0, 0.5]
        #expect((Spectrum.largestSingularValue(matrix, rows: 3, columns: 3) - 5).magnitude < 1e-12)
        #expect((Spectrum.spectralRadius(matrix, size: 3) - 5).magnitude < 1e-12)
    }

    @Test("a scaled rotation has complex eigenvalues: radius r, where power iteration would fail")
    func rotation() {
        let r = 0.9, angle = 0.7
        let matrix = [r * Double.cos(angle), -r * Double.sin(angle), r * Double.sin(angle), r * Double.cos(angle)]
        #expect((Spectrum.spectralRadius(matrix, size: 2) - r).magnitude < 1e-12)
        #expect((Spectrum.largestSingularValue(matrix, rows: 2, columns: 2) - r).magnitude < 1e-12)
    }

    @Test("non-normal matrix: σ_max exceeds the spectral radius")
    func nonNormal() {
        // [[1, 10], [0, 1]]: both eigenvalues 1; σ_max = 5 + √26.
        let matrix: [Double] = [1, 10, 0, 1]
        #expect((Spectrum.spectralRadius(matrix, size: 2) - 1).magnitude < 1e-6)
        #expect((Spectrum.largestSingularValue(matrix, rows: 2, columns: 2) - (5 + 26.0.squareRoot())).magnitude < 1e-12)
        // A rectangular matrix too.
        #expect((Spectrum.largestSingularValue([3, 4], rows: 1, columns: 2) - 5).magnitude < 1e-12)
    }

    @Test("non-finite input gives NaN, not a crash")
    func nonFinite() {
        #expect(Spectrum.spectralRadius([.nan, 0, 0, 1], size: 2).isNaN)
        #expect(Spectrum.largestSingularValue([.infinity, 0, 0, 1], rows: 2, columns: 2).isNaN)
    }

    @Test("per layer and direction of a network")
    func networkSpectra() throws {
        let rnn = try RNN<Float>(RNNConfiguration(inputSize: 2, hiddenSize: 128, numLayers: 2, bidirectional: true), seed: 1)
        let spectra = rnn.recurrentWeightSpectra()
        #expect(spectra.map { [$0.layer, $0.direction] } == [[0, 0], [0, 1], [1, 0], [1, 1]])
        for spectrum in spectra {
            // U(±1/√H) has entry variance 1/(3H): circular law radius ≈ 1/√3, σ_max ≈ 2/√3.
            #expect((spectrum.spectralRadius - 0.577).magnitude < 0.06)
            #expect((spectrum.largestSingularValue - 1.155).magnitude < 0.08)
            #expect(spectrum.largestSingularValue >= spectrum.spectralRadius)
        }
    }
}
