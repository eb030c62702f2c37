import Plot

/// The frame of every page of a report: the document head with the report's own stylesheet
/// and script (relative links, so the folder works from file:// and after copying), and a
/// footer with the provenance, also as `<meta>` so that tools can read it.
enum ReportPage {
    /// - Parameter assets: the relative path from the page to the assets directory.
    static func document(title: String, assets: String, provenance: Provenance, body: String) -> String {
        let source = provenance.source ?? "unknown (not built from a git checkout)"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="\(HTML.escape(provenance.software))">
            <meta name="source-revision" content="\(HTML.escape(source))">
            <title>\(HTML.escape(title))</title>
            <link rel="stylesheet" href="\(HTML.href(assets))/report.css">
            <script src="\(HTML.href(assets))/report.js" defer></script>
            </head>
            <body>
            <main>
            \(body)
            </main>
            <footer><p>Made by \(HTML.escape(provenance.software)) at source revision <code>\(HTML.escape(source))</code>\
            \(provenance.description.map { ": <code>\(HTML.escape($0))</code>" } ?? "").</p></footer>
            <pre id="selftest-result" hidden></pre>
            </body>
            </html>

            """
    }

    /// A figure from its file, with its alt text and caption, and links to its other formats.
    fileprivate static func figure(_ file: String, alt: String, caption: String, otherFormats: [String] = []) -> String {
        let links = otherFormats.map { "<a href=\"\(HTML.href($0))\">\(HTML.escape(String($0.split(separator: ".").last ?? "").uppercased()))</a>" }
        let downloads = links.isEmpty ? "" : " Also as " + links.joined(separator: ", ") + "."
        return """
            <figure><img src="\(HTML.href(file))" alt="\(HTML.escape(alt))">\
            <figcaption>\(HTML.escape(caption))\(downloads)</figcaption></figure>
            """
    }
}

/// A figure as a page shows it: its SVG file and its other formats, relative to the page.
struct ReportFigure {
    let described: DescribedFigure
    let file: String
    let others: [String]

    /// The `<figure>`: the image with its key numbers as alt text and caption.
    var html: String {
        ReportPage.figure(file, alt: described.description, caption: described.description, otherFormats: others)
    }
}
