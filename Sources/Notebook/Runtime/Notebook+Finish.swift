// The end of a run: the transcript and the manifest, both written atomically.
import Foundation

extension Notebook {
    /// The transcript recorded so far.
    public var transcript: Transcript {
        let sources = (try? lessonCode()).map { code in
            code.files.map { f in
                SourceFileRecord(path: recordedPath(code.directory.appendingPathComponent(f.path)),
                                 textSHA256: SHA256.hex(of: f.text), codeSHA256: SHA256.hex(of: f.code.normalized()))
            }
        } ?? []
        return withLock {
            Transcript(lesson: name, mode: options.mode, seed: options.seed, language: options.language, startedAt: startedAt,
                       seconds: Date().timeIntervalSince(startedAt), sources: sources, outputs: outputs, cells: cells,
                       cache: cacheUses, problems: problems)
        }
    }

    /// `Output/<lesson>/transcript.json`.
    public var transcriptURL: URL { directory.appendingPathComponent("transcript.json") }

    /// Writes the transcript and the cache manifest (atomically), prints a summary, and returns
    /// the transcript. Call once, at the end of the lesson. When the notebook was made by
    /// `Notebook(_:)` and problems were recorded (a missing figure, an unwritable entry), the
    /// process exits with status 1 after writing, so `make` notices.
    @discardableResult
    public func finish() -> Transcript {
        precondition(withLock { !finished }, "Notebook.finish() called twice for \(name)")
        precondition(withLock { openCells.isEmpty }, "Notebook.finish() called inside cell '\(withLock { openCells.last?.name ?? "" })'")
        withLock { finished = true }
        var transcript = self.transcript
        do { try AtomicFile.write(try transcript.jsonData(), to: transcriptURL) } catch {
            report("could not write the transcript: \(error)")
            transcript.problems = withLock { problems }
        }
        writeManifest()
        if options.echo {
            let hits = transcript.cache.filter { $0.outcome == .hit }.count
            print("═══ \(name): \(transcript.outputs.count) outputs, \(transcript.cache.count) cached steps (\(hits) hits), "
                  + "\(TranscriptText.number(transcript.seconds)) s → \(transcriptURL.path) ═══")
        }
        if !transcript.problems.isEmpty {
            FileHandle.standardError.write(Data("\(name): \(transcript.problems.count) problem(s):\n".utf8))
            for p in transcript.problems { FileHandle.standardError.write(Data("  - \(p)\n".utf8)) }
            if terminatesOnProblems { exit(1) }
        }
        return transcript
    }

    func writeManifest() {
        guard let code = try? lessonCode() else { return }   // no sources: nothing a state query could compare
        do {
            let manifest = LessonManifest(lesson: name, mode: options.mode, seed: options.seed, finishedAt: Date(),
                                          wholeCodeSHA256: code.wholeCodeSHA256, engineSources: engineSources,
                                          engineSHA256: try engineDigest(), steps: withLock { manifestSteps })
            try manifest.write(to: LessonManifest.url(outputRoot: outputRoot, lesson: name, mode: options.mode))
        } catch {
            report("could not write the cache manifest: \(error)")
        }
    }
}
