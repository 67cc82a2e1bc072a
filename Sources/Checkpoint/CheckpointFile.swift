import Foundation

/// The two checkpoint formats the kit reads and writes.
public enum CheckpointFormat: String, Sendable {
    case safetensors
    /// `torch.save` zip archive (`.pth`, `.pt`).
    case pytorch

    /// The format a file name asks for when writing: `.safetensors`, or `.pth`/`.pt`/`.bin`.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "safetensors": self = .safetensors
        case "pth", "pt", "bin": self = .pytorch
        default: return nil
        }
    }
}

/// Reads a checkpoint, recognising the format by its first bytes (a zip starts with "PK", a
/// safetensors file with an 8-byte length followed by '{'), not by the file name.
///
///     let sd = try readCheckpoint(URL(fileURLWithPath: "vgg16.pth"))
///     try model.loadStateDict(sd)
public func readCheckpoint(_ url: URL) throws -> StateDict {
    try readCheckpointWithFormat(url).stateDict
}

/// `readCheckpoint` that also says which format it found.
public func readCheckpointWithFormat(_ url: URL) throws -> (stateDict: StateDict, format: CheckpointFormat) {
    let buffer = try ByteBuffer.map(url)
    if buffer.count >= 2 && buffer.base.load(as: UInt8.self) == 0x50 && buffer.base.load(fromByteOffset: 1, as: UInt8.self) == 0x4B {
        return (try TorchArchive.read(contentsOf: url), .pytorch)
    }
    let looksLikeSafetensors = buffer.count > 8 && buffer.base.load(fromByteOffset: 8, as: UInt8.self) == UInt8(ascii: "{")
    if !looksLikeSafetensors && buffer.count > 0 && buffer.base.load(as: UInt8.self) == 0x80 {
        try TorchArchive.checkMagic([0x80], file: url.path)
    }
    return (try SafeTensors.parse(buffer, file: url.path), .safetensors)
}

/// Writes `stateDict` in the format named by `url`'s extension (`.safetensors`, `.pth`, `.pt`).
public func writeCheckpoint(_ stateDict: StateDict, to url: URL) throws {
    guard let format = CheckpointFormat(pathExtension: url.pathExtension) else {
        throw CheckpointError.unknownFormat(file: url.path, message: "cannot tell the format from the extension '.\(url.pathExtension)' (use .safetensors or .pth)")
    }
    switch format {
    case .safetensors: try SafeTensors.write(stateDict, to: url)
    case .pytorch: try TorchArchive.write(stateDict, to: url)
    }
}
