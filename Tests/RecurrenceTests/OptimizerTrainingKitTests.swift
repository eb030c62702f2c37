import Recurrence
import TestSupport
import Testing

@Suite("Training kit: optimizers")
struct OptimizerTrainingKitTests {
    static let p0: [Double] = [1, -2, 0.3]
    static let g1: [Double] = [0.5, 1, -0.02]
    static let g2: [Double] = [-1, 0.25, 0.7]

    /// Two steps of an optimizer from p0 with gradients g1 then g2.
    func twoSteps<O: Optimizer>(_ optimizer: inout O) -> (first: [Double], second: [Double]) {
        var p = Self.p0.map { O.Scalar($0) }
        optimizer.step(&p, Self.g1.map { O.Scalar($0) })
        let first = p.map { Double($0) }
        optimizer.step(&p, Self.g2.map { O.Scalar($0) })
        return (first, p.map { Double($0) })
    }

    func expectClose(_ actual: [Double], _ expected: [Double], _ tolerance: Double, _ what: String,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        let difference = TrainingKit.maxDifference(actual, expected)
        #expect(difference < tolerance, "\(what): \(actual) vs \(expected)", sourceLocation: sourceLocation)
    }

    @Test("SGD with momentum: b = μb + g, p −= lr·b (PyTorch's first step b = g)")
    func sgdByHand() throws {
        func check<S: RNNScalar>(_: S.Type, _ tolerance: Double) throws {
            let (lr, mu) = (0.1, 0.9)
            var optimizer = try SGD<S>(count: 3, learningRate: lr, momentum: mu)
            let (first, second) = twoSteps(&optimizer)
            let b1 = Self.g1
            let p1 = zip(Self.p0, b1).map { $0 - lr * $1 }
            let b2 = zip(b1, Self.g2).map { mu * $0 + $1 }
            let p2 = zip(p1, b2).map { $0 - lr * $1 }
            expectClose(first, p1, tolerance, "step 1")
            expectClose(second, p2, tolerance, "step 2")
            // By hand for the first element: 1 − 0.05 = 0.95; then 0.95 − 0.1·(0.45 − 1) = 1.005.
            expectClose([first[0], second[0]], [0.95, 1.005], tolerance, "element 0")
            var plain = try SGD<S>(count: 3, learningRate: lr)
            expectClose(twoSteps(&plain).second, zip(p1, Self.g2).map { $0 - lr * $1 }, tolerance, "no momentum")
        }
        try check(Float.self, 1e-6)
        try check(Double.self, 1e-15)
    }

    @Test("Adam: m, v with bias corrections 1 − βᵗ, p −= lr/(1−β1ᵗ) · m/(√v/√(1−β2ᵗ) + ε)")
    func adamByHand() throws {
        func check<S: RNNScalar>(_: S.Type, _ tolerance: Double) throws {
            let (lr, b1, b2, eps) = (0.01, 0.9, 0.999, 1e-8)
            var optimizer = try Adam<S>(count: 3, learningRate: lr)
            let (first, second) = twoSteps(&optimizer)
            var p = Self.p0, m = [0.0, 0, 0], v = [0.0, 0, 0]
            var expected: [[Double]] = []
            for (t, g) in [(1.0, Self.g1), (2.0, Self.g2)] {
                for i in 0..<3 {
                    m[i] = b1 * m[i] + (1 - b1) * g[i]
                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                    let stepSize = lr / (1 - Double.pow(b1, t))
                    p[i] -= stepSize * m[i] / (v[i].squareRoot() / (1 - Double.pow(b2, t)).squareRoot() + eps)
                }
                expected.append(p)
            }
            expectClose(first, expected[0], tolerance, "step 1")
            expectClose(second, expected[1], tolerance, "step 2")
            // The first step is lr·sign(g) (m̂ = g, v̂ = g²) up to ε.
            expectClose(first, zip(Self.p0, Self.g1).map { $0 - lr * ($1 > 0 ? 1 : -1) }, 1e-6, "step 1 is lr·sign(g)")
            #expect(optimizer.steps == 2)
        }
        try check(Float.self, 1e-6)
        try check(Double.self, 1e-15)
    }

