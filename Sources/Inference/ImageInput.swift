// Reading an image for classification and preparing it as torchvision's ImageNet models expect.
// The lecture's PyTorch example:
//     transforms.Compose([Resize(256), CenterCrop(224), ToTensor(),
//                         Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])
// applied to `Image.open(path).convert("RGB")`.
import CNN
import Datasets
import Foundation

/// An image file that cannot be classified, with the file and the reason.
public struct ImageInputError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    public let detail: String

    public init(file: String, _ detail: String) { (self.file, self.detail) = (file, detail) }

    public var description: String { "\(file): \(detail)" }
}

/// Image decoding and ImageNet preprocessing.
public enum ImageNet {
    /// Decodes a PNG or JPEG file (recognised by its first bytes, not its name) and converts it to
    /// three channels as PIL's `convert("RGB")` does: grey is copied into R, G and B; an alpha
    /// channel is dropped (not composited).
    ///
    /// - Throws: `ImageInputError` for a missing or unreadable file or an unknown format;
    ///   `DataError` (from the codecs) for a corrupt or truncated PNG/JPEG.
    public static func loadRGB(_ path: String) throws -> Image {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            throw ImageInputError(file: path, exists ? "cannot read the file (\(error.localizedDescription))" : "no such file")
        }
        let image: Image
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            image = try PNG.decode(bytes, file: path)
        } else if bytes.starts(with: [0xFF, 0xD8]) {
            image = try JPEG.decode(bytes, file: path)
        } else {
            let head = bytes.prefix(4).map { String(format: "%02X", $0) }.joined(separator: " ")
            throw ImageInputError(file: path, "not a PNG or JPEG image (\(bytes.isEmpty ? "empty file" : "starts with \(head)"))")
        }
        return convertToRGB(image)
    }

    /// PIL's `convert("RGB")` on a decoded image: 1 channel (L) → replicated; 2 (LA) → L
    /// replicated, alpha dropped; 3 → unchanged; 4 (RGBA) → alpha dropped.
    /// - Shape: [C, H, W] → [3, H, W]
    public static func convertToRGB(_ image: Image) -> Image {
        let plane = image.height * image.width
        let sources: [Int]
        switch image.channels {
        case 3: return image
        case 1, 2: sources = [0, 0, 0]
        case 4: sources = [0, 1, 2]
        default: preconditionFailure("ImageNet.convertToRGB: \(image.channels) channels, expected 1 to 4")
        }
        var pixels = [Float]()
        pixels.reserveCapacity(3 * plane)
        for c in sources { pixels += image.pixels[(c * plane)..<((c + 1) * plane)] }
        return Image(channels: 3, height: image.height, width: image.width, pixels: pixels)
    }

    /// The resize that goes with a crop, as torchvision's classification presets choose it:
    /// 256 for 224 (ResNet, VGG, …), 342 for 299 (Inception-v3): round(crop · 256 / 224).
    public static func resizeSize(forCrop crop: Int) -> Int { Int((Double(crop) * 256 / 224).rounded()) }

    /// torchvision's evaluation transform on an RGB image with values in [0, 1]: resize the shorter
    /// side to `resize` (antialiased bilinear), center-crop `crop` x `crop`, normalize with the
    /// ImageNet mean and std: x' = (x − mean[c]) / std[c].
    ///
    /// The resize works on Float pixels; torchvision on a PIL image rounds to 8 bits after each
    /// resize pass, so pixels can differ from the PyTorch example's by up to about 1/255 before
    /// normalization.
    /// - Shape: [3, H, W] → [1, 3, crop, crop]
    public static func preprocess(_ image: Image, resize: Int = 256, crop: Int = 224) -> Tensor {
        precondition(image.channels == 3, "ImageNet.preprocess: \(image.channels) channels, expected RGB (use convertToRGB)")
        precondition(resize >= crop, "ImageNet.preprocess: resize \(resize) smaller than the crop \(crop)")
        let pipeline = Compose(Resize(shorterSide: resize), CenterCrop(size: crop), Normalize.imageNet)
        return pipeline(image).tensor().reshaped([1, 3, crop, crop])
    }
}
