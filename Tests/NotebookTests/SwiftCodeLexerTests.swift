import Notebook
import Testing

@Suite("Swift code lexer")
struct SwiftCodeLexerTests {
    @Test func stripsCommentsAndLayoutButKeepsStrings() {
        let source = """
        //: # 标题
        //:en # Title
        let a  =   1   // trailing comment
        /* block /* nested */ still comment */ let b = 2
        //> a: 1
        let url = "http://example.com // not a comment"
        let s = "quote \\" // still string"

        """
        #expect(SwiftCode(source).normalized() == """
        let a = 1
        let b = 2
        let url = "http://example.com // not a comment"
        let s = "quote \\" // still string"
        """)
    }

    @Test func multilineRawAndInterpolatedStrings() {
        let source = #"""
        let m = """
          keep   //: this is inside a string
          """
        let r = #"raw "quote" // kept"#
        let i = "x \(f("a)")) // y" // gone
        """#
        let normalized = SwiftCode(source).normalized()
        #expect(normalized.contains("keep   //: this is inside a string"))
        #expect(normalized.contains(##"let r = #"raw "quote" // kept"#"##))
        #expect(normalized.contains(#"let i = "x \(f("a)")) // y""#))
        #expect(!normalized.contains("gone"))
    }

    @Test func findsCachedCallsWithTheirLines() {
        let source = """
        let nb = Notebook("x")
        let a = try nb.cached("a", 1) {
            train(1)   // comment inside
        }
        let b = try nb.cachedDirectory("b", after: []) { folders in
            write(folders.output)
        }
        let c = nb.cachedValue   // not a call of cached
        """
        let calls = SwiftCode(source).cachedCalls()
        #expect(calls.map(\.lines) == [2...4, 5...7])
        #expect(calls[0].code == ".cached(\"a\", 1) {\ntrain(1)\n}")
        #expect(SwiftCode(source).codeOutsideCachedCalls() == "let nb = Notebook(\"x\")\nlet a = try nb\nlet b = try nb\nlet c = nb.cachedValue")
    }
}
