// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "vanish",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vanish", targets: ["vanish"]),
        .library(name: "Recurrence", targets: ["Recurrence"]),
        .library(name: "TensorIO", targets: ["TensorIO"]),
        .library(name: "Theory", targets: ["Theory"]),
        .library(name: "Sweeps", targets: ["Sweeps"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "Plot", targets: ["Plot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]
        ),
        // libpng (`libpng-dev`) behind setjmp: its errors come back as codes, never as a
        // longjmp through Swift frames. png.h is found in /usr/include.
        .target(
            name: "CPNG",
            path: "Sources/CPNG",
            linkerSettings: [.linkedLibrary("png16")]
        ),
        .target(name: "AtomicIO"),
        // Our own single-threaded GEMM, tanh and backward row loops (AVX-512 / AVX2 /
        // baseline, chosen at run time). No unsafe flags, so that other packages can depend
        // on this one: `make test` optimizes C in its debug build from the command line.
        .target(name: "CKernels"),
        // The engine: layers, BPTT, probes, init, losses, optimizers. No files, no plots.
        .target(
            name: "Recurrence",
            dependencies: [
                "CKernels",
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        // The parsing of untrusted files (.npy, .safetensors, torch.save checkpoints) and the
        // bridge from their arrays to the engine's tensors.
        .target(
            name: "TensorIO",
            dependencies: [
                "AtomicIO",
                "Recurrence",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // Pure functions of the theory: mean field, Lyapunov exponents, decay fits.
        .target(
            name: "Theory",
            dependencies: [
                "Recurrence",
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        // The renderer: knows nothing of RNNs.
        .target(
            name: "Plot",
            dependencies: ["AtomicIO", "CCairo", "CPNG"]
        ),
        // Config schema, tasks, trainer, run store, shards, Slurm. Never draws.
        .target(
            name: "Sweeps",
            dependencies: [
                "AtomicIO",
                "Recurrence",
                "TensorIO",
                "Theory",
                .product(name: "Yams", package: "Yams"),
                .product(name: "RealModule", package: "swift-numerics"),
            ],
            plugins: ["SourceRevisionPlugin"]
        ),
        // Writes BuildRevision.swift (git commit, dirty or not) into Sweeps at every build.
        .plugin(name: "SourceRevisionPlugin", capability: .buildTool()),
        // Figure recipes, the reproduction suite, analyze's outputs: the one module that
        // imports both Plot and Sweeps.
        .target(
            name: "Reports",
            dependencies: [
                "AtomicIO",
                "Plot",
                "Recurrence",
                "Sweeps",
                "TensorIO",
                "Theory",
                .product(name: "Yams", package: "Yams"),
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        .executableTarget(
            name: "vanish",
            dependencies: [
                "Recurrence",
                "Reports",
                "Sweeps",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "vanish-bench",
            dependencies: ["Plot", "Recurrence", "CKernels", "COpenBLAS"],
            path: "bench/VanishBench"
        ),
        .target(
            name: "TestSupport",
            dependencies: ["Recurrence", "TensorIO", "AtomicIO", "CPNG"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "AtomicIOTests",
            dependencies: ["AtomicIO", "TestSupport"]
        ),
        .testTarget(
            name: "TensorIOTests",
            dependencies: ["TensorIO", "AtomicIO", "Recurrence", "TestSupport"]
        ),
        .testTarget(
            name: "RecurrenceTests",
            dependencies: ["Recurrence", "TensorIO", "TestSupport", "COpenBLAS"]
        ),
        .testTarget(
            name: "TheoryTests",
            dependencies: [
                "Theory", "Recurrence", "TensorIO", "TestSupport",
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        .testTarget(
            name: "PlotTests",
            dependencies: ["Plot", "TestSupport"]
        ),
        .testTarget(
            name: "SweepsTests",
            dependencies: [
                "Sweeps", "Recurrence", "TensorIO", "Theory", "AtomicIO", "TestSupport",
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "Sweeps", "Plot", "Recurrence", "TensorIO", "Theory", "AtomicIO", "TestSupport"]
        ),
        .testTarget(
            name: "KernelTests",
            dependencies: ["CKernels", "COpenBLAS"]
        ),
        .testTarget(
            name: "VanishTests",
            dependencies: ["vanish", "Plot", "Recurrence", "TensorIO", "TestSupport"]
        ),
    ]
)
