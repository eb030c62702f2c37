import Foundation
@testable import Reports
import Sweeps
import TestSupport
import Testing

/// `vanish report`'s HTML report, made from a real (tiny) sweep: its content, its links, its
/// atomic replacement and its determinism. The browser test is in HTMLReportBrowserTests.
@Suite("HTML report")
struct HTMLReportTests {
    /// 8 runs of a fraction of a second, with hidden states, two variants, two lengths.
    static let config = """
        name: browse
        seeds: 2
        model: {hidden_size: 6}
        task: {name: recall, sequence_length: 4, classes: 2}
        training: {iterations: 20, eval_interval: 10, eval_size: 16, batch_size: 8}
        probes: {batch_size: 4, gradient_steps: [0, 20], hidden_states: true}
        sweep:
          sequence_length: [4, 6]
        variants:
          tanh: {}
          irnn: {nonlinearity: relu, init: eye}
        """

    /// A store of the config's runs under `root`, one of them damaged (corrupt); its
    /// experiment directory and the damaged run's id.
    static func makeStore(_ root: URL) throws -> (directory: URL, corrupt: String) {
        let experiment = try ExperimentConfig.parse(config, path: "browse.yaml")
        let store = RunStore(root: root)
        try SweepPlan(experiment: experiment.name, runs: experiment.runs, shardCount: 2).write(into: store)
        _ = SweepRunner(store: store, jobs: 2, showsProgress: false).run(experiment.runs)
        let corrupt = experiment.runs[3].id
        try Data("damaged".utf8).write(to: store.directory(for: experiment.runs[3]).appendingPathComponent("metrics.csv"))
        return (root.appendingPathComponent(experiment.name), corrupt)
    }

    @Test("escaping leaves no markup in text or attributes")
    func escaping() {
        #expect(HTML.escape("<script>alert('x')</script> & \"q\"") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
        #expect(HTML.href("../a b/c#d.npy") == "../a%20b/c%23d.npy")
    }

    @Test("relative paths between directories")
    func relativePaths() {
        #expect(RelativePath.from(URL(fileURLWithPath: "/a/b/report/runs"), to: URL(fileURLWithPath: "/a/b")) == "../..")
        #expect(RelativePath.from(URL(fileURLWithPath: "/x/out/runs"), to: URL(fileURLWithPath: "/a/b/run1")) == "../../../a/b/run1")
    }

    @Test("the index has the config, the status, the figures with alt text and a row per run; corrupt runs are listed")
    func index() throws {
        let root = try makeTemporaryDirectory("report-index")
        defer { try? FileManager.default.removeItem(at: root) }
        let (directory, corrupt) = try Self.makeStore(root)
        let outcome = try HTMLReport.write(experimentDirectory: directory, formats: [.pdf], command: "test", jobs: 2)
        #expect(outcome.index == directory.appendingPathComponent("report/index.html"))
        #expect(outcome.runPages == 7 && outcome.unreadable?.contains(corrupt) == true)
        let html = try String(contentsOf: outcome.index, encoding: .utf8)
        let body = try #require(html.components(separatedBy: "<tbody>\n").last?.components(separatedBy: "</tbody>").first)
        #expect(body.components(separatedBy: "<tr>").count - 1 == 8, "one row per planned run")
        #expect(html.contains("data-runs=\"8\""))
        #expect(html.contains("\(corrupt): corrupt"), "the corrupt run is listed")
        #expect(html.contains("<th scope=\"col\" data-column=\"final_loss_over_baseline\""))
        for name in ["gradient_decay", "success_vs_length", "training_curves"] {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("report/figures/\(name).svg").path))
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("report/figures/\(name).pdf").path))
        }
        #expect(!html.contains("alt=\"\""), "every figure has alt text")
        #expect(html.contains("per step at init") && html.contains("T = 6: "), "alt text states the key numbers")
        #expect(html.contains("sequence_length") && html.contains("irnn"), "the grid and the variants")
        #expect(html.contains("<meta name=\"generator\" content=\"vanish \(ToolVersion.current)\">"))
        #expect(!html.contains("http://") && !html.contains("https://"), "nothing from the network")
        let svg = try String(contentsOf: directory.appendingPathComponent("report/figures/gradient_decay.svg"), encoding: .utf8)
        #expect(svg.contains("<metadata>Software: vanish \(ToolVersion.current)"))
        // The store's reading leaves the report directory out: it is not a run.
        #expect(try StoreStatus(directory: directory).counts.values.map(\.corrupt).reduce(0, +) == 1)
    }

    @Test("a run page links to the run's files, from the default place and from --out elsewhere")
    func runPageLinks() throws {
        let root = try makeTemporaryDirectory("report-links")
        defer { try? FileManager.default.removeItem(at: root) }
        let (directory, _) = try Self.makeStore(root.appendingPathComponent("store"))
        for output in [nil, root.appendingPathComponent("elsewhere/deeper/report")] {
            let outcome = try HTMLReport.write(experimentDirectory: directory, to: output, command: "test", jobs: 2)
            let runs = outcome.index.deletingLastPathComponent().appendingPathComponent("runs")
            let page = try #require(try FileManager.default.contentsOfDirectory(atPath: runs.path).sorted().first { $0.hasSuffix(".html") })
            let html = try String(contentsOf: runs.appendingPathComponent(page), encoding: .utf8)
            let links = html.components(separatedBy: "href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            let npy = links.filter { $0.hasSuffix(".npy") }
            #expect(npy.count >= 4, "\(links)")
            for link in links where !link.hasPrefix("#") {
                let target = runs.appendingPathComponent(link.removingPercentEncoding!).standardizedFileURL
                #expect(FileManager.default.fileExists(atPath: target.path), "\(link) from \(page)")
            }
            #expect(html.contains("<img src=\"") && html.contains("alt=\"Training curve: "))
            #expect(html.contains("Hidden states at iteration 20"))
        }
    }

    @Test("a report is deterministic whatever the threads, and replaces an earlier one whole")
    func deterministic() throws {
        let root = try makeTemporaryDirectory("report-determinism")
        defer { try? FileManager.default.removeItem(at: root) }
        let (directory, _) = try Self.makeStore(root)
        let output = root.appendingPathComponent("out")
        _ = try HTMLReport.write(experimentDirectory: directory, to: output, command: "test", jobs: 1)
        let first = try contents(output)
        _ = try HTMLReport.write(experimentDirectory: directory, to: output, command: "test", jobs: 4)
        #expect(try contents(output) == first)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".out.") }.isEmpty,
                "no staging or retired directory is left")
    }

    @Test("a directory that is not an experiment's is refused and nothing is written")
    func notAnExperiment() throws {
        let root = try makeTemporaryDirectory("report-refused")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("notes/sub"), withIntermediateDirectories: true)
        #expect(throws: AnalysisError.self) {
            _ = try HTMLReport.write(experimentDirectory: root.appendingPathComponent("notes"), command: "test")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("notes").path) == ["sub"])
    }

    private func contents(_ directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator where !url.hasDirectoryPath {
            files[url.path.replacingOccurrences(of: directory.path, with: "")] = try Data(contentsOf: url)
        }
        return files
    }
}
