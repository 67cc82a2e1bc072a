import Foundation
import Testing
import CNN
import Checkpoint

/// The error `body` throws, which must be a `CheckpointError`.
func checkpointError(_ body: () throws -> Any) -> CheckpointError? {
    do { _ = try body(); return nil } catch let e as CheckpointError { return e } catch { Issue.record("not a CheckpointError: \(error)"); return nil }
}

@Suite("Broken and hostile files give clear errors")
struct MalformedInputTests {
    let good = Fixtures.bytes("mlp.safetensors")

    @Test func truncatedSafetensors() {
        let e = checkpointError { try SafeTensors.read(bytes: Array(good.prefix(5)), file: "m.safetensors") }
        #expect(e?.description == "m.safetensors: truncated file: 5 bytes, shorter than the 8-byte header length")
        let cut = checkpointError { try SafeTensors.read(bytes: Array(good.dropLast(10)), file: "m.safetensors") }
        #expect(cut?.description.contains("out of range of the") == true, "\(String(describing: cut))")
    }

    @Test func headerLengthLargerThanTheFile() {
        var bytes = good
        bytes.replaceSubrange(0..<8, with: [0x00, 0x00, 0x10, 0, 0, 0, 0, 0])   // 1 MiB
        let e = checkpointError { try SafeTensors.read(bytes: bytes, file: "m.safetensors") }
        #expect(e?.description.hasPrefix("m.safetensors: truncated file: header length 1048576 is larger than the") == true)
    }

    @Test func offsetsOutOfRangeOrOverlapping() {
        let range = checkpointError { try SafeTensors.read(bytes: handMadeSafeTensors(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8000]}}"#, [UInt8](repeating: 0, count: 8))) }
        #expect(range == .layout(file: "<memory>", message: "tensor 'a': data_offsets [0, 8000] out of range of the 8-byte data section"))
        let overlap = checkpointError { try SafeTensors.read(bytes: handMadeSafeTensors(
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, [UInt8](repeating: 0, count: 12))) }
        #expect(overlap?.description.contains("tensors 'a' and 'b' overlap") == true)
        let hole = checkpointError { try SafeTensors.read(bytes: handMadeSafeTensors(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, [UInt8](repeating: 0, count: 8))) }
        #expect(hole?.description.contains("bytes 0..<4 between the start of the data and 'a' belong to no tensor") == true)
        let negative = checkpointError { try SafeTensors.read(bytes: handMadeSafeTensors(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, [UInt8](repeating: 0, count: 8))) }
        #expect(negative?.description.contains("out of range") == true)
    }

