# banaudit -- finds banned-vendor software and equipment.  See README.md.
#
#   make            build ./build/banaudit
#   make test       install missing Debian packages, run every test
#   make SAN=1 test the same under AddressSanitizer + UBSan (in build-san/)
#   make TSAN=1 X   X built under ThreadSanitizer (in build-tsan/)
#   make fuzz       each libFuzzer harness of tests/fuzz for FUZZ_SECONDS
#                   (default 60) under ASan + UBSan (clang, in build-fuzz/)
#   make coverage   the suite in build-cov/, then line and branch coverage
#   make mutate     does the suite bite? tests/mutations.txt, each killed
#   make demo       scan the embedded demo estate and write the reports
#   make bench      measure against snmpbulkwalk and braa on loopback
#   make install    PREFIX=/usr/local DESTDIR= (program, data, man page,
#                   bash completion, docs/examples)
#   make deb        a Debian package (debian/) in build/deb/
#   V=1             show the commands

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
DATADIR	?= $(PREFIX)/share/banaudit
MANDIR	?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
EXAMPLESDIR ?= $(PREFIX)/share/doc/banaudit/examples
DESTDIR	?=
PKG_CONFIG ?= pkg-config

ifeq ($(FUZZ),1)
BUILD	?= build-fuzz
CC	 = clang
OPT	?= -O1 -g
SANFLAGS = -fsanitize=address,undefined,fuzzer-no-link \
	   -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else ifeq ($(SAN),1)
BUILD	?= build-san
OPT	?= -O1 -g
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
else ifeq ($(TSAN),1)
# ThreadSanitizer, for the scan's writer thread (run/writer.h): e.g.
# make TSAN=1 build-tsan/tests/test_blockq build-tsan/banaudit
BUILD	?= build-tsan
OPT	?= -O1 -g
SANFLAGS = -fsanitize=thread
else ifeq ($(COV),1)
BUILD	?= build-cov
OPT	?= -O0 -g
SANFLAGS = --coverage
else
BUILD	?= build
OPT	?= -O2 -g
SANFLAGS =
# Invariant assertions (a walk never goes backwards, a host is done
# once) are checked in the SAN, coverage and fuzz builds, not shipped.
NDEBUG	 = -DNDEBUG
endif

# The allocator of the program and the raw walker (tools/snmpcollect):
# mimalloc, whose malloc every library of the process then calls
# (docs/PERFORMANCE.md, "mimalloc": the walk 0.94x its time).  Not in the
# sanitizer, fuzz and coverage builds, whose runtimes bring their own, nor
# in the unit tests (the OOM harness wraps glibc's).  MALLOC_LIBS= builds
# with glibc's malloc (util/heap.h).
ifeq ($(SANFLAGS),)
MALLOC_LIBS ?= -lmimalloc
endif

ifeq ($(V),1)
Q =
else
Q = @
endif

PKGS	 = netsnmp libcurl sqlite3 libxml-2.0 jansson inih libcrypto zlib
# libcurl and libxml2 are loaded when first called (util/lazylib.h): the
# program and the tools link only the rest; the unit tests, which call
# more of both themselves, link everything.
LAZY_PKGS = libcurl libxml-2.0
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lcsv
RUN_LIBS   := $(shell $(PKG_CONFIG) --libs \
	    $(filter-out $(LAZY_PKGS),$(PKGS)) 2>/dev/null) -lcsv

WARN	 = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	   -Wpointer-arith -Wcast-qual -Wsign-compare
CFLAGS	?= $(OPT)
# The layers, from the bottom up (docs/ARCHITECTURE.md; tests/check-layers.sh
# keeps includes going down).
LAYERS	 = util inputs store match collectors netmap reports run cli
# -pthread: a scan stores from a thread of its own (run/writer.h).
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(NDEBUG) $(WARN) \
	   $(CPPFLAGS) $(CFLAGS) $(SANFLAGS) \
	   -DBANAUDIT_DATADIR='"$(DATADIR)"' $(LAYERS:%=-I%) \
	   $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS = -pthread $(LDFLAGS) $(SANFLAGS)

