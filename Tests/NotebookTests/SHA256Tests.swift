import Foundation
import Notebook
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    // FIPS 180-2 appendix B (one block, two blocks, a million 'a') and the empty message
    // (NIST CSRC example values).
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func standardVectors(message: String, digest: String) {
        #expect(SHA256.hex(of: message) == digest)
    }

    @Test func millionAs() {
        let data = Data(repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(of: data) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    // Lengths around the padding boundary (55 fits one block, 56 needs two); digests from coreutils sha256sum.
    @Test(arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
    ])
    func paddingBoundaries(length: Int, digest: String) {
        #expect(SHA256.hex(of: String(repeating: "a", count: length)) == digest)
    }

    @Test func utf8AndStreamingAgree() throws {
        #expect(SHA256.hex(of: "中文") == "72726d8818f693066ceb69afa364218b692e62ea92b385782363780f47529c21")
        // Feeding in odd-sized pieces (byte sequence, Data, string) gives the one-shot digest.
        let message = String(repeating: "abcdefghij", count: 30)
        var h = SHA256()
        h.update(Array(message.utf8.prefix(7)))
        h.update(Data(message.utf8.dropFirst(7).prefix(100)))
        h.update(String(decoding: Array(message.utf8.dropFirst(107)), as: UTF8.self))
        #expect(h.finalizeHex() == SHA256.hex(of: message))

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        try Data("abc".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try SHA256.hex(ofFile: url) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(throws: NotebookError.self) { try SHA256.hex(ofFile: url.appendingPathExtension("missing")) }
    }
}
