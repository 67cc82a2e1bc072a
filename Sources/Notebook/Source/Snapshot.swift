// Where recorded outputs go, and the `//>` snapshots. The weaver asks `OutputPlacement` which
// outputs belong under which code block; LessonTests compare a run's outputs with the `//>`
// lines in the source (`Snapshot.check`) and `make record` rewrites them (`Snapshot.record`).
import Foundation

/// Recorded outputs assigned to the code blocks of one source file.
public struct OutputPlacement: Equatable, Sendable {
    /// Output indices (into `Transcript.outputs`) per code block index (into `LessonSource.blocks`), in recording order.
    public var byCodeBlock: [Int: [Int]]
    /// Outputs that belong to no code block of this file (recorded in a helper file outside any
    /// cell of this file); the weaver appends them at the end.
    public var unplaced: [Int]

    /// Places each output under the code block containing its call line. An output recorded in
    /// another file goes under the code block of its innermost enclosing cell that was opened in
    /// this file.
    public static func place(_ transcript: Transcript, in source: LessonSource) -> OutputPlacement {
        var byCodeBlock: [Int: [Int]] = [:]
        var unplaced: [Int] = []
        func block(for location: SourceLocation) -> Int? {
            location.fileName == source.fileName ? source.codeBlockIndex(containing: location.line) : nil
        }
        for output in transcript.outputs {
            var target = block(for: output.location)
            if target == nil {
                // Cells containing the output, innermost (latest opened) first.
                let enclosing = transcript.cells.filter { $0.firstOutput <= output.index && output.index < $0.endOutput }
                    .sorted { ($0.firstOutput, -$0.endOutput) > ($1.firstOutput, -$1.endOutput) }
                target = enclosing.lazy.compactMap { block(for: $0.location) }.first
            }
            if let target { byCodeBlock[target, default: []].append(output.index) } else { unplaced.append(output.index) }
        }
        return OutputPlacement(byCodeBlock: byCodeBlock, unplaced: unplaced)
    }
}

/// `//>` recorded outputs as snapshots of a run.
public enum Snapshot {
    /// A code block whose recorded `//>` lines differ from what the run printed.
    public struct Mismatch: Equatable, Sendable, CustomStringConvertible {
        /// Source lines of the code block.
        public var lines: ClosedRange<Int>
        public var recorded: [String]
        public var actual: [String]
        public var description: String {
            "code at lines \(lines.lowerBound)-\(lines.upperBound): recorded\n"
                + recorded.map { "  //> \($0)" }.joined(separator: "\n") + "\nbut the run printed\n"
                + actual.map { "  //> \($0)" }.joined(separator: "\n")
        }
    }

    /// The snapshot lines the run produced for each code block.
    public static func actualLines(_ transcript: Transcript, in source: LessonSource, language: Language = .zh) -> [Int: [String]] {
        let placement = OutputPlacement.place(transcript, in: source)
        return placement.byCodeBlock.mapValues { indices in
            indices.map { transcript.outputs[$0].content }.filter(TranscriptText.isSnapshotted)
                .flatMap { TranscriptText.lines($0, language: language) }
        }.filter { !$0.value.isEmpty }
    }

    /// Compares the `//>` blocks of `source` with the run. A code block without outputs must have
    /// no `//>` lines; one with outputs must have exactly those lines.
    public static func check(_ source: LessonSource, against transcript: Transcript, language: Language = .zh) -> [Mismatch] {
        let actual = actualLines(transcript, in: source, language: language)
        var recorded: [Int: [String]] = [:]
        for case let .output(o) in source.blocks { if let i = o.codeBlockIndex { recorded[i, default: []] += o.text } }
        return source.codeBlocks.compactMap { index, block in
            let r = recorded[index] ?? [], a = actual[index] ?? []
            return r == a ? nil : Mismatch(lines: block.lines, recorded: r, actual: a)
        }
    }

    /// `text` with every `//>` line removed and the run's outputs written as `//>` lines right
    /// after the last line of the code block that produced them. Everything else is kept byte for byte.
    /// - Throws: `NotebookError.badSource` if the text does not split.
    public static func record(_ text: String, fileName: String = "main.swift", transcript: Transcript,
                              language: Language = .zh) throws -> String {
        let source = try LessonSource(text: text, fileName: fileName)
        let actual = actualLines(transcript, in: source, language: language)
        var after: [Int: [String]] = [:]     // source line -> snapshot lines to insert after it
        for (index, lines) in actual {
            if case let .code(block) = source.blocks[index] { after[block.lines.upperBound] = lines }
        }
        var out: [Substring] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("//>") { continue }
            out.append(line)
            if let lines = after[offset + 1] {
                out += lines.map { Substring($0.isEmpty ? "//>" : "//> \($0)") }
            }
        }
        return out.joined(separator: "\n")
    }
}