    @Test("RMSProp: v = αv + (1−α)g², p −= lr·g/(√v + ε)")
    func rmsPropByHand() throws {
        func check<S: RNNScalar>(_: S.Type, _ tolerance: Double) throws {
            let (lr, alpha, eps) = (0.01, 0.99, 1e-8)
            var optimizer = try RMSProp<S>(count: 3)
            let (first, second) = twoSteps(&optimizer)
            var p = Self.p0, v = [0.0, 0, 0]
            var expected: [[Double]] = []
            for g in [Self.g1, Self.g2] {
                for i in 0..<3 {
                    v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i]
                    p[i] -= lr * g[i] / (v[i].squareRoot() + eps)
                }
                expected.append(p)
            }
            expectClose(first, expected[0], tolerance, "step 1")
            expectClose(second, expected[1], tolerance, "step 2")
            // The first step is lr·g/(0.1·|g|) = 0.1·sign(g).
            expectClose(first, zip(Self.p0, Self.g1).map { $0 - 0.1 * ($1 > 0 ? 1 : -1) }, 1e-6, "step 1 is 0.1·sign(g)")
        }
        try check(Float.self, 1e-6)
        try check(Double.self, 1e-15)
    }

    /// ½‖A p − b‖² with A = I + 0.3·G/√n (well conditioned) and b = A p*, from p = 0.
    func minimize<O: Optimizer>(_ optimizer: inout O, steps: Int) -> (distance: Double, start: Double) {
        let n = optimizer.count
        var generator = SeededGenerator(seed: 41)
        var a = TrainingKit.normals(n * n, &generator).map { 0.3 * $0 / Double(n).squareRoot() }
        for i in 0..<n { a[i * n + i] += 1 }
        let solution = TrainingKit.normals(n, &generator)
        let b = TrainingKit.matmul(a, solution, rows: n, inner: n, columns: 1)
        let aT = TrainingKit.transpose(a, rows: n, columns: n)
        var p = [O.Scalar](repeating: 0, count: n)
        for _ in 0..<steps {
            let residual = zip(TrainingKit.matmul(a, p.map { Double($0) }, rows: n, inner: n, columns: 1), b).map(-)
            let gradient = TrainingKit.matmul(aT, residual, rows: n, inner: n, columns: 1)
            optimizer.step(&p, gradient.map { O.Scalar($0) })
        }
        let distance = zip(p, solution).map { (Double($0) - $1) * (Double($0) - $1) }.reduce(0, +).squareRoot()
        return (distance, solution.map { $0 * $0 }.reduce(0, +).squareRoot())
    }

    @Test("each optimizer minimizes a quadratic to near its solution, in Float and Double")
    func quadratic() throws {
        func check<S: RNNScalar>(_: S.Type) throws {
            var sgd = try SGD<S>(count: 8, learningRate: 0.1)
            var momentum = try SGD<S>(count: 8, learningRate: 0.05, momentum: 0.9)
            var adam = try Adam<S>(count: 8, learningRate: 0.05)
            var rmsProp = try RMSProp<S>(count: 8, learningRate: 0.01)
            let results = [
                ("SGD", minimize(&sgd, steps: 300)), ("SGD momentum", minimize(&momentum, steps: 300)),
                ("Adam", minimize(&adam, steps: 500)), ("RMSProp", minimize(&rmsProp, steps: 500)),
            ]
            for (name, result) in results {
                #expect(result.distance < 2e-3 * result.start, "\(name) (\(S.self)): ‖p − p*‖ = \(result.distance), ‖p*‖ = \(result.start)")
            }
        }
        try check(Float.self)
        try check(Double.self)
    }

    @Test("hyperparameters are checked as PyTorch checks them")
    func errors() throws {
        #expect(throws: RNNError.self) { try SGD<Float>(count: 3, learningRate: -0.1) }
        #expect(throws: RNNError.self) { try SGD<Float>(count: 3, learningRate: 0.1, momentum: -1) }
        #expect(throws: RNNError.self) { try SGD<Float>(count: -1, learningRate: 0.1) }
        #expect(throws: RNNError.self) { try Adam<Float>(count: 3, beta1: 1) }
        #expect(throws: RNNError.self) { try Adam<Float>(count: 3, beta2: -0.1) }
        #expect(throws: RNNError.self) { try Adam<Float>(count: 3, learningRate: .nan) }
        #expect(throws: RNNError.self) { try RMSProp<Float>(count: 3, epsilon: -1) }
        #expect(throws: RNNError.self) { try RMSProp<Float>(count: 3, alpha: -0.5) }
    }

    @Test("the learning rate can change between steps; any Optimizer works as an existential")
    func schedule() throws {
        var optimizer: any Optimizer<Double> = try SGD<Double>(count: 1, learningRate: 1)
        var p: [Double] = [0]
        optimizer.step(&p, [1])
        optimizer.learningRate = 0.5
        optimizer.step(&p, [1])
        #expect(p == [-1.5])
    }
}
