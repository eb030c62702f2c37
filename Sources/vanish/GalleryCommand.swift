import ArgumentParser
import Foundation
import Reports

/// `vanish gallery`: every plot kind from synthetic data, to look at.
struct GalleryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery",
        abstract: "Render every kind of plot from synthetic data (PNG, and SVG and PDF with --vector).")

    @Option(help: "Directory for the figures (created if missing).")
    var out = "figures/gallery"

    @Flag(help: "Also write each figure as SVG and PDF.")
    var vector = false

    func run() throws {
        let written = try reportingFailures(exitCode: 1) {
            try Gallery.write(to: URL(fileURLWithPath: out), vector: vector)
        }
        for url in written { print("wrote \(url.path)") }
    }
}
