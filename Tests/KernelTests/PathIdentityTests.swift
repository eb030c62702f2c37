import CKernels
import Testing

/// Every instruction set computes every result in the same order with the same fused
/// multiply-adds (issue 15): each kernel of every path this CPU supports against the widest
/// path's, bit for bit (NaN payloads included), for Float and Double.
@Suite("identical bits on every instruction set")
struct PathIdentityTests {
    /// Tile and block edges of every path (MR 4–8, NR 8–32, KC 256, MC 128–256), k > KC and
    /// k > 2·KC, the transposed-A packing (m ≥ 64, n ≥ 128).
    static let shapes: [(m: Int, n: Int, k: Int)] = [
        (1, 1, 1), (7, 33, 100), (33, 7, 1), (5, 9, 257), (9, 65, 513), (130, 47, 20), (3, 1100, 300),
        (70, 130, 300), (260, 129, 20), (32, 128, 128),
    ]
    /// alpha and beta of 1, 0 and others: each takes its own update of C.
    static let scalars: [(alpha: Double, beta: Double)] = [(1, 0), (1, 1), (1.5, -0.75), (-1, 1), (0.5, 0)]

    /// The bit patterns of every path's result, widest first, and a label for the first that differs.
    private func expectSame<S: BinaryFloatingPoint>(_ label: String, sourceLocation: SourceLocation = #_sourceLocation,
                                                     _ result: (Kernels) -> [S]) where S.RawSignificand: FixedWidthInteger {
        let results = Kernels.instructionSets.map { kernels in
            result(kernels).map { UInt64($0.exponentBitPattern) << 53 | UInt64($0.significandBitPattern) << 1 | ($0.sign == .minus ? 1 : 0) }
        }
        for (kernels, bits) in zip(Kernels.instructionSets, results).dropFirst() {
            let first = bits.indices.first { $0 >= results[0].count || bits[$0] != results[0][$0] }
            #expect(bits == results[0], "\(S.self) \(label): \(kernels) differs from \(Kernels.instructionSets[0]) first at \(first.map(String.init) ?? "its length")",
                    sourceLocation: sourceLocation)
        }
    }

    @Test("GEMM: packed and unpacked, every transpose, edge tiles, k past KC, alpha and beta")
    func gemm() {
        func check<S: KernelScalar>(_: S.Type) {
            for shape in Self.shapes {
                for (a, b) in [(false, false), (false, true), (true, false), (true, true)] {
                    for (index, scalars) in Self.scalars.enumerated() {
                        var problem = GEMMProblem<S>(transA: a, transB: b, m: shape.m, n: shape.n, k: shape.k,
                                                     alpha: S(scalars.alpha), beta: S(scalars.beta), seed: UInt64(index))
                        if scalars.beta == 0 { problem.c = problem.c.map { _ in .nan } }
                        let label = "\(shape) transA \(a) transB \(b) alpha \(scalars.alpha) beta \(scalars.beta)"
                        expectSame(label) { problem.product($0) }
                        expectSame(label + " packed") { problem.packedProduct($0) }
                    }
                }
            }
        }
        check(Float.self)
        check(Double.self)
    }

    @Test("tanh: dense ranges, the branch point, huge, tiny, subnormal, ±0, ±∞, NaN")
    func tanh() {
        func check<S: KernelScalar>(_: S.Type) {
            var generator = SplitMix64(seed: 15)
            var inputs: [S] = [0, -0, .infinity, -.infinity, .nan, -.nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                               .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, 1e-30, -1e-30, 88, 710]
            // Either side of each branch point and clamp.
            for edge in [S(0.625), 9.5, 20] { inputs += [edge.nextDown, edge, edge.nextUp, -edge] }
            for scale in [S(1e-3), 0.7, 3, 12, 25, 1e4] {
                inputs += (0..<4099).map { _ in S(Double(Int64(bitPattern: generator.next()) >> 11) * 0x1p-52) * scale }
            }
            for count in [1, 3, 17, inputs.count] {  // every padded last vector
                expectSame("tanh of \(count)") { kernels in
                    var y = Array(inputs.prefix(count))
                    y.withUnsafeMutableBufferPointer { S.tanhInPlace(kernels, $0.baseAddress!, count: $0.count) }
                    return y
                }
            }
        }
        check(Float.self)
        check(Double.self)
    }

    /// Values in [−3, 3) with the specials a gradient can hold; `count` of them.
    private func values<S: BinaryFloatingPoint>(_ count: Int, seed: UInt64) -> [S] {
        var generator = SplitMix64(seed: seed)
        var x = (0..<count).map { _ in S(Double(Int64(bitPattern: generator.next()) >> 11) * 0x1p-52 * 3) }
        for (i, special) in [S(0), -0, .leastNonzeroMagnitude, 1, -1].enumerated() where 7 * i + 2 < count {
            x[7 * i + 2] = special
        }
        return x
    }

    @Test("row loops: largest magnitude, sum of squares, add, tanh and relu backward", arguments: RowKernelTests.lengths + [1000, 1025])
    func rows(_ count: Int) {
        func check<S: BinaryFloatingPoint>(_: S.Type, _ rows: (Kernels) -> RowTable<S>) where S.RawSignificand: FixedWidthInteger {
            let a: [S] = values(count, seed: 1), b: [S] = values(count, seed: 2)
            let h = (values(count, seed: 3) as [S]).map { $0 / 4 }
            for scale in [1.0, 1e30, 0x1p-60] {
                expectSame("sum of squares of \(count) at \(scale)") { [rows($0).sumSquares(a, count, scale)] }
            }
            expectSame("largest magnitude of \(count)") { [rows($0).maxMagnitude(a, count)] }
            expectSame("add \(count)") { kernels in
                var sum = [S](repeating: 0, count: count)
                let largest = rows(kernels).add(&sum, a, b, count)
                return sum.map { Double($0) } + [largest]
            }
            expectSame("tanh and relu backward of \(count)") { kernels in
                var tanhDz = [S](repeating: 0, count: count), reluDz = tanhDz
                rows(kernels).tanhBackward(&tanhDz, a, h, count)
                rows(kernels).reluBackward(&reluDz, a, h, count)
                return tanhDz + reluDz
            }
        }
        check(Float.self) { RowTable(vanish_float_kernels_for(isa($0))!.pointee) }
        check(Double.self) { RowTable(vanish_double_kernels_for(isa($0))!.pointee) }
    }

    @Test("gate kernels: LSTM and GRU forward and backward", arguments: GateKernelTests.lengths + [128, 1000])
    func gates(_ h: Int) {
        func check<S: BinaryFloatingPoint>(_: S.Type, _ gates: (Kernels) -> GateTable<S>) where S.RawSignificand: FixedWidthInteger {
            let z: [S] = values(4 * h, seed: 4), before: [S] = values(h, seed: 5), dm: [S] = values(h, seed: 6)
            let dcNext: [S] = values(h, seed: 7), products: [S] = values(3 * h, seed: 8), bias: [S] = values(h, seed: 9)
            expectSame("LSTM of \(h)") { kernels in
                let table = gates(kernels)
                var activations = z.map { $0 * 4 }, cell = [S](repeating: 0, count: h), output = cell
                table.lstmForward(&activations, before, &cell, &output, h)
                var dc = [S](repeating: 0, count: h), carried = dcNext, dz = [S](repeating: 0, count: 4 * h)
                table.lstmBackward(activations, before, cell, dm, &dc, &carried, &dz, h)
                return activations + cell + output + dc + carried + dz
            }
            for withBias in [false, true] {
                expectSame("GRU of \(h), bias \(withBias)") { kernels in
                    let table = gates(kernels)
                    var activations = z.map { $0 * 4 }, state = [S](repeating: 0, count: h)
                    withBias ? table.gruForward(&activations, products, bias, before, &state, h)
                             : table.gruForward(&activations, products, nil, before, &state, h)
                    var dhNext = [S](repeating: 0, count: h), dz = [S](repeating: 0, count: 4 * h)
                    table.gruBackward(activations, before, dm, &dhNext, &dz, h)
                    return activations + state + dhNext + dz
                }
            }
        }
        check(Float.self) { GateTable(vanish_float_kernels_for(isa($0))!.pointee) }
        check(Double.self) { GateTable(vanish_double_kernels_for(isa($0))!.pointee) }
    }

    private func isa(_ kernels: Kernels) -> vanish_instruction_set {
        guard case .only(let isa) = kernels else { fatalError("an instruction set") }
        return isa
    }
}
