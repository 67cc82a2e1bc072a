import CNN
import Foundation

/// Everything needed to continue a run exactly where it stopped: model parameters and buffers,
/// optimiser state, scheduler state, the run's random stream, the epoch count and the history.
/// A run resumed from the checkpoint of epoch k ends with the same bits as one never stopped.
///
/// File format (self-contained, little-endian), written atomically:
///
///     bytes 0..<8    magic "CKTRAIN1"
///     bytes 8..<16   UInt64 header length H
///     bytes 16..<16+H  header, JSON: format version, epochs completed, tensor table
///                      [{key, shape, offset}], optimiser metadata, scheduler state (base64),
///                      random state (hex words), history
///     then           payload: the tensors' Float32 values, at their offsets from the payload start
///
/// Tensor keys are "model.<state_dict key>" and "optimizer.<group>.<index>.<buffer>".
/// (The safetensors writer in the Checkpoint module serves model exchange; this format keeps the
/// optimiser, scheduler and RNG state with the weights.)
public struct TrainingCheckpoint {
    public var epochsCompleted: Int
    public var model: [(name: String, tensor: Tensor)]
    public var optimizer: OptimizerState
    public var schedulerState: Data?
    public var randomState: [UInt64]
    public var history: History

    public init(epochsCompleted: Int, model: [(name: String, tensor: Tensor)], optimizer: OptimizerState,
                schedulerState: Data?, randomState: [UInt64], history: History) {
        self.epochsCompleted = epochsCompleted; self.model = model; self.optimizer = optimizer
        self.schedulerState = schedulerState; self.randomState = randomState; self.history = history
    }

    static let magic = Array("CKTRAIN1".utf8)

    struct Entry: Codable { var key: String; var shape: [Int]; var offset: Int }
    struct Header: Codable {
        var formatVersion: Int
        var epochsCompleted: Int
        var tensors: [Entry]
        var optimizer: OptimizerState.Metadata
        var scheduler: Data?
        var random: [String]
        var history: History
    }

    /// Writes the checkpoint to `url` atomically (temp file + rename).
    public func write(to url: URL) throws {
        let all = model.map { ("model.\($0.name)", $0.tensor) } + optimizer.tensors.map { ("optimizer.\($0.key)", $0.tensor) }
        var entries: [Entry] = []
        var offset = 0
        for (key, t) in all {
            entries.append(Entry(key: key, shape: t.shape, offset: offset))
            offset += t.count * 4
        }
        let header = Header(formatVersion: 1, epochsCompleted: epochsCompleted, tensors: entries, optimizer: optimizer.metadata,
                            scheduler: schedulerState, random: randomState.map { String($0, radix: 16) }, history: history)
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let json = try encoder.encode(header)
        var data = Data(Self.magic)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        data.reserveCapacity(data.count + offset)
        for (_, t) in all { t.withUnsafeBufferPointer { data.append(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) } }
        try writeAtomically(data, to: url)
    }

    /// Reads and validates a checkpoint; every fault names the file and what is wrong.
    public static func read(from url: URL) throws -> TrainingCheckpoint {
        let path = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError("cannot read checkpoint '\(path)': \(error.localizedDescription)")
        }
        guard data.count >= 16 else { throw TrainingError("checkpoint '\(path)' is truncated: \(data.count) bytes, the header alone needs 16") }
        guard Array(data.prefix(8)) == magic else {
            throw TrainingError("'\(path)' is not a training checkpoint: magic \(Array(data.prefix(8))) is not \"CKTRAIN1\"")
        }
        let headerLength = data.subdata(in: 8..<16).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(data.count - 16) else {
            throw TrainingError("checkpoint '\(path)' is truncated: header of \(headerLength) bytes, only \(data.count - 16) follow")
        }
        let payloadStart = 16 + Int(headerLength)
        let header: Header
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            header = try decoder.decode(Header.self, from: data.subdata(in: 16..<payloadStart))
        } catch {
            throw TrainingError("checkpoint '\(path)' has a corrupt header: \(error)")
        }
        guard header.formatVersion == 1 else { throw TrainingError("checkpoint '\(path)' has format version \(header.formatVersion), this kit reads 1") }
        let random = header.random.compactMap { UInt64($0, radix: 16) }
        guard random.count == 4, random.contains(where: { $0 != 0 }) else {
            throw TrainingError("checkpoint '\(path)' has an invalid random state \(header.random)")
        }
        let payloadSize = data.count - payloadStart
        var model: [(String, Tensor)] = [], optimizerTensors: [(String, Tensor)] = []
        for e in header.tensors {
            guard e.shape.allSatisfy({ $0 >= 0 }), e.offset >= 0 else { throw TrainingError("checkpoint '\(path)': tensor '\(e.key)' has shape \(e.shape), offset \(e.offset)") }
            let count = e.shape.reduce(1, *)
            guard e.offset + count * 4 <= payloadSize else {
                throw TrainingError("checkpoint '\(path)' is truncated: tensor '\(e.key)' needs bytes \(e.offset)..<\(e.offset + count * 4) of a \(payloadSize)-byte payload")
            }
            let t = Tensor(zeros: e.shape)
            t.withUnsafeMutableBufferPointer { dst in
                data.withUnsafeBytes { src in
                    _ = memcpy(dst.baseAddress!, src.baseAddress! + payloadStart + e.offset, count * 4)
                }
            }
            if e.key.hasPrefix("model.") { model.append((String(e.key.dropFirst(6)), t)) }
            else if e.key.hasPrefix("optimizer.") { optimizerTensors.append((String(e.key.dropFirst(10)), t)) }
            else { throw TrainingError("checkpoint '\(path)': unknown tensor key '\(e.key)'") }
        }
        return TrainingCheckpoint(epochsCompleted: header.epochsCompleted, model: model,
                                  optimizer: OptimizerState(metadata: header.optimizer, tensors: optimizerTensors),
                                  schedulerState: header.scheduler, randomState: random, history: header.history)
    }

    /// Copies the saved parameters and buffers into `target`, matched by state_dict key. Missing,
    /// unexpected or mis-shaped entries throw before anything is changed.
    public func restoreModel(_ target: Module, file: String = "checkpoint") throws {
        let saved = Dictionary(model.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
        let wanted = target.stateDict()
        let missing = wanted.map(\.name).filter { saved[$0] == nil }
        let unexpected = Set(saved.keys).subtracting(wanted.map(\.name))
        guard missing.isEmpty && unexpected.isEmpty else {
            throw TrainingError("\(file) does not match the model: missing \(missing.prefix(5)), unexpected \(unexpected.sorted().prefix(5))")
        }
        for (name, t) in wanted where saved[name]!.shape != t.shape {
            throw TrainingError("\(file): '\(name)' has shape \(saved[name]!.shape), the model's is \(t.shape)")
        }
        for (name, t) in wanted { t.assign(saved[name]!) }
    }
}
