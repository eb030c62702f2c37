#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Testing

/// Error of `value` against `reference` in units in the last place of the format with
/// `significandBits` bits after the point, measured at the reference (subnormal ulp below
/// the normal range).
private func ulpError(_ value: Double, _ reference: Double, significandBits: Int, minExponent: Int) -> Double {
    let exponent = max(reference.magnitude.exponent, minExponent)
    return (value - reference).magnitude / Double(sign: .plus, exponent: exponent - significandBits, significand: 1)
}

/// The largest error seen so far of each instruction set's tanh, and where it was.
private struct WorstErrors<S: KernelScalar> {
    var worst = [(ulps: Double, at: S)](repeating: (0, 0), count: Kernels.instructionSets.count)

    /// Runs every instruction set's tanh on `inputs` and measures it with `error(input, output)`.
    mutating func measure(_ inputs: [S], _ error: (Int, S) -> Double) {
        for (index, kernels) in Kernels.instructionSets.enumerated() {
            var outputs = inputs
            outputs.withUnsafeMutableBufferPointer { S.tanhInPlace(kernels, $0.baseAddress!, count: $0.count) }
            for i in outputs.indices {
                let ulps = error(i, outputs[i])
                if !(ulps <= worst[index].ulps) { worst[index] = (ulps, inputs[i]) }
            }
        }
    }

    func expect(atMost bound: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        for (kernels, worst) in zip(Kernels.instructionSets, worst) {
            #expect(worst.ulps <= bound, "\(S.self) \(kernels): worst error \(worst.ulps) ulp at \(worst.at)",
                    sourceLocation: sourceLocation)
        }
    }
}

@Suite("tanh against libm")
struct TanhTests {
    @Test("float: every 97th bit pattern in [−10, 10] within 2 ulp of tanh in Double")
    func floatDense() {
        var errors = WorstErrors<Float>()
        let last = Float(10).bitPattern
        let chunk: UInt32 = 97 << 20
        for sign in [UInt32(0), 0x8000_0000] {
            for start in stride(from: UInt32(0), through: last, by: Int(chunk)) {
                let end = min(start + chunk, last + 1)
                let inputs = stride(from: start, to: end, by: 97).map { Float(bitPattern: sign | $0) }
                let reference = inputs.map { tanh(Double($0)) }
                errors.measure(inputs) { i, y in
                    ulpError(Double(y), reference[i], significandBits: 23, minExponent: -126)
                }
            }
        }
        errors.expect(atMost: 2)
    }

    @Test("double: 2·10⁶ points in [−20, 20] and down to 1e-300 within 2 ulp of tanhl")
    func doubleSpread() {
        var generator = SplitMix64(seed: 5)
        let uniform = (0..<1_000_000).map { _ in Double.random(in: -20...20, using: &generator) }
        let logUniform = (0..<1_000_000).map { _ in
            let sign = Bool.random(using: &generator) ? -1.0 : 1.0
            return sign * exp(Double.random(in: -690...3, using: &generator))
        }
        let inputs = uniform + logUniform
        var errors = WorstErrors<Double>()
        #if arch(x86_64)
        let reference = inputs.map { tanhl(Float80($0)) }
        errors.measure(inputs) { i, y in
            let exponent = max(Int(reference[i].magnitude.exponent), -1022)
            let ulp = Float80(sign: .plus, exponent: Float80.Exponent(exponent - 52), significand: 1)
            return Double((Float80(y) - reference[i]).magnitude / ulp)
        }
        #else
        let reference = inputs.map { tanh($0) }
        errors.measure(inputs) { i, y in  // less the reference's own error, at most an ulp
            ulpError(y, reference[i], significandBits: 52, minExponent: -1022) - 1
        }
        #endif
        errors.expect(atMost: 2)
    }

    @Test("±0 keep their sign, ±∞ and large |x| give exactly ±1, NaN stays NaN, tiny x gives x")
    func specialValues() {
        func check<S: KernelScalar>(_: S.Type, saturated: [S]) {
            var values: [S] = [0, -0.0, .infinity, -.infinity, .greatestFiniteMagnitude,
                               -.greatestFiniteMagnitude] + saturated + saturated.map { -$0 }
            values += [.nan, .leastNonzeroMagnitude, -.leastNormalMagnitude, 1e-20]
            for kernels in Kernels.all {
                var results = values
                results.withUnsafeMutableBufferPointer { S.tanhInPlace(kernels, $0.baseAddress!, count: $0.count) }
                #expect(results[0] == 0 && results[0].sign == .plus, "\(kernels)")
                #expect(results[1] == 0 && results[1].sign == .minus, "\(kernels)")
                for (x, y) in zip(values, results) where x.isFinite ? x.magnitude >= 9.1 : !x.isNaN {
                    #expect(y == (x < 0 ? -1 : 1), "\(kernels): tanh(\(x)) = \(y)")
                }
                #expect(results[results.count - 4].isNaN, "\(kernels)")
                #expect(Array(results.suffix(3)) == Array(values.suffix(3)), "\(kernels)")
            }
        }
        check(Float.self, saturated: [9.1, 9.5, 10, 20, 1e30])
        check(Double.self, saturated: [19.1, 20, 25, 1e300])
    }

    @Test("a value's tanh does not depend on its neighbours: alone (the polynomial-only shortcut) or in a vector with large ones")
    func independentOfNeighbours() {
        func check<S: KernelScalar>(_: S.Type) {
            // Small values, several just below the branch point 0.625, each next to large ones:
            // every full vector mixes both ranges and so takes the exponential's path.
            let small: [S] = [0, 1e-30, 0.001, 0.1, 0.3, 0.5, 0.6, 0.62, 0.6249, -0.6249, -0.2, -1e-20]
            let inputs = small.flatMap { [$0, $0 * 7 + 1, -$0 - 2] }
            for kernels in Kernels.all {
                var together = inputs
                together.withUnsafeMutableBufferPointer { S.tanhInPlace(kernels, $0.baseAddress!, count: $0.count) }
                for (input, mixed) in zip(inputs, together) {
                    var alone = [input]
                    alone.withUnsafeMutableBufferPointer { S.tanhInPlace(kernels, $0.baseAddress!, count: 1) }
                    #expect(alone[0] == mixed && alone[0].sign == mixed.sign, "\(S.self) \(kernels): tanh(\(input))")
                }
            }
        }
        check(Float.self)
        check(Double.self)
    }

    @Test("any count: full vectors and the partial tail give the same values; dispatched = widest")
    func counts() {
        func check<S: KernelScalar>(_: S.Type) {
            let inputs = (0..<37).map { S($0) * S(0.173) - 3 }
            func tanh(_ kernels: Kernels, count: Int) -> [S] {
                var values = inputs
                values.withUnsafeMutableBufferPointer { S.tanhInPlace(kernels, $0.baseAddress!, count: count) }
                return values
            }
            #expect(tanh(.dispatched, count: inputs.count) == tanh(Kernels.instructionSets[0], count: inputs.count))
            for kernels in Kernels.all {
                let whole = tanh(kernels, count: inputs.count)
                for count in 0...inputs.count {
                    let part = tanh(kernels, count: count)
                    #expect(Array(part.prefix(count)) == Array(whole.prefix(count)), "\(kernels)")
                    #expect(Array(part.dropFirst(count)) == Array(inputs.dropFirst(count)), "\(kernels)")
                }
            }
        }
        check(Float.self)
        check(Double.self)
    }
}
