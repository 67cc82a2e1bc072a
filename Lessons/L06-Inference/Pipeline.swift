// The pieces of the inference lesson that are not the lesson's point: options, a generated test
// picture, raster conversion for figures, and the latency probe.
import CNN
import Datasets
import Foundation
import Render

/// A command-line option `--name VALUE`, else the environment variable, else nil.
func option(_ flag: String, environment variable: String, in arguments: [String]) -> String? {
    if let i = arguments.firstIndex(of: flag), i + 1 < arguments.count { return arguments[i + 1] }
    if let v = ProcessInfo.processInfo.environment[variable], !v.isEmpty { return v }
    return nil
}

/// A 360 x 480 RGB scene drawn by code (sky, sun, hills): a stand-in photograph with a known
/// size, so the resize and crop steps have something landscape-shaped to work on.
func generatedScene(height: Int = 360, width: Int = 480) -> Image {
    var pixels = [Float](repeating: 0, count: 3 * height * width)
    let plane = height * width
    for y in 0..<height {
        for x in 0..<width {
            let (fx, fy) = (Float(x) / Float(width), Float(y) / Float(height))
            var rgb: (Float, Float, Float) = (0.35 + 0.4 * fy, 0.55 + 0.3 * fy, 0.95 - 0.1 * fy)   // sky
            let (dx, dy) = (Float(x) - 0.72 * Float(width), Float(y) - 0.25 * Float(height))
            if dx * dx + dy * dy < 38 * 38 { rgb = (1.0, 0.85, 0.3) }                             // sun
            let hill = 0.62 + 0.08 * sin(9 * fx) + 0.05 * cos(23 * fx)
            if fy > hill { rgb = (0.2 + 0.2 * fy, 0.45 + 0.25 * (1 - fy), 0.15) }                  // grass
            pixels[y * width + x] = rgb.0
            pixels[plane + y * width + x] = rgb.1
            pixels[2 * plane + y * width + x] = rgb.2
        }
    }
    return Image(channels: 3, height: height, width: width, pixels: pixels)
}

/// An image with values in [0, 1] (1 or 3 channels) as an RGBA raster for a figure.
func raster(_ image: Image) -> RasterImage {
    let plane = image.height * image.width
    var rgba = [UInt8](repeating: 255, count: 4 * plane)
    for i in 0..<plane {
        for c in 0..<3 {
            let v = image.pixels[(image.channels == 3 ? c : 0) * plane + i]
            rgba[4 * i + c] = UInt8(max(0, min(255, (v * 255).rounded())))
        }
    }
    return RasterImage(width: image.width, height: image.height, rgba: rgba)
}

/// Undoes `Normalize.imageNet` so a preprocessed tensor can be looked at.
func denormalized(_ image: Image) -> Image {
    let mean: [Float] = [0.485, 0.456, 0.406], std: [Float] = [0.229, 0.224, 0.225]
    let plane = image.height * image.width
    var out = image
    for c in 0..<3 { for i in 0..<plane { out.pixels[c * plane + i] = image.pixels[c * plane + i] * std[c] + mean[c] } }
    return out
}

/// The k largest entries of `p` as (index, value), largest first (ties: lower index first).
func topK(_ p: [Float], _ k: Int) -> [(index: Int, probability: Float)] {
    p.indices.sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }.prefix(k).map { ($0, p[$0]) }
}

/// Batch-1 forward latency of `model` on `input`: one warm-up pass, then the median of `runs`
/// timed passes, in milliseconds (evaluation mode, no autograd graph).
func medianLatency(_ model: Module, input: [Int], runs: Int) -> Double {
    model.eval()
    let x = Tensor.randomNormal([1] + input, seed: 3)
    return withNoGrad {
        _ = model(x)
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = model(x)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        return times[times.count / 2]
    }
}