LIB_SRCS := $(filter-out cli/main.c,$(wildcard $(LAYERS:%=%/*.c)))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRCS := $(wildcard tests/tools/*.c)
TOOL_BINS := $(TOOL_SRCS:tests/tools/%.c=$(BUILD)/tools/%)
# tests/fuzz: one harness per fuzz_NAME.c; replay_NAME (gcc, the plain
# driver) for "make check", fuzz_NAME (clang, libFuzzer) for "make fuzz".
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES := $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=%)
REPLAY_BINS := $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay_%)
FUZZ_BINS := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_SECONDS ?= 60

.SECONDARY:

.PHONY: all tools test check unit integration demo bench deps install \
	deb clean format fuzz fuzzers replay coverage mutate

all: $(BUILD)/banaudit

tools: $(TOOL_BINS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# A new database's file image (store/store_int.h): scripts/store_image.c,
# built with store_sql.c's schema and the SQLite the program links, writes
# it as C source.
GEN_OBJS = $(BUILD)/gen/store_image.o

$(BUILD)/gen/store_image_gen: scripts/store_image.c \
	    $(BUILD)/store/store_sql.o
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ \
	    $(shell $(PKG_CONFIG) --libs sqlite3 2>/dev/null)

$(BUILD)/gen/store_image.c: $(BUILD)/gen/store_image_gen
	@$(if $(Q),echo "  GEN     $@")
	$(Q)$< $@.tmp && mv $@.tmp $@

$(BUILD)/gen/store_image.o: $(BUILD)/gen/store_image.c
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libbanaudit.a: $(LIB_OBJS) $(GEN_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/banaudit: $(BUILD)/cli/main.o $(BUILD)/libbanaudit.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(MALLOC_LIBS) $(RUN_LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/libbanaudit.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LINK_MALLOC) $(PKG_LIBS) -lcmocka

# The test_oom_*.c binaries make the project's own allocations fail on
# demand: each is linked with the harness tests/unit/oom.c (oom.h) and
# the malloc family wrapped at link time, in those binaries only.  One
# binary per area (test_oom_store, test_oom_collect, test_oom_report...),
# all on the one harness.
OOM_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc \
	   -Wl,--wrap=reallocarray,--wrap=strdup,--wrap=strndup
$(BUILD)/tests/test_oom%: $(BUILD)/tests/unit/test_oom%.o \
	    $(BUILD)/tests/unit/oom.o $(BUILD)/libbanaudit.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) $(OOM_WRAP) -o $@ $^ $(PKG_LIBS) -lcmocka

$(BUILD)/fuzz/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o \
	    $(BUILD)/tests/fuzz/driver.o $(BUILD)/tests/fuzz/tmpfile.o \
	    $(BUILD)/libbanaudit.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/fuzz/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o \
	    $(BUILD)/tests/fuzz/tmpfile.o $(BUILD)/libbanaudit.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS)

$(BUILD)/tools/%: $(BUILD)/tests/tools/%.o $(BUILD)/libbanaudit.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LINK_MALLOC) $(RUN_LIBS)

# Linked with the program's allocator: the raw walker, the pipeline's
# yardstick (snmpresp, the peer it is measured against, keeps glibc's),
# and test_heap_malloc, which checks that allocator.
$(BUILD)/tools/snmpcollect $(BUILD)/tests/test_heap_malloc: \
	LINK_MALLOC = $(MALLOC_LIBS)
$(BUILD)/tests/unit/test_heap_malloc.o: ALL_CFLAGS += \
	-DHEAP_EXPECT_MIMALLOC=$(if $(filter -lmimalloc,$(MALLOC_LIBS)),1,0)

# The set-up contract: "make test" and "make demo" first install what is
# missing.  A fresh make is started afterwards so that pkg-config sees the
# newly installed libraries.
deps:
	$(Q)scripts/deps.sh $(DEPS_SET)

test:
	$(Q)$(MAKE) --no-print-directory deps DEPS_SET=test
	$(Q)$(MAKE) --no-print-directory check

check: all tools $(UNIT_BINS) $(REPLAY_BINS)
	$(Q)tests/run-unit.sh $(UNIT_BINS)
	$(Q)tests/fuzz/replay.sh $(BUILD)
	$(Q)tests/integration/run.sh $(BUILD)

unit: $(UNIT_BINS)
	$(Q)tests/run-unit.sh $(UNIT_BINS)

replay: $(REPLAY_BINS)
	$(Q)tests/fuzz/replay.sh $(BUILD)

# The fuzzers are built by a make of their own with FUZZ=1 (clang).
fuzz:
	$(Q)$(MAKE) --no-print-directory deps DEPS_SET=fuzz
	$(Q)$(MAKE) --no-print-directory FUZZ=1 fuzzers
	$(Q)tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

fuzzers: $(FUZZ_BINS)

integration: all tools
	$(Q)tests/integration/run.sh $(BUILD)

# Line and branch coverage of the whole suite, from an unoptimised build
# with gcov counters in build-cov/ (the report: build-cov/coverage.html).
# The tests' own sources are not counted.  A failing test is said, and the
# numbers are still printed.  build-cov/deb/ is left out: t_install's
# "make deb" compiles the sources a second time there (dpkg-buildflags'
# -O2, its file-prefix-map naming them as ours), and counting that copy
# would merge an optimised build's lines and branches, which the package's
# own few checks run, into the suite's figures.
coverage:
	$(Q)$(MAKE) --no-print-directory deps DEPS_SET=coverage
	$(Q)find build-cov -name '*.gcda' -delete 2>/dev/null || true
	$(Q)$(MAKE) --no-print-directory COV=1 check || \
		echo "coverage: the suite failed; the numbers cover what ran"
	$(Q)gcovr --root . --object-directory build-cov --exclude 'tests/' \
		--exclude-directories '(.*/)?build-cov/deb(/|$$)' \
		--html-details build-cov/coverage.html --print-summary

# Mutation testing (scripts/mutate.py): a developer's tool, minutes long,
# not part of make test.  ONLY=name[,name...] runs some of the list.
mutate:
	$(Q)$(MAKE) --no-print-directory deps DEPS_SET=test
	$(Q)$(MAKE) --no-print-directory all tools
	$(Q)python3 scripts/mutate.py $(if $(ONLY),--only $(ONLY))

demo:
	$(Q)$(MAKE) --no-print-directory deps DEPS_SET=demo
	$(Q)$(MAKE) --no-print-directory all tools
	$(Q)demo/run.sh $(BUILD)

bench:
	$(Q)$(MAKE) --no-print-directory deps DEPS_SET=bench
	$(Q)$(MAKE) --no-print-directory all tools $(BUILD)/tests/test_match
	$(Q)bench/run.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/rules \
		$(DESTDIR)$(DATADIR)/sectors $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(COMPLETIONDIR) $(DESTDIR)$(EXAMPLESDIR)
	install -m 0755 $(BUILD)/banaudit $(DESTDIR)$(BINDIR)/banaudit
	install -m 0644 rules/VERSION rules/*.csv $(DESTDIR)$(DATADIR)/rules/
	install -m 0644 sectors/*.ini $(DESTDIR)$(DATADIR)/sectors/
	install -m 0644 docs/banaudit.1 $(DESTDIR)$(MANDIR)/man1/banaudit.1
	install -m 0644 docs/completion/banaudit.bash \
		$(DESTDIR)$(COMPLETIONDIR)/banaudit
	install -m 0644 docs/examples/* $(DESTDIR)$(EXAMPLESDIR)/

# A Debian package from debian/: the tree is copied into $(BUILD)/deb/ so
# that dpkg-buildpackage writes its files there, not beside the checkout.
DEB_SRC = $(BUILD)/deb/banaudit-$(VERSION)
# Compile jobs of the package build (dpkg-buildpackage -j): the package is
# built from scratch, and t_install.sh builds it in every make test.
DEB_JOBS ?= 2
VERSION := $(shell sed -n 's/.*BANAUDIT_VERSION "\(.*\)"/\1/p' util/util.h)

deb:
	$(Q)rm -rf $(BUILD)/deb && mkdir -p $(DEB_SRC)
	$(Q)tar -cf - --exclude=./build --exclude='./build-*' --exclude=./.git \
		--exclude=./demo/out . | tar -xf - -C $(DEB_SRC)
	$(Q)cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b -j$(DEB_JOBS)
	@ls $(BUILD)/deb/*.deb

format:
	clang-format -i $(LAYERS:%=%/*.[ch]) tests/unit/*.c tests/tools/*.c

clean:
	rm -rf build build-san build-fuzz build-cov build-tsan

-include $(LIB_OBJS:.o=.d) $(GEN_OBJS:.o=.d) $(BUILD)/cli/main.d \
	$(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%.d) \
	$(TOOL_SRCS:tests/tools/%.c=$(BUILD)/tests/tools/%.d) \
	$(FUZZ_SRCS:%.c=$(BUILD)/%.d) $(BUILD)/tests/fuzz/driver.d \
	$(BUILD)/tests/fuzz/tmpfile.d
