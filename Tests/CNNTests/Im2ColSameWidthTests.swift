import CNN
import Testing

/// im2col (with its one-copy path for stride-1 "same"-width convolutions) against the defining
/// formula col[(c·KH + i)·KW + j, oh·OW + ow] = x[c, oh·sh − ph + i·dh, ow·sw − pw + j·dw] (0 outside).
@Suite struct Im2ColSameWidthTests {
    typealias Case = (c: Int, h: Int, w: Int, k: (Int, Int), stride: (Int, Int), pad: (Int, Int), dil: (Int, Int))

    static let cases: [Case] = [
        (2, 8, 8, (3, 3), (1, 1), (1, 1), (1, 1)),     // ResNet / VGG 3x3 pad 1
        (1, 28, 28, (5, 5), (1, 1), (2, 2), (1, 1)),   // LeNet C1
        (3, 6, 7, (3, 5), (1, 1), (1, 2), (1, 1)),     // rectangular kernel, non-square image
        (2, 9, 9, (3, 3), (1, 1), (2, 2), (2, 2)),     // dilation 2 keeps the width
        (1, 5, 5, (7, 7), (1, 1), (3, 3), (1, 1)),     // kernel larger than the image
        (2, 4, 6, (5, 1), (1, 1), (2, 0), (1, 1)),     // full-width columns, padded rows
        (2, 4, 6, (1, 1), (1, 1), (0, 0), (1, 1)),     // 1x1
        (2, 10, 10, (5, 5), (1, 1), (0, 0), (1, 1)),   // LeNet C3 (narrower output: general path)
        (2, 9, 9, (3, 3), (2, 2), (1, 1), (1, 1)),     // stride 2 (general path)
    ]

    @Test(arguments: cases.indices)
    func matchesTheFormula(index: Int) {
        let t = Self.cases[index]
        let g = ConvGeometry(input: [1, t.c, t.h, t.w], weight: [1, t.c, t.k.0, t.k.1], stride: t.stride, padding: t.pad, dilation: t.dil)
        let x = (0..<(t.c * t.h * t.w)).map { Float($0 + 1) }   // every pixel distinct and non-zero
        let rows = t.c * t.k.0 * t.k.1, p = g.oh * g.ow
        var col = [Float](repeating: .nan, count: rows * p)     // NaN shows any entry left unwritten
        x.withUnsafeBufferPointer { xp in col.withUnsafeMutableBufferPointer { cp in
            im2col(xp.baseAddress!, channels: t.c, g, into: cp.baseAddress!)
        } }
        var mismatches = 0
        for c in 0..<t.c { for i in 0..<t.k.0 { for j in 0..<t.k.1 { for oh in 0..<g.oh { for ow in 0..<g.ow {
            let ih = oh * t.stride.0 - t.pad.0 + i * t.dil.0, iw = ow * t.stride.1 - t.pad.1 + j * t.dil.1
            let expected: Float = ih >= 0 && ih < t.h && iw >= 0 && iw < t.w ? x[(c * t.h + ih) * t.w + iw] : 0
            let got = col[((c * t.k.0 + i) * t.k.1 + j) * p + oh * g.ow + ow]
            if got != expected { mismatches += 1 }
        } } } } }
        #expect(mismatches == 0, "case \(t): \(mismatches) of \(col.count) entries differ")
    }
}
