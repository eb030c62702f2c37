#!/usr/bin/env bash
# The module graph as the architecture has it (docs/ARCHITECTURE.md), checked against the
# sources: every `import` of a target's Swift files names one of its declared dependencies
# (or a system module), Recurrence and Plot never import each other, and only Reports
# imports both Plot and Sweeps. A module that compiles only because a dependency's
# dependency happens to be built fails here.
#   scripts/check-module-graph.sh [SWIFT]
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${1:-swift}
SYSTEM_MODULES="Foundation Glibc Darwin Dispatch Testing XCTest PackagePlugin"

# One line per target: "<name> <path> <dependency> <dependency> …", from SwiftPM's own
# description of Package.swift.
targets=$("$SWIFT" package describe --type json | awk '
    /^  "targets" : \[/ { in_targets = 1; next }
    !in_targets { next }
    /^    \{/ { name = ""; path = ""; deps = ""; list = 0; next }
    /^      "name" : / { name = $3; gsub(/[",]/, "", name); next }
    /^      "path" : / { path = $3; gsub(/[",]/, "", path); next }
    /^      "(product|target)_dependencies" : \[/ { list = 1; next }
    list && /^      \]/ { list = 0; next }
    list { dep = $1; gsub(/[",]/, "", dep); deps = deps " " dep; next }
    /^    \}/ { if (path != "") print name, path deps }
')
[ -n "$targets" ] || { echo "check-module-graph: could not read the targets from swift package describe" >&2; exit 1; }

failures=0
imports_of() { { grep -hoE '^(@testable )?import [A-Za-z_]+' -r "$1" --include='*.swift' || true; } | awk '{print $NF}' | sort -u; }
while read -r name path deps; do
    [ -d "$path" ] || continue
    for module in $(imports_of "$path"); do
        case " $deps $SYSTEM_MODULES $name " in
            *" $module "*) ;;
            *) echo "check-module-graph: $path imports $module, which $name does not declare in Package.swift" >&2
               failures=$((failures + 1)) ;;
        esac
    done
    imports=" $(imports_of "$path" | tr '\n' ' ') "
    case "$name" in Recurrence|Plot)
        other=$([ "$name" = Recurrence ] && echo Plot || echo Recurrence)
        if [[ $imports == *" $other "* ]]; then
            echo "check-module-graph: $name imports $other; the engine and the renderer stay apart" >&2
            failures=$((failures + 1))
        fi
    esac
    if [[ $path == Sources/* && $name != Reports && $imports == *" Plot "* && $imports == *" Sweeps "* ]]; then
        echo "check-module-graph: $name imports both Plot and Sweeps; only Reports may" >&2
        failures=$((failures + 1))
    fi
done <<<"$targets"
[ "$failures" -eq 0 ] || exit 1
echo "module graph: every import declared, Recurrence and Plot apart, only Reports joins Plot and Sweeps ($(wc -l <<<"$targets") targets)"
