import CNN
import Foundation

/// One epoch of a run: rate, train and test metrics, time, and the rate changes it ended with.
public struct EpochRecord: Codable, Equatable, Sendable {
    /// From 0.
    public var epoch: Int
    /// The rate of the first parameter group during this epoch.
    public var learningRate: Float
    public var train: Metrics
    public var test: Metrics?
    /// Wall-clock seconds of training (and evaluation) in this epoch.
    public var seconds: Double
    /// Training throughput, samples per second.
    public var samplesPerSecond: Double
    /// Rate changes made by the scheduler at the end of this epoch (they apply from the next).
    public var learningRateChanges: [LRChangeEvent]
}

/// One optimiser step: the batch's loss and the rate it was taken with.
public struct StepRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    /// Step within the epoch, from 0.
    public var step: Int
    public var loss: Float
    public var learningRate: Float
    /// Top-1 error of the step's own batch, from the logits of its forward pass (before the
    /// update); nil in histories written before it was recorded.
    public var error: Double?

    public init(epoch: Int, step: Int, loss: Float, learningRate: Float, error: Double? = nil) {
        self.epoch = epoch; self.step = step; self.loss = loss; self.learningRate = learningRate; self.error = error
    }
}

/// Everything a run measured, per epoch and per step; serialises to JSON for plots and caches.
public struct History: Codable, Equatable, Sendable {
    public var epochs: [EpochRecord] = []
    public var steps: [StepRecord] = []

    public init() {}

    /// Every rate change, for markers on loss curves.
    public var learningRateChanges: [LRChangeEvent] { epochs.flatMap(\.learningRateChanges) }

    /// The JSON text (sorted keys, NaN and infinities as strings so a diverged run still saves).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    public init(jsonData: Data) throws {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        self = try decoder.decode(History.self, from: jsonData)
    }

    /// Writes the JSON atomically (temp file + rename).
    public func write(to url: URL) throws { try writeAtomically(try jsonData(), to: url) }

    /// Reads a history written by `write(to:)`.
    public static func read(from url: URL) throws -> History {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError("cannot read history '\(url.path)': \(error.localizedDescription)")
        }
        do { return try History(jsonData: data) } catch {
            throw TrainingError("history '\(url.path)' is not a valid history JSON: \(error)")
        }
    }
}

/// A file or state problem in the training module; the message names the file and the fault.
public struct TrainingError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Writes `data` to a temporary file beside `url`, flushes it, and renames it over `url`, so a
/// reader (or a run killed mid-write) never sees a half-written file.
public func writeAtomically(_ data: Data, to url: URL) throws {
    let directory = url.deletingLastPathComponent()
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let temp = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
        throw TrainingError("cannot create temporary file '\(temp.path)' to write '\(url.path)'")
    }
    do {
        let handle = try FileHandle(forWritingTo: temp)
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
    } catch {
        try? FileManager.default.removeItem(at: temp)
        throw TrainingError("cannot write '\(temp.path)': \(error.localizedDescription)")
    }
    guard rename(temp.path, url.path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temp)
        throw TrainingError("cannot rename '\(temp.path)' to '\(url.path)': \(reason)")
    }
}
