// Recording outputs. Every method takes `fileID: String = #fileID, line: Int = #line`, so the
// call site is known without stack walking; the weaver places the output under the code block
// that contains that line.
import Foundation

extension Notebook {
    @discardableResult
    func record(_ content: OutputContent, fileID: String, line: Int) -> RecordedOutput {
        let output = withLock { () -> RecordedOutput in
            let output = RecordedOutput(index: outputs.count, location: SourceLocation(fileID: fileID, line: line),
                                        cell: openCells.last?.name, content: content)
            outputs.append(output)
            return output
        }
        echo(TranscriptText.lines(content, language: options.language))
        return output
    }

    /// Shows a labelled value; `Float`/`Double` (and arrays of them) print at 4 significant digits.
    ///
    /// ```swift
    /// nb.show("b", 0.5)   // b: 0.5000
    /// ```
    public func show(_ label: String, _ value: some CustomStringConvertible, fileID: String = #fileID, line: Int = #line) {
        record(.value(label: label, text: TranscriptText.value(value)), fileID: fileID, line: line)
    }

    /// Shows a value without a label.
    public func show(_ value: some CustomStringConvertible, fileID: String = #fileID, line: Int = #line) {
        record(.value(label: nil, text: TranscriptText.value(value)), fileID: fileID, line: line)
    }

    /// Shows a table; every cell is formatted like `show` (floats at 4 significant digits).
    /// Rows shorter than the header are padded with empty cells.
    public func table(header: [String], rows: [[any CustomStringConvertible]], caption: Bilingual? = nil,
                      fileID: String = #fileID, line: Int = #line) {
        precondition(header.isEmpty || rows.allSatisfy { $0.count <= header.count },
                     "Notebook.table at \(fileID):\(line): a row has more cells than the \(header.count)-column header")
        let record = TableRecord(header: header, rows: rows.map { $0.map(TranscriptText.value) }, caption: caption)
        self.record(.table(record), fileID: fileID, line: line)
    }

    /// Registers a figure file that the lesson wrote into `directory` (use `figureURL(_:)`).
    /// Siblings with the same stem (fig.pdf, fig.png, fig.svg) are listed as alternates. A missing
    /// file is recorded, reported on stderr and listed in the transcript's problems.
    public func figure(_ fileName: String, caption: Bilingual, fileID: String = #fileID, line: Int = #line) {
        let url = figureURL(fileName)
        let fm = FileManager.default
        let exists = fm.fileExists(atPath: url.path)
        let stem = url.deletingPathExtension().lastPathComponent
        let alternates = ["pdf", "png", "svg"].filter { $0 != url.pathExtension.lowercased() }
            .map { "\(stem).\($0)" }
            .filter { fm.fileExists(atPath: directory.appendingPathComponent($0).path) }
            .map { "\(name)/\($0)" }
        if !exists { report("figure \(fileName) (\(fileID):\(line)) was registered but \(url.path) does not exist") }
        record(.figure(FigureRecord(name: fileName, caption: caption, path: "\(name)/\(fileName)", alternates: alternates, exists: exists)),
               fileID: fileID, line: line)
    }

    /// A note box (Markdown in each language).
    public func note(zh: String, en: String, fileID: String = #fileID, line: Int = #line) {
        record(.note(Bilingual(zh: zh, en: en)), fileID: fileID, line: line)
    }

    /// An exercise box; `grader` names the Grader exercise that checks answers (e.g. `E03-LeNetShapes`).
    public func exercise(zh: String, en: String, grader: String? = nil, fileID: String = #fileID, line: Int = #line) {
        record(.exercise(ExerciseRecord(prompt: Bilingual(zh: zh, en: en), grader: grader)), fileID: fileID, line: line)
    }

    /// Groups the outputs recorded by `body` under `name` and times it. Cells nest; an output
    /// belongs to the innermost one. The weaver places outputs recorded in a helper file under
    /// the code block of the cell's call site.
    @discardableResult
    public func cell<T>(_ name: String, fileID: String = #fileID, line: Int = #line, _ body: () throws -> T) rethrows -> T {
        let location = SourceLocation(fileID: fileID, line: line)
        withLock { openCells.append((name, location, outputs.count, Date())) }
        if options.echo { print("── \(name) ──") }
        defer {
            withLock {
                let open = openCells.removeLast()
                cells.append(CellRecord(name: open.name, location: open.location, firstOutput: open.firstOutput,
                                        endOutput: outputs.count, seconds: Date().timeIntervalSince(open.start)))
            }
        }
        return try body()
    }
}
