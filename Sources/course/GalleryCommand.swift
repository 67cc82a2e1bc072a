import ArgumentParser
import Foundation
import Render

/// `course gallery`: draws every chart and diagram type and a sample handout into Output/.
struct GalleryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery",
        abstract: "Write Output/gallery.pdf (every chart and diagram type plus a two-page sample handout)."
    )

    @Option(name: .long, help: "Output folder.")
    var output: String = "Output"

    @Flag(name: .long, help: "Also write each figure alone as PDF, PNG and SVG under <output>/gallery/.")
    var figures = false

    func run() throws {
        let dir = URL(fileURLWithPath: output)
        let gallery = dir.appendingPathComponent("gallery.pdf")
        try Gallery.document().write(to: gallery)
        print("wrote \(gallery.path)")
        let handout = dir.appendingPathComponent("sample-handout.pdf")
        try Gallery.sampleHandout().write(to: handout)
        print("wrote \(handout.path)")
        if figures {
            for (name, graphic) in Gallery.samples() {
                for format in OutputFormat.allCases {
                    try graphic.write(to: dir.appendingPathComponent("gallery/\(name).\(format.rawValue)"))
                }
            }
            print("wrote \(Gallery.samples().count * 3) figures to \(dir.appendingPathComponent("gallery").path)")
        }
    }
}
