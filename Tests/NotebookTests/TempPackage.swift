import Foundation
import Notebook

/// A throwaway package on disk: Package.swift, an engine module, one lesson and an Output folder.
/// Each test gets its own, so tests run in parallel without sharing cache entries.
struct TempPackage {
    let root: URL
    static let lessonName = "l99-test"

    var lessonDirectory: URL { root.appendingPathComponent("Lessons/L99-Test") }
    var mainURL: URL { lessonDirectory.appendingPathComponent("main.swift") }
    var engineFile: URL { root.appendingPathComponent("Sources/CNN/Engine.swift") }
    var outputRoot: URL { root.appendingPathComponent("Output") }
    var dataFile: URL { root.appendingPathComponent("data.bin") }

    /// The lesson text every cache test starts from; `train` is the step the tests look up by line.
    static let lesson = """
    //: # 测试课
    //:en # Test lesson
    import Notebook
    let nb = Notebook("l99-test")
    let scale = 2
    let a = try nb.cached("train", 0.1, 3) {
        [1.0, 2.0].map { $0 * Double(scale) }
    }
    let b = try nb.cached("eval", after: []) {
        a.count
    }
    nb.finish()
    """

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("nbtest-\(UUID().uuidString)", isDirectory: true)
        let fm = FileManager.default
        try fm.createDirectory(at: lessonDirectory, withIntermediateDirectories: true)
        try fm.createDirectory(at: engineFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "// swift-tools-version: 6.0\n".write(to: root.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try "public func conv() -> Int { 1 }\n".write(to: engineFile, atomically: true, encoding: .utf8)
        try Data([1, 2, 3]).write(to: dataFile)
        try writeLesson(TempPackage.lesson)
    }

    func writeLesson(_ text: String) throws { try text.write(to: mainURL, atomically: true, encoding: .utf8) }
    func lessonText() throws -> String { try String(contentsOf: mainURL, encoding: .utf8) }

    /// The 1-based line of the first line containing `needle` in the current lesson text.
    func line(of needle: String) throws -> Int {
        let lines = try lessonText().split(separator: "\n", omittingEmptySubsequences: false)
        guard let i = lines.firstIndex(where: { $0.contains(needle) }) else { throw NotebookError.badSource(file: "main.swift", line: 0, reason: "no \(needle)") }
        return i + 1
    }

    func notebook(_ options: RunOptions = RunOptions()) throws -> Notebook {
        var options = options
        options.outputDirectory = outputRoot
        options.packageRoot = root
        options.echo = false
        return try Notebook(TempPackage.lessonName, options: options, lessonDirectory: lessonDirectory,
                            engineSources: ["Sources/CNN"])
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// Runs the `train` step of the test lesson as the lesson would: the call site is the lesson's
/// `nb.cached("train"` line, the parameters are passed in. Returns the cache use and whether it computed.
func runTrain(_ pkg: TempPackage, _ nb: Notebook, learningRate: Double = 0.1, epochs: Int = 3,
              reads: [URL] = []) throws -> (use: CacheUse, computed: Bool) {
    var computed = false
    _ = try nb.cached("train", learningRate, epochs, reads: reads, fileID: "l99_test/main.swift",
                      line: try pkg.line(of: "nb.cached(\"train\"")) { () -> [Double] in
        computed = true
        return [1, 2]
    }
    // Finishing writes the manifest, so the next run can tell a stale step from a new one.
    return (nb.finish().cache.last!, computed)
}
