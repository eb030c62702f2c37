import Foundation
import Plot

/// The file formats a figure can be written in: PNG for a quick look, SVG for the web and
/// the report, PDF for a paper. `Figure.write` picks the format by the file's extension.
public enum FigureFormat: String, CaseIterable, Sendable {
    case png, svg, pdf

    /// `name.<format>` in `directory`.
    func url(_ name: String, in directory: URL) -> URL {
        directory.appendingPathComponent("\(name).\(rawValue)")
    }
}

/// A figure with the text that stands for it where it cannot be seen (alt text), which
/// states its key numbers.
struct DescribedFigure {
    /// The file's base name, without extension.
    let name: String
    let title: String
    let figure: Plot.Figure
    let description: String
}
