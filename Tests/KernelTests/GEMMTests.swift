import CKernels
import Testing

/// Sizes around the tile and block edges (AVX-512 float tiles are 8×32, double 8×16; blocks of
/// k are 256 deep, of m 256 rows, of n 1024 float or 512 double columns). With transA, m ≥ 64
/// and n ≥ 128, the unpacked path packs A too: (70, 130, 300) and (260, 129, 20).
private let shapes: [(m: Int, n: Int, k: Int)] = [
    (1, 1, 1), (7, 33, 100), (33, 7, 1), (100, 100, 33), (9, 65, 257),
    (300, 47, 20), (3, 1100, 300), (17, 31, 600), (64, 64, 64), (70, 130, 300), (260, 129, 20),
]

private let transposes: [(a: Bool, b: Bool)] = [(false, false), (false, true), (true, false), (true, true)]

/// OpenBLAS's result for one problem, and how far from it a correct result may be.
private struct Expected<S: KernelScalar> {
    let problem: GEMMProblem<S>
    let reference: [S]
    let tolerance: [S]

    init(_ problem: GEMMProblem<S>) {
        self.problem = problem
        reference = problem.elements(of: problem.reference())
        tolerance = problem.elements(of: problem.tolerance())
    }

    /// Checks a result C (with its padding), reporting the first element out of tolerance
    /// and any padding written.
    func check(_ ours: [S], _ kernels: Kernels, packed: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        let p = problem
        let label = "\(S.self) \(kernels)\(packed ? " packed" : "") transA \(p.transA) transB \(p.transB) m \(p.m) n \(p.n) k \(p.k) alpha \(p.alpha) beta \(p.beta)"
        let result = p.elements(of: ours)
        let mismatch = result.indices.first { i in !((result[i] - reference[i]).magnitude <= tolerance[i]) }
        if let i = mismatch {
            let message = "\(label): C[\(i / p.n)][\(i % p.n)] = \(result[i]), OpenBLAS \(reference[i]), tolerance \(tolerance[i])"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
        let padding = (0..<p.m).filter { row in
            let tail = row * p.ldc + p.n ..< (row + 1) * p.ldc
            return !ours[tail].elementsEqual(p.c[tail]) { $0 == $1 || ($0.isNaN && $1.isNaN) }
        }
        #expect(padding.isEmpty, "\(label): padding past column n written in rows \(padding)",
                sourceLocation: sourceLocation)
    }

    /// Checks the unpacked and packed products of every instruction set.
    func checkAll(sourceLocation: SourceLocation = #_sourceLocation) {
        for kernels in Kernels.instructionSets {
            check(problem.product(kernels), kernels, packed: false, sourceLocation: sourceLocation)
            check(problem.packedProduct(kernels), kernels, packed: true, sourceLocation: sourceLocation)
        }
    }
}

@Suite("GEMM against OpenBLAS")
struct GEMMTests {
    @Test("every transpose pair and odd size, padded rows, alpha and beta not 0 or 1")
    func matchesBLAS() {
        func check<S: KernelScalar>(_: S.Type) {
            for shape in shapes {
                for transpose in transposes {
                    let problem = GEMMProblem<S>(transA: transpose.a, transB: transpose.b, m: shape.m,
                                                 n: shape.n, k: shape.k, alpha: 1.5, beta: -0.75)
                    Expected(problem).checkAll()
                }
            }
        }
        check(Float.self)
        check(Double.self)
    }

    @Test("alpha and beta of 1, −1 and 0.5: the shortcuts for 1 give the same sums")
    func unitScalars() {
        func check<S: KernelScalar>(_: S.Type) {
            for (alpha, beta) in [(S(1), S(1)), (1, 0.5), (-1, 1), (0.5, -1)] {
                for transpose in transposes {
                    let problem = GEMMProblem<S>(transA: transpose.a, transB: transpose.b, m: 37, n: 70,
                                                 k: 290, alpha: alpha, beta: beta, seed: 2)
                    Expected(problem).checkAll()
                }
            }
        }
        check(Float.self)
        check(Double.self)
    }

    @Test("beta = 0: C is not read, so NaN in C does not reach the result")
    func betaZeroIgnoresC() {
        func check<S: KernelScalar>(_: S.Type) {
            for shape in shapes {
                for transpose in transposes {
                    var problem = GEMMProblem<S>(transA: transpose.a, transB: transpose.b, m: shape.m,
                                                 n: shape.n, k: shape.k, alpha: 0.75, beta: 0, seed: 3)
                    problem.c = problem.c.map { _ in .nan }
                    Expected(problem).checkAll()
                }
            }
        }
        check(Float.self)
        check(Double.self)
    }

