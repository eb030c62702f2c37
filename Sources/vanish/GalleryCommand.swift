import ArgumentParser
import Reports
import Foundation
import Plot

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
        let directory = URL(fileURLWithPath: out)
        try reportingFailures(exitCode: 1) {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw PlotError("\(directory.path): cannot create directory")
            }
            let provenance = Provenance.vanish("vanish gallery")
            for (name, figure) in Gallery.figures() {
                var urls = [directory.appendingPathComponent(name)]
                if vector {
                    let stem = directory.appendingPathComponent((name as NSString).deletingPathExtension)
                    urls += [stem.appendingPathExtension("svg"), stem.appendingPathExtension("pdf")]
                }
                for url in urls {
                    try figure.write(to: url, provenance: provenance)
                    print("wrote \(url.path)")
                }
            }
        }
    }
}
