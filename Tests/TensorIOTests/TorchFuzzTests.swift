import AtomicIO
import Foundation
import Recurrence
@testable import TensorIO
import TestSupport
import Testing

/// Mutated torch checkpoints, with deterministic seeds: whatever the bytes, reading gives a
/// checkpoint or a one-line `FileFormatError` for the file — never a trap, a hang or another error.
@Suite("IOTests: TorchCheckpoint fuzzing")
struct TorchFuzzTests {
    /// Checkpoints whose pickles between them use every opcode torch writes: memo references,
    /// an optimizer's nested dicts, lists, floats and None, views, parameters, protocol 4's frames.
    static let seeds = ["training_checkpoint.pt", "views.pt", "parameters.pt", "protocol4.pt", "rnn_bfloat16.pt"]

    @Test("pickles with bytes flipped, inserted, deleted and copied, in archives with valid CRC-32s", .timeLimit(.minutes(2)))
    func mutatedPickles() throws {
        var generator = SeededGenerator(seed: 11)
        var outcomes = Outcomes()
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for seed in Self.seeds {
                let (pickle, storages) = try Self.entries(of: seed)
                for _ in 0..<600 {
                    var mutated = pickle
                    for _ in 0..<Int.random(in: 1...3, using: &generator) {
                        Self.mutate(&mutated, in: 0..<mutated.count, using: &generator)
                    }
                    outcomes.record(StoredZip.torch(pickle: mutated, storages: storages).bytes)
                }
            }
        }
        print("fuzz: \(outcomes.count) mutated pickles in \(elapsed): \(outcomes.decoded) read, \(outcomes.refused) refused")
        #expect(outcomes.decoded > 0 && outcomes.refused > outcomes.count / 2)
    }

    @Test("archives mutated in their zip records, anywhere, and cut at every fifth length", .timeLimit(.minutes(2)))
    func mutatedArchives() throws {
        var generator = SeededGenerator(seed: 12)
        var outcomes = Outcomes()
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for seed in ["rnn_state_dict.pt", "training_checkpoint.pt", "no_crc32.pt"] {
                let original = [UInt8](try Data(contentsOf: fixtureURL("torch/" + seed)))
                let records = Self.zipRecords(of: original)
                for round in 0..<700 {
                    var mutated = original
                    for _ in 0..<Int.random(in: 1...3, using: &generator) {
                        // Mostly the zip's own records; a fifth of the time anywhere.
                        let region = round % 5 == 0 ? 0..<mutated.count : records.randomElement(using: &generator)!.clamped(to: 0..<mutated.count)
                        Self.mutate(&mutated, in: region.isEmpty ? 0..<mutated.count : region, using: &generator)
                    }
                    outcomes.record(mutated)
                }
            }
            let whole = [UInt8](try Data(contentsOf: fixtureURL("torch/rnn_state_dict.pt")))
            for length in stride(from: 0, to: whole.count, by: 5) {
                outcomes.record(Array(whole[..<length]))
            }
            outcomes.record(whole)
        }
        print("fuzz: \(outcomes.count) mutated and cut archives in \(elapsed): \(outcomes.decoded) read, \(outcomes.refused) refused")
        #expect(outcomes.decoded > 0 && outcomes.refused > outcomes.count / 2)
    }

    // MARK: Helpers

    /// Counts what reading gave, checking that every refusal is one line about the file.
    struct Outcomes {
        var decoded = 0
        var refused = 0
        var count: Int { decoded + refused }

        mutating func record(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                _ = try TorchCheckpoint.decode(Data(bytes), path: "fuzz.pt")
                decoded += 1
            } catch {
                #expect(error.path == "fuzz.pt", sourceLocation: sourceLocation)
                #expect(!error.problem.contains("\n") && !error.problem.isEmpty, "\(error.problem)", sourceLocation: sourceLocation)
                refused += 1
            }
        }
    }

    /// A checkpoint's pickle and storages, to rebuild archives around mutated pickles.
    static func entries(of name: String) throws -> (pickle: [UInt8], storages: [(key: String, bytes: [UInt8])]) {
        let url = fixtureURL("torch/" + name)
        let archive = try TorchArchive(data: try Data(contentsOf: url), path: url.path)
        var storages: [(key: String, bytes: [UInt8])] = []
        while let bytes = try archive.read("data/\(storages.count)", limit: .max) {
            storages.append(("\(storages.count)", bytes))
        }
        return (try #require(try archive.read("data.pkl", limit: .max)), storages)
    }

    /// The byte ranges of a torch archive's zip records: each local header, and everything from
    /// the central directory on.
    static func zipRecords(of archive: [UInt8]) -> [Range<Int>] {
        func u16(_ at: Int) -> Int { Int(archive[at]) | Int(archive[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        let end = archive.count - 22
        let directory = u32(end + 16)
        var ranges = [directory..<archive.count]
        var position = directory
        for _ in 0..<u16(end + 10) {
            let local = u32(position + 42)
            ranges.append(local..<local + 30 + u16(local + 26) + u16(local + 28))
            position += 46 + u16(position + 28) + u16(position + 30) + u16(position + 32)
        }
        return ranges
    }

    /// Bytes that mean something to a pickle or a zip: opcodes, signatures' bytes, extremes.
    static let interestingBytes: [UInt8] = Array("}])(XqhjcRbQu.tseaKJMN".utf8) + [0x80, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x93, 0x94, 0x95, 0x00, 0x01, 0x02, 0x50, 0x4B, 0x7F, 0xFE, 0xFF]

    /// One random change inside `region`: a byte set, bytes inserted, deleted or copied, or a
    /// 32-bit field set to an extreme.
    static func mutate(_ bytes: inout [UInt8], in region: Range<Int>, using generator: inout SeededGenerator) {
        guard !region.isEmpty else { return }
        let at = Int.random(in: region, using: &generator)
        switch generator.next() % 6 {
        case 0, 1:
            bytes[at] = generator.next() % 2 == 0 ? interestingBytes.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
        case 2:
            bytes.insert(contentsOf: (0..<Int.random(in: 1...4, using: &generator)).map { _ in interestingBytes.randomElement(using: &generator)! }, at: at)
        case 3:
            bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &generator)))
        case 4:
            let source = Int.random(in: 0..<bytes.count, using: &generator)
            bytes.insert(contentsOf: bytes[source..<min(bytes.count, source + Int.random(in: 1...16, using: &generator))], at: at)
        default:
            let field: [UInt8] = [[0xFF, 0xFF, 0xFF, 0xFF], [0x00, 0x00, 0x00, 0x80], [0, 0, 0, 0]].randomElement(using: &generator)!
            let end = min(bytes.count, at + 4)
            bytes.replaceSubrange(at..<end, with: field[..<(end - at)])
        }
    }
}
