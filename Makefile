# tau-sim: `make run` starts the IDE, `make test` runs every test.
# Each target installs what is missing first (scripts/setup is idempotent).

SWIFT ?= swift
PORT ?= 7860

.PHONY: setup build run test bench audit format clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build --product tau

run: build
	.build/debug/tau serve --host 127.0.0.1 --port $(PORT)

test: setup
	scripts/test-menagerie
	$(SWIFT) build --build-tests
	.venv/bin/python -m pytest -q python/tests
	$(SWIFT) test --skip-build

bench: setup
	scripts/bench-setup
	$(SWIFT) build -c release --product tau-bench
	$(SWIFT) build -c release --product tau
	.build/release/tau-bench
	.venv-bench/bin/python bench/servers_bench.py .build/release/tau .venv-bench/bin/tau
	.venv/bin/python bench/viewer_bench.py .build/release/tau

audit: setup
	$(SWIFT) build --product tau
	.venv/bin/python bench/audit.py .build/debug/tau

format:
	$(SWIFT) format -i -r Sources Tests bench Package.swift

clean:
	rm -rf .build
