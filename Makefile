# K1OS — top-level targets. `make test` is what CI runs; `make qemu` boots K1OS.
CARGO   ?= cargo
OUT     := out
TGT     := target/x86_64-unknown-linux-gnu

.PHONY: all build test unit check fmt clippy size bench clean
.PHONY: deps kernel initramfs rootfs iso all-build qemu qemu-uefi make-persist qemu-persist

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

## test: formatting, lints, the images, all tests (boot tests in QEMU included), size budgets
test: fmt clippy all-build unit size

## bench: k1box against BusyBox, toybox and GNU side by side (a benchmark, not a test)
bench: build
	bash bench/run.sh

## Boot images (DESIGN §1, §5). The host tools do the work: `tools --help`.
TOOLS    = $(CARGO) run -q --release -p tools --
# Debian 12 packages the image targets use; `make deps` installs the missing ones as root.
DEPS     = linux-source-6.1 build-essential bc bison flex libelf-dev libssl-dev xz-utils patch \
           cpio squashfs-tools xorriso isolinux syslinux-common grub-efi-amd64-bin grub-common \
           mtools dosfstools ovmf qemu-system-x86 e2fsprogs

## deps: install the Debian packages the image targets need (as root; else print the line)
deps:
	@missing=$$(for p in $(DEPS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "deps: apt-get install -y" $$missing; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -q $$missing || { apt-get update -q && apt-get install -y -q $$missing; }; \
	else echo "deps: missing packages; run as root: apt-get install -y" $$missing; exit 1; fi

## kernel: the pinned kernel, built once into ~/.cache/k1os/kernel -> out/bzImage
kernel: deps
	$(TOOLS) kernel

## initramfs: stage 1's image (k1box as /init) -> out/initramfs.cpio.zst
initramfs: build
	$(TOOLS) initramfs

## rootfs: the root file system -> out/system.squashfs
rootfs: deps build
	$(TOOLS) rootfs

## iso: the bootable hybrid ISO (BIOS + UEFI) -> out/k1os.iso
iso: deps kernel initramfs rootfs
	$(TOOLS) iso

all-build: iso

## qemu: boot the ISO in RAM mode, serial console in this terminal (Ctrl-A X quits)
qemu: iso
	$(TOOLS) qemu

qemu-uefi: iso
	$(TOOLS) qemu --uefi

## make-persist: out/data.img, ext4 labelled K1OS-DATA (DATA_SIZE=256M; FORCE=1 replaces it)
make-persist: deps
	$(TOOLS) make-persist

## qemu-persist: boot with out/data.img attached (choose "K1OS (persistent)")
qemu-persist: iso
	@[ -f $(OUT)/data.img ] || $(TOOLS) make-persist
	$(TOOLS) qemu --persist

clean:
	rm -rf $(OUT)
	$(CARGO) clean
