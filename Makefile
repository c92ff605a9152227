# The README's two commands (`make demo`, `make check`) and what they stand on. Everything is
# installed by tools/setup-deps.sh from Debian packages; Python is Debian's /usr/bin/python3,
# the interpreter that has numpy, pandas and h5py.

PYTHON ?= /usr/bin/python3
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release -DANJIAN_WERROR=ON

.PHONY: all setup configure build demo notebooks check test clean

all: build

setup:
	@tools/setup-deps.sh

$(BUILD)/build.ninja:
	@$(MAKE) --no-print-directory setup
	cmake -S . -B $(BUILD) -G Ninja -DPython_EXECUTABLE=$(PYTHON) $(CMAKE_FLAGS)

configure: $(BUILD)/build.ninja

build: setup configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/anjian run scenarios/county_baseline.yaml --stats
	@$(MAKE) --no-print-directory notebooks

# The analysis notebooks, executed headless: figures and executed copies in analysis/figures/.
notebooks: build
	PYTHONPATH=$(BUILD)/python $(PYTHON) analysis/run_notebooks.py

test:
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	PYTHONPATH=$(BUILD)/python ANJIAN_BUILD=$(BUILD) $(PYTHON) -m pytest -q tests/python

check: build test

clean:
	rm -rf $(BUILD)
