// swift-tools-version: 6.0
// The course kit: a CNN engine written from scratch, the networks of the lecture, a Cairo/Pango
// renderer, a literate-lesson runtime and a grader, in one package. docs/ARCHITECTURE.md maps it.
import PackageDescription

// Hot loops are compiled for the CPU the kit runs on (vfmadd instead of scalar fmaf calls); the kit
// is built where it runs, so a binary tied to its CPU is fine.
// (-Ounchecked was rejected: it drops the preconditions that name bad input.)
// -fno-math-errno: on Linux `Float.squareRoot()` goes through a C shim that must set errno for a
// negative input, which keeps every loop with a square root scalar (vsqrtss plus a sqrtf call);
// without errno the same loops become vsqrtps (LRN's x^-0.75, batch norm, optimisers).
let fastMath: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "native", "-Xcc", "-fno-math-errno"]),
]

let package = Package(
    name: "CourseKit",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "course", targets: ["course"]),
        .library(name: "CNN", targets: ["CNN"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // MARK: - Engine
        .target(name: "CNN", dependencies: ["CBLAS"], swiftSettings: fastMath),
        .target(name: "Datasets", dependencies: ["CNN", "CGzip", "CPNG", "CTurboJPEG"], exclude: ["README.md"], swiftSettings: fastMath),
        .target(name: "Checkpoint", dependencies: ["CNN", .product(name: "ZIPFoundation", package: "ZIPFoundation")], exclude: ["README.md"]),
        .target(name: "Training", dependencies: ["CNN", "Datasets", "Checkpoint"], swiftSettings: fastMath),
        .target(name: "Zoo", dependencies: ["CNN"]),
        .target(name: "Analysis", dependencies: ["CNN"]),
        .target(name: "Inference", dependencies: ["CNN", "Datasets", "Checkpoint", "Zoo"], exclude: ["README.md"], swiftSettings: fastMath),
        // What the lessons' experiments share: whole-tensor training runs and their records.
        .target(name: "LessonKit", dependencies: ["CNN", "Datasets", "Training", "Zoo", "Checkpoint"], swiftSettings: fastMath),

        // MARK: - Course machinery
        .target(name: "Render", dependencies: ["CCairoPango"], exclude: ["README.md"]),
        .target(name: "Notebook", exclude: ["README.md"]),
        // Notebook -> Render adapter: weaves a lesson's source and transcript into handouts.
        .target(name: "Weave", dependencies: ["Notebook", "Render"], exclude: ["README.md"]),
        .target(name: "Grader", dependencies: [
            "CNN", "Zoo", "Analysis", "Training", "Render", "LessonKit",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .executableTarget(name: "course", dependencies: [
            "CNN", "Datasets", "Checkpoint", "Training", "Zoo", "Analysis", "Render", "Notebook", "Weave", "Grader", "Inference",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: fastMath),

        // MARK: - Implementation details
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CCairoPango", pkgConfig: "pangocairo", providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]),
        .systemLibrary(name: "CGzip", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .target(name: "_TestSupport", dependencies: ["CNN"], path: "Tests/_TestSupport"),

        // MARK: - Tests
        .testTarget(name: "CNNTests", dependencies: ["CNN", "_TestSupport"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "_TestSupport"], exclude: ["Reference"]),
        .testTarget(name: "CheckpointTests", dependencies: ["Checkpoint", "Zoo", "_TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Zoo", "_TestSupport"]),
        .testTarget(name: "ZooTests", dependencies: ["Zoo", "Analysis", "_TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "Checkpoint", "Zoo", "Datasets", "_TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Zoo", "_TestSupport"]),
        .testTarget(name: "RenderTests", dependencies: ["Render"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook"]),
        .testTarget(name: "GraderTests", dependencies: ["Grader", "_TestSupport"]),
        .testTarget(name: "LessonKitTests", dependencies: ["LessonKit", "CNN", "Zoo", "Training"]),
        // Runs the lesson executables (built by `swift build -c release` first) and weaves their handouts.
        .testTarget(name: "LessonTests", dependencies: ["Notebook", "Render", "Weave"]),
    ]
)

// MARK: - Lessons
// One executable target per folder under Lessons/, named in kebab case (`l01-lrn`).
let lessons: [String] = [
    "L01-LRN", "L02-LeNet-AlexNet", "L03-VGG", "L04-GoogLeNet", "L05-Summary", "L06-Inference",
    "L07-Recipes", "L08-Depth", "L09-Landscapes", "L10-DenseNet-Memory",
]
let lessonDependencies: [Target.Dependency] = [
    "CNN", "Datasets", "Training", "Zoo", "Analysis", "Render", "Notebook", "Weave", "Checkpoint", "Inference", "LessonKit",
]
package.targets.append(contentsOf: lessons.map {
    .executableTarget(name: $0.lowercased(), dependencies: lessonDependencies, path: "Lessons/\($0)", swiftSettings: fastMath)
})
