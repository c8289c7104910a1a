// swift-tools-version:6.0
import PackageDescription

// chatbench ships with no third-party packages: everything comes from the toolchain.
let package = Package(
    name: "chatbench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "chatbench", targets: ["chatbench"]),
        .library(name: "ChatBench", targets: ["ChatBench"]),
    ],
    dependencies: [],
    targets: [
        // <sys/epoll.h> and <sys/eventfd.h> are not exported by the Glibc module.
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        .target(name: "ChatBench", dependencies: ["CEpoll"]),
        // argv -> Configuration, help texts, exit codes: kept out of the core library so the
        // library never parses a flag, and kept out of the executable so it can be tested.
        .target(name: "ChatBenchCLI", dependencies: ["ChatBench"]),
        .executableTarget(name: "chatbench", dependencies: ["ChatBenchCLI"]),
        // Golden/ holds expected report files, read by path (re-recorded with CHATBENCH_RECORD_GOLDEN=1).
        .testTarget(name: "ChatBenchTests", dependencies: ["ChatBench", "ChatBenchCLI"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
