// swift-tools-version:6.2
import PackageDescription

/// Our own targets build in Swift 6 language mode with every warning an error.
let strict: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// The per-line path (reading, matching, evaluating) runs millions of times a second; run-time
/// exclusivity checks on class properties cost it about a tenth, so release builds of those
/// modules check exclusivity at compile time only. Debug builds and tests keep the checks.
let hotPath: [SwiftSetting] =
    strict + [
        .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
    ]

let package = Package(
    name: "Heartline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "heartline", targets: ["heartline"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        .systemLibrary(
            name: "CVectorscan",
            pkgConfig: "libhs",
            providers: [.apt(["libvectorscan-dev"])]
        ),
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        // glibc's <malloc.h>: part of libc, so nothing to link or install.
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "HeartlineRegex",
            dependencies: ["CPCRE2", "CVectorscan"],
            swiftSettings: hotPath
        ),
        .target(
            name: "HeartlineCore",
            dependencies: ["HeartlineRegex", .product(name: "Yams", package: "Yams")],
            swiftSettings: hotPath
        ),
        .target(
            name: "HeartlineInput",
            dependencies: ["HeartlineCore", "HeartlineRegex", "CZlib"],
            swiftSettings: hotPath
        ),
        .target(
            name: "HeartlineReplay",
            dependencies: ["HeartlineCore", "HeartlineRegex", "HeartlineInput", .product(name: "Yams", package: "Yams")],
            swiftSettings: hotPath
        ),
        .target(
            name: "HeartlineSources",
            dependencies: ["HeartlineCore", "HeartlineInput"],
            swiftSettings: hotPath
        ),
        .target(
            name: "HeartlineSystemd",
            dependencies: ["HeartlineCore", "HeartlineInput", "CSystemd"],
            swiftSettings: hotPath
        ),
        .target(
            name: "HeartlineState",
            dependencies: ["HeartlineCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .target(
            name: "HeartlineSinks",
            dependencies: [
                "HeartlineCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "HeartlineDaemon",
            dependencies: [
                "HeartlineCore", "HeartlineRegex", "HeartlineInput", "HeartlineSources", "HeartlineSystemd",
                "HeartlineState", "HeartlineSinks",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
            ],
            // LiveEvaluation takes every live line and journal entry.
            swiftSettings: hotPath
        ),
        .target(
            name: "HeartlineHTTP",
            dependencies: [
                "HeartlineDaemon", "HeartlineCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "heartline",
            dependencies: [
                "CMalloc", "HeartlineReplay", "HeartlineCore", "HeartlineInput", "HeartlineDaemon", "HeartlineHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "HeartlineRegexTests", dependencies: ["HeartlineRegex"], swiftSettings: strict),
        .testTarget(name: "HeartlineCoreTests", dependencies: ["HeartlineCore"], swiftSettings: strict),
        .testTarget(
            name: "HeartlineInputTests", dependencies: ["HeartlineInput", "HeartlineCore"], exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "HeartlineDaemonTests",
            dependencies: [
                "HeartlineDaemon", "HeartlineSinks", "HeartlineCore", "HeartlineInput", "HeartlineHTTP", "HeartlineState",
                "heartline",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "HeartlineSinksTests", dependencies: ["HeartlineSinks", "HeartlineCore"], swiftSettings: strict
        ),
        .testTarget(
            name: "HeartlineHTTPTests",
            dependencies: [
                "HeartlineHTTP", "HeartlineDaemon", "HeartlineCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "HeartlineStateTests", dependencies: ["HeartlineState"], swiftSettings: strict),
        .testTarget(name: "HeartlineSourcesTests", dependencies: ["HeartlineSources"], swiftSettings: strict),
        .testTarget(
            name: "HeartlineSystemdTests", dependencies: ["HeartlineSystemd", "HeartlineCore", "HeartlineInput"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "HeartlineReplayTests",
            dependencies: ["HeartlineReplay", "HeartlineCore", "HeartlineInput"],
            swiftSettings: strict
        ),
    ]
)
