// Standalone figures for slides: every figure a lesson registered, in all the formats it wrote,
// copied to Output/figures/<lesson>/. A file whose bytes are unchanged is not rewritten, so slide
// decks that watch the folder only see real changes.
import Foundation
import Notebook
import Render

/// Publishes a lesson's figures under `Output/figures/<lesson>/`.
public enum FigurePublisher {
    /// A figure file and whether this call wrote it.
    public struct Published: Equatable, Sendable {
        public var url: URL
        public var written: Bool
    }

    /// Copies each figure of `transcript` (its file and its pdf/png/svg siblings) from the output
    /// root into `Output/figures/<lesson>/`, atomically. Missing source files are skipped (the
    /// transcript already lists them as problems).
    /// - Throws: `WeaveError` when a figure cannot be read, `RenderError` when it cannot be written.
    public static func publish(_ transcript: Transcript, outputRoot: URL) throws -> [Published] {
        let folder = outputRoot.appendingPathComponent("figures/\(transcript.lesson)", isDirectory: true)
        var out: [Published] = []
        let fm = FileManager.default
        var seen: Set<String> = []
        for case let .figure(f) in transcript.outputs.map(\.content) {
            for path in [f.path] + f.alternates where seen.insert(path).inserted {
                let source = outputRoot.appendingPathComponent(path)
                guard fm.fileExists(atPath: source.path) else { continue }
                let target = folder.appendingPathComponent(source.lastPathComponent)
                let data: Data
                do { data = try Data(contentsOf: source) } catch {
                    throw WeaveError(path: source.path, reason: "cannot read the figure: \(error.localizedDescription)")
                }
                if let old = try? Data(contentsOf: target), old == data {
                    out.append(Published(url: target, written: false))
                    continue
                }
                try Render.AtomicFile.write(data, to: target)
                out.append(Published(url: target, written: true))
            }
        }
        return out
    }
}

/// A file the weaver could not read or write, named with the reason.
public struct WeaveError: Error, CustomStringConvertible, Equatable, Sendable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
    public var description: String { "weave: \(path): \(reason)" }
}
