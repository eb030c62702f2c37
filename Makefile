# vanish — one entry point for a fresh machine.
#   make reproduce run the default suite (experiments/reproduce) → figures/*.png and figures/REPORT.md
#   make check-figures  rerun the default suite and compare every number and pixel with figures/
#   make example   analyse the small PyTorch model shipped in examples/
#   make test      install what is missing (chromium too, for the report's browser test), check the module graph, build, run every test (the PyTorch
#                  examples after the Swift tests when python3 exists, the Slurm one last)
#   make test-slurm  only the Slurm integration test: a sweep as a job array on a real Slurm
#   make bench     time the engine against PyTorch (PYTHON with torch), and --jobs 1 against all cores
#   make bench-plot  time the renderer against matplotlib (PYTHON with matplotlib)
#   make fixtures  regenerate the PyTorch reference files (needs python with torch, safetensors)
#   make install   the vanish binary into $(PREFIX)/bin (default /usr/local), with bash, zsh and fish completions
#   make uninstall remove what make install put there

export PATH := $(PATH):/opt/swift/usr/bin
SWIFT ?= swift
PYTHON ?= python3
# Debian packages the build links against (OpenBLAS only for the tests and vanish-bench, the
# reference they compare with), and the font figures are set in.
APT_PACKAGES := libopenblas-dev libcairo2-dev libpng-dev fonts-dejavu-core pkg-config
EXAMPLE_OUT ?= out/example
# Debian packages of the Slurm integration test (Tests/Slurm/integration.sh).
SLURM_PACKAGES := slurm-wlm munge
# The browser the HTML report's test opens it in (Tests/ReportsTests/HTMLReportBrowserTests.swift).
BROWSER_PACKAGES := chromium
# The debug build optimizes C (our GEMM and row kernels, which every test runs) from the
# command line: a flag in Package.swift would be an unsafe flag, and packages with those
# cannot be depended on by version.
DEBUG_FLAGS := -Xcc -O2
# It runs the debug build, which `swift build --build-tests` has made.
SLURM_TEST = Tests/Slurm/integration.sh "$$($(SWIFT) build --show-bin-path)/vanish"
# Where make install puts the binary and the completions; DESTDIR stages them for a package.
PREFIX ?= /usr/local
BINDIR = $(DESTDIR)$(PREFIX)/bin
BASH_COMPLETIONS = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSH_COMPLETIONS = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISH_COMPLETIONS = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
COMPLETIONS = .build/completions

.PHONY: all deps slurm-deps browser-deps build release install uninstall test test-slurm reproduce check-figures example bench bench-plot fixtures clean

all: build

# Installs only what is missing, quietly; does nothing when everything is there.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

build: deps
	$(SWIFT) build $(DEBUG_FLAGS)

release: deps
	$(SWIFT) build -c release

# The release binary with the Swift runtime linked in, so that it runs without the toolchain
# it was built with; the completions are what swift-argument-parser generates from the commands.
install: deps
	$(SWIFT) build -c release --product vanish --static-swift-stdlib
	@set -e; bin="$$($(SWIFT) build -c release --show-bin-path)/vanish"; \
	mkdir -p $(COMPLETIONS); \
	"$$bin" --generate-completion-script bash >$(COMPLETIONS)/vanish; \
	"$$bin" --generate-completion-script zsh >$(COMPLETIONS)/_vanish; \
	"$$bin" --generate-completion-script fish >$(COMPLETIONS)/vanish.fish; \
	install -d "$(BINDIR)" "$(BASH_COMPLETIONS)" "$(ZSH_COMPLETIONS)" "$(FISH_COMPLETIONS)"; \
	install -m 755 "$$bin" "$(BINDIR)/vanish"; \
	install -m 644 $(COMPLETIONS)/vanish "$(BASH_COMPLETIONS)/vanish"; \
	install -m 644 $(COMPLETIONS)/_vanish "$(ZSH_COMPLETIONS)/_vanish"; \
	install -m 644 $(COMPLETIONS)/vanish.fish "$(FISH_COMPLETIONS)/vanish.fish"; \
	echo "installed $(BINDIR)/vanish, and completions for bash, zsh and fish under $(DESTDIR)$(PREFIX)/share"

uninstall:
	rm -f "$(BINDIR)/vanish" "$(BASH_COMPLETIONS)/vanish" "$(ZSH_COMPLETIONS)/_vanish" "$(FISH_COMPLETIONS)/vanish.fish"

test: deps slurm-deps browser-deps
	scripts/check-module-graph.sh $(SWIFT)
	$(SWIFT) build --build-tests $(DEBUG_FLAGS)
	$(SWIFT) test --skip-build
	@if command -v $(PYTHON) >/dev/null; then PYTHON=$(PYTHON) examples/pytorch/test_examples.sh "$$($(SWIFT) build --show-bin-path)/vanish"; fi
	$(SLURM_TEST)

test-slurm: deps slurm-deps
	$(SWIFT) build --product vanish $(DEBUG_FLAGS)
	$(SLURM_TEST)

# Slurm and munge, the same way as deps, where apt-get can run (root); elsewhere the test
# says why it skips.
slurm-deps:
	@missing=$$(for p in $(SLURM_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Chromium, the same way, but required: without it the browser test fails (it does not skip),
# so a machine where apt-get cannot install it says so here first.
browser-deps:
	@missing=$$(for p in $(BROWSER_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
				|| echo "make: could not install $$missing; the HTML report's browser test will fail" >&2; \
		else \
			echo "make: $$missing is missing and apt-get cannot run here (not root); the HTML report's browser test will fail" >&2; \
		fi; \
	fi

# The binary is run directly: `swift run` would hold the build lock for the whole run.
reproduce: release
	"$$($(SWIFT) build -c release --show-bin-path)/vanish" reproduce --store runs/reproduce --out figures

# Reruns the default suite in a fresh store and compares it with the committed figures/.
check-figures: release
	"$$($(SWIFT) build -c release --show-bin-path)/vanish" reproduce --check figures

example: release
	"$$($(SWIFT) build -c release --show-bin-path)/vanish" analyze examples/rnn_tanh_h64.safetensors examples/input_T200.npy --out $(EXAMPLE_OUT)

bench: deps
	bench/rnn.sh $(PYTHON)
	bench/sweep.sh

bench-plot: deps
	bench/plot.sh $(PYTHON)

fixtures:
	$(PYTHON) Tests/Fixtures/make_fixtures.py

clean:
	rm -rf .build
