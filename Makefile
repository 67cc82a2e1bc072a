# Thin over SwiftPM and the `course` tool. `make` regenerates everything into Output/,
# `make test` runs the test suite. Both install missing system packages first (as root).
SWIFT     ?= swift
CONFIG    ?= release
BUILD      = $(SWIFT) build -c $(CONFIG)
COURSE     = .build/$(CONFIG)/course
APT_PKGS   = pkg-config libopenblas-dev libcairo2-dev libpango1.0-dev libpng-dev libturbojpeg0-dev \
             zlib1g-dev fonts-noto-cjk fonts-dejavu-core poppler-utils dataset-fashion-mnist bubblewrap
export OPENBLAS_NUM_THREADS ?= 2

.PHONY: all deps build test quick paper lessons handouts figures book gallery bench record lesson grade clean

all: deps build
	$(COURSE) make

deps:
	@missing=""; for p in $(APT_PKGS); do \
	  if dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed"; then \
	    printf '  \342\234\223 %s\n' $$p; else printf '  \342\234\227 %s\n' $$p; missing="$$missing $$p"; fi; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "missing system packages; install them with:"; echo "  sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

build: deps
	$(BUILD)

test: deps
	$(BUILD)
	$(SWIFT) test -c $(CONFIG) --disable-testable-imports --no-parallel

quick: deps build
	$(COURSE) make --quick

paper: deps build
	$(COURSE) make --paper

lessons: build
	$(COURSE) run --all

# Handouts weave the last run of each lesson; a lesson whose source changed since is rerun
# through the cache first (prose edits rerun no experiment).
handouts: build
	$(COURSE) handout --all --lang all

figures: build
	$(COURSE) figures

book: build
	$(COURSE) book

gallery: build
	$(COURSE) gallery

bench: build
	$(COURSE) bench --json

# Rewrites the //> outputs of every lesson from a quick run; the run that rewrites fails once.
record: build
	RECORD=1 $(SWIFT) test -c $(CONFIG) --disable-testable-imports --filter LessonTests || true

# make lesson L=L01 [ARGS="--quick --force --seed 3"]
lesson: build
	@if [ -z "$(L)" ]; then echo "usage: make lesson L=<lesson> (see: $(COURSE) lessons)"; exit 2; fi
	$(COURSE) run $(L) $(ARGS)

clean:
	rm -rf .build Output/cache Output/figures Output/handouts Output/grades Output/*.pdf Output/*.json
