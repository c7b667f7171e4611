# K1OS — top-level targets. `make test` is what CI runs; `make qemu` boots K1OS.
CARGO   ?= cargo
OUT     := out
TGT     := target/x86_64-unknown-linux-gnu

.PHONY: all build test unit check fmt clippy size bench clean

all: build

## build: k1box (static, no libc) -> out/k1box, plus out/k1box.unstripped for size/link checks
build:
	$(CARGO) build --release -p k1box
	$(CARGO) build --profile size -p k1box
	@mkdir -p $(OUT)
	@# panic=abort: nothing ever unwinds, so the unwind tables are dead weight (~8 KB).
	objcopy -R .eh_frame -R .eh_frame_hdr $(TGT)/release/k1box $(OUT)/k1box
	cp $(TGT)/size/k1box $(OUT)/k1box.unstripped

fmt:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## unit: unit tests of the library and tools, and behaviour tests of out/k1box
unit: build
	$(CARGO) test --workspace

## size: each artifact against its budget in `budgets`, and k1box's size by applet
size: build
	$(CARGO) run -q --release -p tools -- size budgets

## test: formatting, lints, all tests, size budgets
test: fmt clippy unit size

## bench: k1box against BusyBox, toybox and GNU side by side (a benchmark, not a test)
bench: build
	bash bench/run.sh

clean:
	rm -rf $(OUT)
	$(CARGO) clean
