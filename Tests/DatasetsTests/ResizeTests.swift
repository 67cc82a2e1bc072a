import Testing
import Datasets
import _TestSupport

/// The source image of Reference/resize_reference.py: v = ((7y + 3x) mod 11) / 10.
private func source(_ h: Int, _ w: Int) -> Image {
    var pixels = [Float]()
    for y in 0..<h { for x in 0..<w { pixels.append(Float((7 * y + 3 * x) % 11) / 10) } }
    return Image(channels: 1, height: h, width: w, pixels: pixels)
}

@Suite("Antialiased bilinear resize")
struct ResizeTests {
    @Test func halvingARowByHand() {
        // scale 2, support 2. Output 0: centre 1, taps j = 0, 1, 2 with tri((j + 0.5 - 1) / 2) =
        // 0.75, 0.75, 0.25, so (0·0.75 + 1·0.75 + 2·0.25) / 1.75 = 1.25 / 1.75.
        // Output 1: centre 3, taps j = 1, 2, 3 (j = 4 is past the end): 0.25, 0.75, 0.75, so
        // (1·0.25 + 2·0.75 + 3·0.75) / 1.75 = 4 / 1.75.
        let row = Image(channels: 1, height: 1, width: 4, pixels: [0, 1, 2, 3])
        let out = resizeBilinear(row, height: 1, width: 2)
        #expect(isApproximatelyEqual(out.pixels, [1.25 / 1.75, 4 / 1.75], rtol: 1e-6, atol: 1e-7))
        // Without antialiasing (plain bilinear, align_corners=False) the answer would be
        // 0.5 and 2.5: the triangle's width is what differs.
    }

    @Test func upscalingIsPlainBilinearWithHalfPixelCentres() {
        // 2 -> 4: centres 0.25, 0.75, 1.25, 1.75 in input pixels; edges clamp.
        let row = Image(channels: 1, height: 1, width: 2, pixels: [0, 1])
        #expect(isApproximatelyEqual(resizeBilinear(row, height: 1, width: 4).pixels, [0, 0.25, 0.75, 1], atol: 1e-7))
    }

    // Values printed by Pillow (Reference/resize_reference.py, 'F' mode, Image.BILINEAR).
    @Test func downscaleMatchesPillow() {
        let pil: [Float] = [0.477551, 0.5457143, 0.4565714, 0.4367347, 0.5976191, 0.526, 0.4015, 0.577381,
                            0.5440476, 0.441, 0.487, 0.5958334, 0.5035714, 0.4055, 0.5945, 0.4964286,
                            0.3823129, 0.484, 0.5708572, 0.4687075]
        // torchvision's Resize(4) on a 10x7 image: shorter side 7 -> 4, longer int(4 * 10 / 7) = 5.
        let out = Resize(shorterSide: 4)(source(10, 7))
        #expect(out.shape == [1, 5, 4])
        #expect(worstMismatch(out.pixels, pil, rtol: 1e-5, atol: 1e-6) == nil)
    }

    @Test func upscaleMatchesPillow() {
        let pil: [Float] = [0.0, 0.1071429, 0.2785714, 0.45, 0.6214286, 0.7928571, 0.9, 0.28, 0.3871429, 0.5585714,
                            0.51, 0.4614286, 0.6328571, 0.74, 0.7, 0.8071429, 0.9785714, 0.6, 0.2214286, 0.3928571,
                            0.5, 0.46, 0.5671428, 0.7385714, 0.69, 0.5942857, 0.3885714, 0.26, 0.3, 0.4071429,
                            0.5785714, 0.75, 0.8428571, 0.3857143, 0.1]
        let out = Resize(height: 5, width: 7)(source(3, 4))
        #expect(worstMismatch(out.pixels, pil, rtol: 1e-5, atol: 1e-6) == nil)
    }

    @Test func mixedScalesMatchPillow() {
        let pil: [Float] = [0.3, 0.55, 0.5, 0.55, 0.675, 0.525, 0.575, 0.425, 0.55, 0.425, 0.5583333, 0.45,
                            0.5916667, 0.45, 0.525, 0.375, 0.45, 0.3]
        let out = resizeBilinear(source(6, 5), height: 9, width: 2)
        #expect(worstMismatch(out.pixels, pil, rtol: 1e-5, atol: 1e-6) == nil)
    }

    @Test func shorterSideFollowsTorchvisionSizes() {
        // ImageNet-style photos: (H, W) -> Resize(256) output, long side truncated.
        #expect(Resize(shorterSide: 256).outputSize(height: 375, width: 500) == (256, 341))   // 341.33
        #expect(Resize(shorterSide: 256).outputSize(height: 500, width: 333) == (384, 256))   // 384.38
        #expect(Resize(shorterSide: 256).outputSize(height: 256, width: 256) == (256, 256))
        let same = source(4, 6)
        #expect(Resize(shorterSide: 4)(same) == same)   // no-op at the target size
    }

    @Test func resizeThenCenterCropIsTheVGGPipelineShape() {
        let photo = Image(channels: 3, height: 300, width: 400, repeating: 0.5)
        let pipeline = Compose(Resize(shorterSide: 256), CenterCrop(size: 224), Normalize.imageNet)
        let out = pipeline(photo)
        #expect(out.shape == [3, 224, 224])
        // A constant image stays constant under the normalised kernel: (0.5 - 0.485) / 0.229 in channel 0.
        #expect(abs(out[0, 100, 100] - (0.5 - 0.485) / 0.229) < 1e-5)
    }
}
