#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import CKernels
import Testing

/// Error of `value` against `reference` in units in the last place of the format with
/// `significandBits` bits after the point, measured at the reference (subnormal ulp below
/// the normal range).
private func ulpError(_ value: Double, _ reference: Double, significandBits: Int, minExponent: Int) -> Double {
    let exponent = max(reference.magnitude.exponent, minExponent)
    return (value - reference).magnitude / Double(sign: .plus, exponent: exponent - significandBits, significand: 1)
}

/// The largest error of vanish_tanhf over `inputs` against tanh in Double, and where it is.
private func worstFloatError(_ inputs: [Float]) -> (ulps: Double, at: Float) {
    var outputs = inputs
    vanish_tanhf(&outputs, outputs.count)
    var worst = (ulps: 0.0, at: Float.zero)
    for (x, y) in zip(inputs, outputs) {
        let error = ulpError(Double(y), tanh(Double(x)), significandBits: 23, minExponent: -126)
        if !(error <= worst.ulps) { worst = (error, x) }
    }
    return worst
}

@Suite("tanh against libm")
struct TanhTests {
    @Test("float: every 97th bit pattern in [−10, 10] within 2 ulp of tanh in Double")
    func floatDense() {
        var worst = (ulps: 0.0, at: Float.zero)
        let last = Float(10).bitPattern
        let chunk: UInt32 = 97 * 1 << 20
        for sign in [UInt32(0), 0x8000_0000] {
            for start in stride(from: UInt32(0), through: last, by: Int(chunk)) {
                let end = min(start + chunk, last + 1)
                let inputs = stride(from: start, to: end, by: 97).map { Float(bitPattern: sign | $0) }
                let chunkWorst = worstFloatError(inputs)
                if chunkWorst.ulps > worst.ulps { worst = chunkWorst }
            }
        }
        #expect(worst.ulps <= 2, "worst error \(worst.ulps) ulp at \(worst.at)")
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
        var outputs = inputs
        vanish_tanh(&outputs, outputs.count)
        var worst = (ulps: 0.0, at: 0.0)
        for (x, y) in zip(inputs, outputs) {
            #if arch(x86_64)
            let reference = Float80(tanhl(Float80(x)))
            let exponent = max(Int(reference.magnitude.exponent), -1022)
            let error = Double((Float80(y) - reference).magnitude
                               / Float80(sign: .plus, exponent: Float80.Exponent(exponent - 52), significand: 1))
            #else
            let error = ulpError(y, tanh(x), significandBits: 52, minExponent: -1022) - 1  // libm's own error
            #endif
            if !(error <= worst.ulps) { worst = (error, x) }
        }
        #expect(worst.ulps <= 2, "worst error \(worst.ulps) ulp at \(worst.at)")
    }

    @Test("±0 keep their sign, ±∞ and large |x| give exactly ±1, NaN stays NaN, tiny x gives x")
    func specialValues() {
        func check<S: KernelScalar>(_: S.Type, saturated: [S]) {
            var values: [S] = [0, -0.0, .infinity, -.infinity, .greatestFiniteMagnitude,
                               -.greatestFiniteMagnitude] + saturated + saturated.map { -$0 }
            values += [.nan, .leastNonzeroMagnitude, -.leastNormalMagnitude, 1e-20]
            var results = values
            results.withUnsafeMutableBufferPointer { S.tanhInPlace($0.baseAddress!, count: $0.count) }
            #expect(results[0] == 0 && results[0].sign == .plus)
            #expect(results[1] == 0 && results[1].sign == .minus)
            for (x, y) in zip(values, results) where x.isFinite ? x.magnitude >= 9.1 : !x.isNaN {
                #expect(y == (x < 0 ? -1 : 1), "tanh(\(x)) = \(y)")
            }
            #expect(results[results.count - 4].isNaN)
            #expect(Array(results.suffix(3)) == Array(values.suffix(3)))
        }
        check(Float.self, saturated: [9.1, 9.5, 10, 20, 1e30])
        check(Double.self, saturated: [19.1, 20, 25, 1e300])
    }

    @Test("any count: full vectors and the partial tail give the same values")
    func counts() {
        func check<S: KernelScalar>(_: S.Type) {
            let inputs = (0..<37).map { S($0) * S(0.173) - 3 }
            var whole = inputs
            whole.withUnsafeMutableBufferPointer { S.tanhInPlace($0.baseAddress!, count: $0.count) }
            for count in 0...inputs.count {
                var part = inputs
                part.withUnsafeMutableBufferPointer { S.tanhInPlace($0.baseAddress!, count: count) }
                #expect(Array(part.prefix(count)) == Array(whole.prefix(count)))
                #expect(Array(part.dropFirst(count)) == Array(inputs.dropFirst(count)))
            }
        }
        check(Float.self)
        check(Double.self)
    }
}
