// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "vanish",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vanish", targets: ["vanish"]),
        .library(name: "Recurrence", targets: ["Recurrence"]),
        .library(name: "Experiments", targets: ["Experiments"]),
        .library(name: "Plot", targets: ["Plot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
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
        .target(
            name: "Recurrence",
            dependencies: [
                "AtomicIO",
                "CKernels",
                "COpenBLAS",
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        .target(
            name: "Plot",
            dependencies: ["AtomicIO", "CCairo", "CPNG"]
        ),
        .target(
            name: "Experiments",
            dependencies: [
                "Plot",
                "Recurrence",
                .product(name: "Yams", package: "Yams"),
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        .executableTarget(
            name: "vanish",
            dependencies: [
                "Experiments",
                "Recurrence",
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
            dependencies: ["Recurrence", "CPNG"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "RecurrenceTests",
            dependencies: ["Recurrence", "TestSupport"]
        ),
        .testTarget(
            name: "PlotTests",
            dependencies: ["Plot", "TestSupport"]
        ),
        .testTarget(
            name: "ExperimentsTests",
            dependencies: ["Experiments", "Recurrence", "TestSupport"]
        ),
        .testTarget(
            name: "KernelTests",
            dependencies: ["CKernels", "COpenBLAS"]
        ),
        .testTarget(
            name: "VanishTests",
            dependencies: ["vanish", "Recurrence", "TestSupport"]
        ),
    ]
)
