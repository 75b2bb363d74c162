# aegish — build, test, bench, install. GNU make.
#
#   make [build]        release build of the shell into bin/aegish (LINK=static-pie by default)
#   make test           build, swift test, C shim tests, then every tests/*/run
#   make test-c         the CSys C tests only (tests/csys/*.c)
#   make bench          bench/run: aegish vs bash vs dash (markdown table for docs/BENCHMARKS.md)
#   make corpus         tests/corpus/parse-rate over ../shared/corpora (not part of make test)
#   make demo           a short demonstration
#   make install        PREFIX=/usr/local DESTDIR= : binaries, man pages, bash completion for aegishctl
#                       (as root: the aegish group, setgid, and the log, limit-state and policy-cache
#                       directories); SHELLS=1 also adds aegish to /etc/shells
#   make clean
#
# LINK selects how bin/aegish is linked (startup measured in docs/BENCHMARKS.md). The default is
# `static`: once the policy layer links Foundation (through TOMLKit), a static-pie binary spends
# ~0.6 ms at every start relocating it (365 vs 109 page faults), which would make every agent
# command slower than bash. The cost is no ASLR for the main image; Swift's memory safety is the
# main defence there. `make LINK=static-pie` builds the ASLR variant.
#   static-pie     fully static AND position-independent (ASLR for the main image). Needs lld
#                  (shipped with the Swift toolchain; gold cannot) and no $ORIGIN rpath (a
#                  DT_RUNPATH makes glibc's static-pie self-relocation assert at startup).
#   static         fully static, fixed load address (no ASLR for the main image), ~0.1 ms faster.
#   static-stdlib  Swift runtime static, glibc dynamic.
#   dynamic        plain `swift build`.
# EXTRA_LINK is appended to the swift build command line (e.g. -Xlinker -lfoo).

SHELL := bash
.SHELLFLAGS := -o pipefail -c
.DEFAULT_GOAL := build

SWIFT_BIN := $(or $(shell command -v swift 2>/dev/null),/opt/swift/usr/bin/swift)
SWIFT ?= $(SWIFT_BIN)
CC ?= cc
PREFIX ?= /usr/local
DESTDIR ?=
LINK ?= static
EXTRA_LINK ?=

# The static links use lld and place the functions a start runs together (the list is
# tools/order/aegish.order; `make order` regenerates it).
ORDER_FLAGS := -Xswiftc -use-ld=lld -Xlinker --symbol-ordering-file=$(CURDIR)/tools/order/aegish.order \
               -Xlinker --no-warn-symbol-ordering
ifeq ($(LINK),static-pie)
  LINK_FLAGS := -Xswiftc -static-executable $(ORDER_FLAGS) \
                -Xswiftc -Xclang-linker -Xswiftc -static-pie --disable-local-rpath \
                -Xlinker -z -Xlinker pack-relative-relocs
  STATIC := 1
else ifeq ($(LINK),static)
  LINK_FLAGS := -Xswiftc -static-executable $(ORDER_FLAGS)
  STATIC := 1
else ifeq ($(LINK),static-stdlib)
  LINK_FLAGS := --static-swift-stdlib
else ifeq ($(LINK),dynamic)
  LINK_FLAGS :=
else
  $(error LINK must be static-pie, static, static-stdlib or dynamic)
endif

# libedit's static archive needs these when linked fully static; added automatically once the
# package declares the CEdit system library.
ifdef STATIC
  ifneq ($(shell grep -s -l CEdit Package.swift),)
    LINK_FLAGS += -Xlinker -ltinfo -Xlinker -lbsd -Xlinker -lmd
  endif
endif