    @Test func dtypeOrShapeNotMatchingTheByteCount() {
        let e = checkpointError { try SafeTensors.read(bytes: handMadeSafeTensors(#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, [UInt8](repeating: 0, count: 8))) }
        #expect(e == .byteCountMismatch(file: "<memory>", tensor: "w", expected: 12, actual: 8))
        #expect(e?.description == "<memory>: tensor 'w': dtype and shape need 12 bytes but the file gives it 8")
        let huge = checkpointError { try SafeTensors.read(bytes: handMadeSafeTensors(#"{"w":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#, [UInt8](repeating: 0, count: 8))) }
        #expect(huge?.description.contains("is too large") == true)
        let dtype = checkpointError { try SafeTensors.read(bytes: handMadeSafeTensors(#"{"w":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}}"#, [UInt8](repeating: 0, count: 8))) }
        #expect(dtype == .unsupportedDType(file: "<memory>", tensor: "w", dtype: "F8_E4M3"))
        let metadata = checkpointError { try SafeTensors.read(bytes: handMadeSafeTensors(#"{"__metadata__":{"a":1}}"#, [])) }
        #expect(metadata?.description.contains("__metadata__ must map strings to strings") == true)
    }

    @Test func pthStorageOfTheWrongSize() {
        // badsize.pth: the record of 0.bias (8 float32 = 32 bytes) holds 28 bytes.
        let e = checkpointError { try readCheckpoint(Fixtures.url("badsize.pth")) }
        #expect(e?.description.hasSuffix("badsize.pth: tensor '0.bias (storage 1, 8 × float32)': dtype and shape need 32 bytes but the file gives it 28") == true,
                "\(String(describing: e))")
    }

    @Test func corruptedRecordFailsItsChecksum() {
        var bytes = Fixtures.bytes("mlp.pth")
        let at = bytes.firstRange(of: Array("0.weight".utf8))!.lowerBound
        bytes[at] = UInt8(ascii: "9")   // inside data.pkl; the zip directory is intact
        let e = checkpointError { try TorchArchive.read(bytes: bytes, file: "m.pth") }
        #expect(e?.description == "m.pth: not a torch.save zip archive: 'mlp/data.pkl' fails its CRC-32 check (corrupted)")
    }

    @Test func zipWithoutDataPkl() {
        var bytes = Fixtures.bytes("mlp.pth")
        let name = Array("mlp/data.pkl".utf8)
        while let r = bytes.firstRange(of: name) { bytes.replaceSubrange(r, with: Array("mlp/data.pkX".utf8)) }
        let e = checkpointError { try TorchArchive.read(bytes: bytes, file: "m.pth") }
        #expect(e?.description.hasPrefix("m.pth: not a torch.save zip archive: no '<name>/data.pkl' record among 15 entries") == true, "\(String(describing: e))")
        let notZip = checkpointError { try TorchArchive.read(bytes: Array("hello".utf8), file: "m.pth") }
        #expect(notZip?.description.contains("not a zip archive") == true)
        let legacy = checkpointError { try TorchArchive.read(bytes: [0x80, 0x02, 0x8A, 0x0A], file: "old.pth") }
        #expect(legacy?.description.contains("legacy (PyTorch < 1.6)") == true)
    }

    @Test func pickleCallingOsSystemIsRefusedByName() {
        let e = checkpointError { try readCheckpoint(Fixtures.url("evil.pth")) }
        #expect(e?.description.hasSuffix("data.pkl byte 180: global 'posix.system' is not allowed (only tensor-rebuild functions, storages and OrderedDict are; the file may try to run code)") == true, "\(String(describing: e))")
        // GLOBAL 'os system', STACK_GLOBAL 'builtins eval', and a torch global outside the set.
        let cases: [([UInt8], String)] = [
            ([0x80, 2] + Array("cos\nsystem\nX\u{2}\0\0\0ls".utf8) + [0x85] + Array("R.".utf8), "os.system"),
            ([0x80, 4, 0x8C, 8] + Array("builtins".utf8) + [0x8C, 4] + Array("eval".utf8) + [0x93, 0x2E], "builtins.eval"),
            ([0x80, 2] + Array("ctorch\nload\n.".utf8), "torch.load"),
        ]
        for (pickle, name) in cases {
            let e = checkpointError { try TorchArchive._unpickleForTesting(pickle) }
            guard case let .forbiddenGlobal(_, _, global) = e else { Issue.record("\(name): \(String(describing: e))"); continue }
            #expect(global == name)
        }
    }

    @Test func deeplyNestedPickleHitsTheDepthLimit() {
        let e = checkpointError { try readCheckpoint(Fixtures.url("deep.pth")) }
        guard case let .tooDeep(_, _, limit) = e else { Issue.record("\(String(describing: e))"); return }
        #expect(limit == 32)
        #expect(e?.description.contains("containers nested deeper than 32 levels") == true)
        // A million MARKs, and a chain of a million EMPTY_LIST ... APPEND: errors, not stack overflows.
        let marks = checkpointError { try TorchArchive._unpickleForTesting([0x80, 2] + [UInt8](repeating: 0x28, count: 1_000_000)) }
        #expect(marks?.description.contains("nested deeper than 32") == true)
        let lists = checkpointError { try TorchArchive._unpickleForTesting([0x80, 2] + [UInt8](repeating: 0x5D, count: 100_000) + [UInt8](repeating: 0x61, count: 99_999) + [0x2E]) }
        #expect(lists?.description.contains("nested deeper than 32") == true)
    }

    @Test func otherPickleDefectsAreNamed() {
        let cases: [([UInt8], String)] = [
            ([0x80, 2, 0x58, 0xFF, 0xFF, 0xFF, 0x7F], "declares 2147483647 bytes but only 0 are left"),
            ([0x80, 2, 0x8B, 0x10, 0, 0, 0] + [UInt8](repeating: 1, count: 16) + [0x2E], "integer of 16 bytes does not fit 64 bits"),
            ([0x80, 2, 0x68, 0x07], "memo entry 7 is not defined"),
            ([0x80, 2, 0x61], "stack underflow"),
            ([0x80, 2, 0x8C, 2, 0xC3, 0x28, 0x2E], "string is not valid UTF-8"),
            ([0x80, 2, 0x7D, 0x2E + 1], "opcode 0x2f ('/') is not supported"),
            ([0x80, 2, 0x7D], "ends without a STOP"),
            ([0x80, 2, 0x4B, 1, 0x2E], "the pickled object is a int, not a dict of tensors"),
            ([0x80, 9], "pickle protocol 9 is not supported"),
        ]
        for (pickle, message) in cases {
            let e = checkpointError { try TorchArchive._unpickleForTesting(pickle) }
            #expect(e?.description.contains(message) == true, "expected '\(message)', got \(String(describing: e))")
        }
    }

    @Test func viewsReachingPastTheirStorageAreRefused() {
        // _rebuild_tensor_v2(storage of 4 floats, offset 1, size (4,), stride (1,)) reaches element 4.
        var p: [UInt8] = [0x80, 2, 0x7D]                                         // {}
        p += Array("X\u{1}\0\0\0t".utf8)                                        // key 't'
        p += Array("ctorch._utils\n_rebuild_tensor_v2\n(".utf8)
        p += Array("(X\u{7}\0\0\0storagectorch\nFloatStorage\nX\u{1}\0\0\00X\u{3}\0\0\0cpuK\u{4}tQ".utf8)
        p += [0x4B, 1, 0x4B, 4, 0x85, 0x4B, 1, 0x85, 0x89] + Array("NtRs.".utf8)   // offset 1, (4,), (1,), False, None
        let e = checkpointError { try TorchArchive._unpickleForTesting(p) }
        #expect(e?.description.contains("reaches element 4 of a storage of 4") == true, "\(String(describing: e))")
    }
}
