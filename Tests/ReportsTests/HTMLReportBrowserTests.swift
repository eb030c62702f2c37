import Foundation
import Plot
import Reports
import TestSupport
import Testing

/// The report of a small real sweep, opened in headless Chromium (Debian's `chromium`, which
/// `make test` installs): the pages check themselves when opened with `#selftest` (the
/// table's rows, sorting by final loss, filtering, their figures) and write the outcome into
/// the DOM, which `--dump-dom` prints; console errors are read from Chromium's log. Without
/// Chromium the test fails, naming what to install: a browser test that skips proves nothing.
@Suite("HTML report in a browser")
struct HTMLReportBrowserTests {
    static let chromium = "/usr/bin/chromium"

    @Test("in headless Chromium: no errors, a row per run, sorting and filtering work, a run page shows its figure, a screenshot is not blank")
    func browser() throws {
        let started = Date()
        try #require(FileManager.default.isExecutableFile(atPath: Self.chromium),
                     "\(Self.chromium) is missing: `make test` installs it (apt-get install chromium)")
        let root = try makeTemporaryDirectory("report-browser")
        defer { try? FileManager.default.removeItem(at: root) }
        let (directory, _) = try HTMLReportTests.makeStore(root.appendingPathComponent("store"))
        let outcome = try HTMLReport.write(experimentDirectory: directory, command: "test", jobs: 2)

        let index = try open(outcome.index, fragment: "selftest", in: root)
        #expect(index.log.isEmpty, "console: \(index.log)")
        let result = try #require(selfTestResult(index.dom), "no self-test result in the page: \(index.dom.suffix(2000))")
        #expect(result.hasSuffix("SELFTEST OK"), "\(result)")
        #expect(result.contains("PASS rows: 8 of 8 runs"), "\(result)")
        #expect(result.contains("PASS sort final_loss_over_baseline ascending"), "\(result)")
        #expect(result.contains("PASS variant filter"), "\(result)")

        let runPage = try #require(index.dom.components(separatedBy: "data-run-page=\"").dropFirst().first?.prefix { $0 != "\"" })
        let page = try open(outcome.index.deletingLastPathComponent().appendingPathComponent(String(runPage)), fragment: "selftest", in: root)
        #expect(page.log.isEmpty, "console: \(page.log)")
        let pageResult = try #require(selfTestResult(page.dom), "no self-test result in \(runPage)")
        #expect(pageResult.contains("PASS figures: 1 of 1 shown") && pageResult.hasSuffix("SELFTEST OK"), "\(pageResult)")

        let screenshot = root.appendingPathComponent("index.png")
        _ = try run(["--window-size=1280,1600", "--hide-scrollbars", "--screenshot=\(screenshot.path)", outcome.index.absoluteString], in: root)
        let image = try DecodedPNG.read(screenshot)
        var colours = Set<DecodedPNG.Pixel>()
        for y in stride(from: 0, to: image.height, by: 7) {
            for x in stride(from: 0, to: image.width, by: 7) { colours.insert(image.pixel(x: x, y: y)) }
        }
        #expect(image.width == 1280 && colours.count > 20, "the screenshot has \(colours.count) colour(s)")
        #expect(Date().timeIntervalSince(started) < 60, "the browser test takes under a minute")
    }

    /// The page's DOM after its scripts ran, and the log lines of console messages and uncaught errors.
    private func open(_ url: URL, fragment: String, in directory: URL) throws -> (dom: String, log: [String]) {
        let address = url.absoluteString + "#" + fragment
        let (dom, log) = try run(["--virtual-time-budget=10000", "--enable-logging=stderr", "--v=0", "--dump-dom", address], in: directory)
        let problems = log.split(separator: "\n").filter { $0.contains("Uncaught") || $0.contains(":CONSOLE") }.map(String.init)
        return (dom, problems)
    }

    private func selfTestResult(_ dom: String) -> String? {
        guard let start = dom.range(of: "<pre id=\"selftest-result\"") else { return nil }
        let rest = dom[start.upperBound...]
        guard let open = rest.firstIndex(of: ">"), let close = rest.range(of: "</pre>") else { return nil }
        return String(rest[rest.index(after: open)..<close.lowerBound])
    }

    /// Runs headless Chromium with a fresh profile; its output and log go to files, so that
    /// neither pipe can fill, and it is stopped after 30 s.
    private func run(_ arguments: [String], in directory: URL) throws -> (output: String, log: String) {
        let profile = directory.appendingPathComponent("profile-\(UUID().uuidString)")
        let output = directory.appendingPathComponent("chromium.out"), log = directory.appendingPathComponent("chromium.log")
        for file in [output, log] {
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
            }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.chromium)
        // No sandbox: tests run as root, where Chromium's sandbox refuses to start.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--user-data-dir=\(profile.path)"] + arguments
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (try String(contentsOf: output, encoding: .utf8), try String(contentsOf: log, encoding: .utf8))
    }
}