BUILD_CMD := $(SWIFT) build -c release --product aegish $(LINK_FLAGS) $(EXTRA_LINK)
AEGISH := $(CURDIR)/bin/aegish
CSYS_SRC := $(wildcard Sources/CSys/*.c) Sources/CSys/include/csys.h Sources/CSys/internal.h
CTEST_DIR := .build/csys-test
LOG_DIR := .build/test-logs

.PHONY: all build test test-swift test-c bench corpus demo install uninstall clean order

all: build

build:
	@# libswiftCore's dlopen-in-static-binary linker warning is expected and filtered out.
	@echo "$(BUILD_CMD)"
	@$(BUILD_CMD) 2>&1 | { grep -v "Using 'dlopen' in statically linked" || true; }
	@mkdir -p bin
	@# aegishctl: the management tool, same link mode (one build folder for both).
	@$(SWIFT) build -c release --product aegishctl $(LINK_FLAGS) $(EXTRA_LINK) 2>&1 | \
	  { grep -v "Using 'dlopen' in statically linked" || true; } | { grep -E "error|warning: unre" || true; }
	@# aegish-toml: the shell's TOML parser process (the shell itself links no Foundation).
	@$(SWIFT) build -c release --product aegish-toml $(LINK_FLAGS) $(EXTRA_LINK) 2>&1 | \
	  { grep -v "Using 'dlopen' in statically linked" || true; } | { grep -E "error|warning: unre" || true; }
	@mkdir -p libexec/aegish
	@bin_path=$$($(SWIFT) build -c release $(LINK_FLAGS) --show-bin-path) && \
	  cp -f "$$bin_path/aegish" bin/aegish.tmp && mv -f bin/aegish.tmp bin/aegish && \
	  cp -f "$$bin_path/aegishctl" bin/aegishctl.tmp && mv -f bin/aegishctl.tmp bin/aegishctl && \
	  cp -f "$$bin_path/aegish-toml" libexec/aegish/aegish-toml.tmp && \
	  mv -f libexec/aegish/aegish-toml.tmp libexec/aegish/aegish-toml
	@# Foundation in the shell would cost every start ~0.3 ms (Package.swift): refuse the build.
	@if nm bin/aegish 2>/dev/null | grep -q '10Foundation\|FoundationEssentials'; then \
	  echo "bin/aegish links Foundation (through: $$(nm bin/aegish | grep -o '[0-9]*Foundation[A-Za-z]*' | sort -u | head -3 | tr '\n' ' ')); keep it out of the shell's modules" >&2; \
	  rm -f bin/aegish; exit 1; fi
	@echo "bin/aegish: $$(file -b bin/aegish | cut -d, -f1-2,4) [LINK=$(LINK)]"

# --- tests ---------------------------------------------------------------------------------------
# Every part runs even if an earlier one failed; the summary lists them all; any failure fails.

test: build
	@mkdir -p $(LOG_DIR); failed=0; summary=(); failures=(); \
	run_part() { \
	  local name=$$1 log=$(LOG_DIR)/$$(echo "$$1" | tr '/ ' '__').log; shift; \
	  echo "== $$name"; \
	  if "$$@" >"$$log" 2>&1; then status=PASS; else status=FAIL; failed=1; fi; \
	  line=$$(grep -E "Executed [0-9]+ tests?|Test run with|[0-9]+ passed|passed, [0-9]+ failed|^(PASS|FAIL|ok|summary)" "$$log" | tail -n 2 | tr '\n\t' '  ' | tr -s ' '); \
	  [ -n "$$line" ] || line=$$(tail -n 1 "$$log"); \
	  if [ $$status = FAIL ]; then echo "-- last lines of $$log:"; tail -n 60 "$$log"; fi; \
	  summary+=("$$status  $$name: $$line"); \
	  [ $$status = PASS ] || failures+=("$$(grep -E ': error: |^FAIL|: FAIL' "$$log" | head -n 15)"); \
	}; \
	run_part "swift test" $(MAKE) --no-print-directory test-swift; \
	run_part "csys C tests" $(MAKE) --no-print-directory test-c; \
	for r in tests/*/run; do \
	  [ -f "$$r" ] && [ -x "$$r" ] || continue; \
	  run_part "$$r" env AEGISH=$(AEGISH) AEGISH_ARGS=--unrestricted "$$r"; \
	done; \
	echo; echo "== summary"; printf '%s\n' "$${summary[@]}"; \
	[ $$failed = 0 ] || { echo "== what failed (first lines per part)"; printf '%s\n' "$${failures[@]}"; }; \
	exit $$failed

# XCTest's closing line is required: a failing test, or a test process that ends early (a crash,
# an exec that replaced it), must fail this part even where `swift test` itself exits 0 (seen).
test-swift:
	@mkdir -p $(LOG_DIR); $(SWIFT) test 2>&1 | tee $(LOG_DIR)/swift-test.raw; st=$$?; \
	  grep -q "Test Suite 'All tests' passed" $(LOG_DIR)/swift-test.raw || \
	  { echo "FAIL: XCTest did not report \"Test Suite 'All tests' passed\" (a failing test, a crash, or an exec that replaced the test process)"; exit 1; }; \
	  exit $$st

# The C shims are compiled straight from Sources/CSys into a test program, once per spawn
# strategy (default clone+vfork, and plain fork), and the fork strategy once more with ASan+UBSan
# when the compiler supports it (ASan cannot follow clone() onto a private stack).
test-c: $(CTEST_DIR)/test_csys $(CTEST_DIR)/test_csys_fork
	@$(CTEST_DIR)/test_csys | sed 's/^/clone: /'
	@$(CTEST_DIR)/test_csys_fork | sed 's/^/fork:  /'
	@if $(CC) $(CTEST_FLAGS) $(SANITIZE) -DCSYS_SPAWN_FORK $(filter %.c,$(CTEST_DEPS)) \
	     -o $(CTEST_DIR)/test_csys_asan 2>$(CTEST_DIR)/asan-build.log; then \
	  ASAN_OPTIONS=detect_leaks=0 $(CTEST_DIR)/test_csys_asan | sed 's/^/asan:  /'; \
	else echo "asan:  skipped ($(CC) cannot build with $(SANITIZE))"; fi

CTEST_FLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -ISources/CSys/include -ISources/CSys
CTEST_DEPS := $(wildcard tests/csys/*.c tests/csys/*.h) $(CSYS_SRC)
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=undefined

$(CTEST_DIR)/test_csys: $(CTEST_DEPS)
	@mkdir -p $(CTEST_DIR)
	$(CC) $(CTEST_FLAGS) $(filter %.c,$^) -o $@

$(CTEST_DIR)/test_csys_fork: $(CTEST_DEPS)
	@mkdir -p $(CTEST_DIR)
	$(CC) $(CTEST_FLAGS) -DCSYS_SPAWN_FORK $(filter %.c,$^) -o $@

# --- benchmarks and corpora ----------------------------------------------------------------------

bench: build
	AEGISH=$(AEGISH) python3 bench/run

# Regenerates tools/order/aegish.order (the link order of the functions a start runs) by tracing
# typical starts of bin/aegish; several minutes. Rebuild afterwards to use it.
order: build
	python3 tools/order/generate

corpus: build
	AEGISH=$(AEGISH) python3 tests/corpus/parse-rate

demo: build
	@AEGISH=$(AEGISH) demo/run

# --- install -------------------------------------------------------------------------------------

install:
	@test -x bin/aegish || { echo "bin/aegish missing: run make first" >&2; exit 1; }
	install -D -m 0755 bin/aegish $(DESTDIR)$(PREFIX)/bin/aegish
	install -D -m 0755 bin/aegishctl $(DESTDIR)$(PREFIX)/bin/aegishctl
	install -D -m 0755 libexec/aegish/aegish-toml $(DESTDIR)$(PREFIX)/libexec/aegish/aegish-toml
	@# aegishctl's bash completion, generated by the binary itself (zsh, fish: see aegishctl(1)).
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	bin/aegishctl --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/aegishctl
	@# Popular package names for the typosquat check ([scan.packages] popular_dir).
	@for f in data/popular/*.txt; do install -D -m 0644 "$$f" "$(DESTDIR)$(PREFIX)/share/aegish/popular/$${f##*/}"; done
	@for sec in 1 5; do \
	  for page in man/*.$$sec; do \
	    [ -f "$$page" ] || continue; \
	    echo "install -D -m 0644 $$page $(DESTDIR)$(PREFIX)/share/man/man$$sec/$${page##*/}"; \
	    install -D -m 0644 "$$page" "$(DESTDIR)$(PREFIX)/share/man/man$$sec/$${page##*/}"; \
	  done; \
	done
	@# The audit log, the rate-limit state and the compiled-policy cache belong to a group only
	@# aegish holds (setgid), so every user's aegish can write them and nothing it starts can
	@# (see aegish-audit(5), DEPLOYMENT, and aegish(1), POLICY CACHE). The old caches are removed:
	@# they name the previous binary in their key, so none of them would be used again.
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then \
	  getent group aegish >/dev/null || groupadd --system aegish; \
	  chown root:aegish $(PREFIX)/bin/aegish && chmod 2755 $(PREFIX)/bin/aegish; \
	  install -d -o root -g aegish -m 2770 /var/log/aegish /var/lib/aegish/limits /var/lib/aegish/scan /var/cache/aegish; \
	  find /var/cache/aegish -mindepth 1 -delete; \
	  [ -e /var/log/aegish/audit.log ] || install -o root -g aegish -m 0660 /dev/null /var/log/aegish/audit.log; \
	  echo "aegish is setgid aegish; /var/log/aegish, /var/lib/aegish/{limits,scan} and /var/cache/aegish are root:aegish 2770."; \
	else \
	  echo "Not root (or DESTDIR set): create the aegish group and directories as aegish-audit(5) DEPLOYMENT says"; \
	  echo "(and /var/cache/aegish root:aegish 2770 for the compiled-policy cache, aegish(1) POLICY CACHE)."; \
	fi
	@echo "Installed $(DESTDIR)$(PREFIX)/bin/aegish."
	@# A login shell must be listed in /etc/shells (chsh, some sshd and su setups check it).
	@if [ -n "$(SHELLS)" ] && [ "$(SHELLS)" != 0 ]; then \
	  shells=$(DESTDIR)/etc/shells; \
	  if grep -qx '$(PREFIX)/bin/aegish' "$$shells" 2>/dev/null; then echo "$(PREFIX)/bin/aegish is already in $$shells."; \
	  else mkdir -p "$$(dirname "$$shells")"; \
	    if [ -s "$$shells" ] && [ -n "$$(tail -c 1 "$$shells")" ]; then echo >> "$$shells"; fi; \
	    echo '$(PREFIX)/bin/aegish' >> "$$shells" && echo "Added $(PREFIX)/bin/aegish to $$shells."; fi; \
	else \
	  echo "To use it as a login shell (chsh -s), list it in /etc/shells: make install SHELLS=1, or"; \
	  echo "  echo $(PREFIX)/bin/aegish | sudo tee -a /etc/shells"; \
	fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/aegish $(DESTDIR)$(PREFIX)/bin/aegishctl $(DESTDIR)$(PREFIX)/libexec/aegish/aegish-toml
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/aegishctl
	@if grep -qx '$(PREFIX)/bin/aegish' $(DESTDIR)/etc/shells 2>/dev/null; then \
	  echo "$(PREFIX)/bin/aegish is still listed in $(DESTDIR)/etc/shells; remove it once no account uses it."; fi
	rm -rf $(DESTDIR)$(PREFIX)/share/aegish/popular
	@for page in man/*.1 man/*.5; do \
	  [ -f "$$page" ] || continue; sec=$${page##*.}; \
	  rm -f "$(DESTDIR)$(PREFIX)/share/man/man$$sec/$${page##*/}"; \
	done

clean:
	rm -rf .build bin libexec
