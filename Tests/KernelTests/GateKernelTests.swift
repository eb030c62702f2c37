import CKernels
import Testing

/// The fused LSTM and GRU row steps (gates_template.h) of every instruction set against the
/// cells' formulas written out in Swift with that set's own tanh: they must agree bit for bit,
/// which is what keeps the engine's gated results independent of the fusion. Row lengths
/// around every vector width exercise the padded last vector.
@Suite("gate kernels")
struct GateKernelTests {
    static let lengths = [1, 3, 8, 15, 16, 17, 33, 64, 100]

    private func values(_ count: Int, seed: UInt64, scale: Float = 3) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in Float.random(in: -scale...scale, using: &generator) }
    }

    /// The instruction sets' float tables, with a Swift tanh and σ = 0.5·tanh(0.5·x) + 0.5 on
    /// each one's own tanh kernel.
    private static var tables: [(name: String, table: vanish_float_kernels)] {
        Kernels.instructionSets.map { kernels in
            guard case .only(let isa) = kernels else { fatalError("an instruction set") }
            return ("\(kernels)", vanish_float_kernels_for(isa)!.pointee)
        }
    }

    private func tanh(_ x: [Float], _ table: vanish_float_kernels) -> [Float] {
        var y = x
        y.withUnsafeMutableBufferPointer { table.tanh($0.baseAddress!, $0.count) }
        return y
    }

    private func sigmoid(_ x: [Float], _ table: vanish_float_kernels) -> [Float] {
        tanh(x.map { $0 * 0.5 }, table).map { 0.5 * $0 + 0.5 }
    }

    /// [value(0), …, value(h − 1)]: the formulas one unit at a time, typed for the compiler.
    private func units(_ h: Int, _ value: (Int) -> Float) -> [Float] { (0..<h).map(value) }

    @Test("LSTM forward and backward", arguments: lengths)
    func lstm(_ h: Int) {
        let z = values(4 * h, seed: UInt64(h)), before = values(h, seed: 10 + UInt64(h))
        let dm = values(h, seed: 20 + UInt64(h)), dcNextIn = values(h, seed: 30 + UInt64(h))
        for (name, table) in Self.tables {
            let (i, f) = (sigmoid(Array(z[0..<h]), table), sigmoid(Array(z[h..<2 * h]), table))
            let (g, o) = (tanh(Array(z[2 * h..<3 * h]), table), sigmoid(Array(z[3 * h..<4 * h]), table))
            let cell = units(h) { j in f[j] * before[j] + i[j] * g[j] }
            let squashed = tanh(cell, table)
            var gates = z, cellOut = [Float](repeating: 0, count: h), output = cellOut
            table.lstm_forward(&gates, before, &cellOut, &output, h)
            #expect(gates == i + f + g + o, "\(name)")
            #expect(cellOut == cell, "\(name)")
            #expect(output == units(h) { j in squashed[j] * o[j] }, "\(name)")

            let total = units(h) { j in dcNextIn[j] + dm[j] * o[j] * (1 - squashed[j] * squashed[j]) }
            var dc = [Float](repeating: 0, count: h), dcNext = dcNextIn, dz = [Float](repeating: 0, count: 4 * h)
            table.lstm_backward(gates, before, cell, dm, &dc, &dcNext, &dz, h)
            #expect(dc == total, "\(name)")
            let dzI = units(h) { j in total[j] * g[j] * i[j] * (1 - i[j]) }
            let dzF = units(h) { j in total[j] * before[j] * f[j] * (1 - f[j]) }
            let dzG = units(h) { j in total[j] * i[j] * (1 - g[j] * g[j]) }
            let dzO = units(h) { j in dm[j] * squashed[j] * o[j] * (1 - o[j]) }
            #expect(dz == dzI + dzF + dzG + dzO, "\(name)")
            #expect(dcNext == units(h) { j in total[j] * f[j] }, "\(name)")
        }
    }

    @Test("GRU forward and backward, with and without b_hn", arguments: lengths)
    func gru(_ h: Int) {
        let p = values(4 * h, seed: 40 + UInt64(h)), products = values(3 * h, seed: 50 + UInt64(h))
        let bias = values(h, seed: 60 + UInt64(h)), before = values(h, seed: 70 + UInt64(h), scale: 1)
        let dh = values(h, seed: 80 + UInt64(h))
        for (name, table) in Self.tables {
            for b in [bias, nil] {
                let r = sigmoid(units(h) { j in p[j] + products[j] }, table)
                let z = sigmoid(units(h) { j in p[h + j] + products[h + j] }, table)
                let hidden = units(h) { j in products[2 * h + j] + (b?[j] ?? 0) }
                let n = tanh(units(h) { j in p[2 * h + j] + r[j] * hidden[j] }, table)
                var gates = p, state = [Float](repeating: 0, count: h)
                if let b {
                    table.gru_forward(&gates, products, b, before, &state, h)
                } else {
                    table.gru_forward(&gates, products, nil, before, &state, h)
                }
                #expect(gates == r + z + n + hidden, "\(name)")
                #expect(state == units(h) { j in (1 - z[j]) * n[j] + z[j] * before[j] }, "\(name)")

                let dn = units(h) { j in dh[j] * (1 - z[j]) * (1 - n[j] * n[j]) }
                var dhNext = [Float](repeating: 0, count: h), dz = [Float](repeating: 0, count: 4 * h)
                table.gru_backward(gates, before, dh, &dhNext, &dz, h)
                let dzR = units(h) { j in dn[j] * hidden[j] * r[j] * (1 - r[j]) }
                let dzZ = units(h) { j in dh[j] * (before[j] - n[j]) * z[j] * (1 - z[j]) }
                let dzN = units(h) { j in dn[j] * r[j] }
                #expect(dz == dzR + dzZ + dzN + dn, "\(name)")
                #expect(dhNext == units(h) { j in dh[j] * z[j] }, "\(name)")
            }
        }
    }
}