    @Test("packed and unpacked products are identical, bit for bit")
    func packedIsIdentical() {
        func check<S: KernelScalar>(_: S.Type) {
            for shape in shapes + [(m: 32, n: 128, k: 128), (m: 16, n: 1024, k: 520)] {
                for transpose in transposes {
                    let problem = GEMMProblem<S>(transA: transpose.a, transB: transpose.b, m: shape.m,
                                                 n: shape.n, k: shape.k, alpha: 1.25, beta: 0.5, seed: 4)
                    for kernels in Kernels.instructionSets {
                        #expect(problem.packedProduct(kernels) == problem.product(kernels),
                                "\(S.self) \(kernels) \(shape) transA \(transpose.a) transB \(transpose.b)")
                    }
                }
            }
        }
        check(Float.self)
        check(Double.self)
    }

    @Test("a bias row added in the product: the same bits as the product (beta = 0) and then the row, on every path")
    func biasRowIsAddedAfterwards() {
        func check<S: KernelScalar>(_: S.Type) {
            for shape in shapes + [(m: 40, n: 512, k: 32), (m: 9, n: 70, k: 520), (m: 5, n: 3, k: 0)] {
                for transpose in transposes {
                    let problem = GEMMProblem<S>(transA: transpose.a, transB: transpose.b, m: shape.m, n: shape.n,
                                                 k: shape.k, alpha: 1, beta: 0, seed: 9)
                    // −0 first: with k = 0 the product is +0, and 0 + (−0) is +0.
                    let bias = [-0.0] + (1..<max(shape.n, 1)).map { S($0 % 7) * S(0.37) - 1 }
                    for kernels in Kernels.all {
                        var expected = problem.product(kernels)
                        for i in 0..<shape.m {
                            for j in 0..<shape.n { expected[i * problem.ldc + j] += bias[j] }
                        }
                        let biased = problem.biasedProduct(kernels, bias: bias)
                        let identical = zip(biased, expected).allSatisfy { $0 == $1 && $0.sign == $1.sign }
                        #expect(identical,
                                "\(S.self) \(kernels) \(shape) transA \(transpose.a) transB \(transpose.b)")
                    }
                }
            }
        }
        check(Float.self)
        check(Double.self)
    }

    @Test("the public functions are the kernels of the instruction set in use (VANISH_KERNELS or the widest)")
    func dispatchesToPathInUse() {
        let widest = Kernels.only(vanish_instruction_set_in_use())
        func check<S: KernelScalar>(_: S.Type) {
            for transpose in transposes {
                let problem = GEMMProblem<S>(transA: transpose.a, transB: transpose.b, m: 37, n: 70, k: 290,
                                             alpha: 1.25, beta: 0.5, seed: 6)
                #expect(problem.product() == problem.product(widest))
                #expect(problem.packedProduct() == problem.packedProduct(widest))
                #expect(S.packedCount(.dispatched, k: 290, n: 70) == S.packedCount(widest, k: 290, n: 70))
            }
        }
        check(Float.self)
        check(Double.self)
    }

    @Test("k = 0: C = beta·C, and zeros for beta = 0 even over NaN")
    func emptyK() {
        func check<S: KernelScalar>(_: S.Type) {
            for kernels in Kernels.all {
                for transpose in transposes {
                    var problem = GEMMProblem<S>(transA: transpose.a, transB: transpose.b, m: 5, n: 9, k: 0,
                                                 alpha: 1, beta: -2)
                    let scaled = problem.c.enumerated().map { i, value in i % problem.ldc < 9 ? -2 * value : value }
                    #expect(problem.product(kernels) == scaled)
                    #expect(problem.packedProduct(kernels) == scaled)
                    problem = GEMMProblem<S>(transA: transpose.a, transB: transpose.b, m: 5, n: 9, k: 0,
                                             alpha: 1, beta: 0)
                    problem.c = problem.c.map { _ in .nan }
                    for result in [problem.product(kernels), problem.packedProduct(kernels)] {
                        #expect(problem.elements(of: result).allSatisfy { $0 == 0 })
                    }
                }
            }
        }
        check(Float.self)
        check(Double.self)
    }

    @Test("alpha = 0: A and B are not read; C = beta·C")
    func zeroAlpha() {
        func check<S: KernelScalar>(_: S.Type) {
            var problem = GEMMProblem<S>(transA: false, transB: true, m: 10, n: 40, k: 20, alpha: 0, beta: 0.5)
            problem.a = problem.a.map { _ in .nan }
            problem.b = problem.b.map { _ in .infinity }
            let halved = problem.elements(of: problem.c).map { $0 * 0.5 }
            for kernels in Kernels.all {
                #expect(problem.elements(of: problem.product(kernels)) == halved)
                #expect(problem.elements(of: problem.packedProduct(kernels)) == halved)
            }
        }
        check(Float.self)
        check(Double.self)
    }

    @Test("m = 0 or n = 0: C is left alone")
    func emptyMOrN() {
        func check<S: KernelScalar>(_: S.Type) {
            for kernels in Kernels.all {
                for (m, n) in [(0, 5), (5, 0), (0, 0)] {
                    for transpose in transposes {
                        let problem = GEMMProblem<S>(transA: transpose.a, transB: transpose.b, m: m, n: n, k: 4,
                                                     alpha: 1, beta: 0)
                        #expect(problem.product(kernels) == problem.c)
                        #expect(problem.packedProduct(kernels) == problem.c)
                    }
                }
            }
        }
        check(Float.self)
        check(Double.self)
    }
}
