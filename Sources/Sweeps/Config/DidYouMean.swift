/// Suggestions for misspelled names: the closest known name by edit distance, for messages
/// like "unknown key 'learnig_rate'; did you mean 'learning_rate'?".
public enum DidYouMean {
    /// The candidate closest to `word`, or nil when none is close enough to be a likely typo.
    ///
    /// Comparison ignores case and treats `-` and `_` alike. A candidate qualifies when its
    /// distance is at most a third of the longer name (and at least 1); ties go to the
    /// earliest candidate, so pass candidates in a meaningful order.
    public static func suggestion(for word: String, among candidates: some Sequence<String>) -> String? {
        let normalizedWord = normalize(word)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let normalizedCandidate = normalize(candidate)
            let limit = max(1, max(normalizedWord.count, normalizedCandidate.count) / 3)
            let d = distance(normalizedWord, normalizedCandidate)
            if d <= limit, d < best?.distance ?? .max { best = (candidate, d) }
        }
        return best?.candidate
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and
    /// transpositions of adjacent characters each cost 1.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // d[i][j]: distance between a[..<i] and b[..<j], three rows kept.
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }

    private static func normalize(_ name: String) -> String {
        String(name.lowercased().map { $0 == "-" ? "_" : $0 })
    }
}
