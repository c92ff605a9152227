# The README's two commands (`make demo`, `make check`) and what they stand on. Everything is
# installed by tools/setup-deps.sh from Debian packages; Python is Debian's /usr/bin/python3,
# the interpreter that has numpy, pandas and h5py.

PYTHON ?= /usr/bin/python3
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release -DANJIAN_WERROR=ON

.PHONY: all setup configure build demo notebooks levers check test clean

all: build

setup:
	@tools/setup-deps.sh

$(BUILD)/build.ninja:
	@$(MAKE) --no-print-directory setup
	cmake -S . -B $(BUILD) -G Ninja -DPython_EXECUTABLE=$(PYTHON) $(CMAKE_FLAGS)

configure: $(BUILD)/build.ninja

build: setup configure
	cmake --build $(BUILD) -j $(JOBS)

# The county baseline against the five reforms of the study and all of them together, with common
# random numbers: 16 replicates of 5 recorded years after a 1-year burn-in each (14 s of CPU, 20 s
# wall here while two other builds shared the 2 cores). The full comparison (every outcome, every
# series) goes to the HDF5 file.
DEMO_SCENARIOS = county_baseline reform_professional_team reform_system_mechanism reform_assessment \
                 reform_integration reform_social_environment reform_all
DEMO_OUTCOMES = deaths_true,deaths_reported,deaths_per_100k_workers,accidents_true,accidents_reported,accidents_fatal,injuries_true,latent_hazards,hazards_found,formal_share,turnover,inspector_skill,unregistered_found,cost

demo: build
	@mkdir -p results
	$(BUILD)/anjian compare $(DEMO_SCENARIOS:%=scenarios/%.yaml) --replicates 16 --years 5 \
	  --set output.agents=false --outcomes $(DEMO_OUTCOMES) -o results/compare_reforms.h5
	@$(MAKE) --no-print-directory notebooks
	@echo "The trainer for officials, in a browser: $(BUILD)/anjian serve, then open http://127.0.0.1:8080/ (README, docs/trainer.md)"

# The analysis notebooks, executed headless: figures and executed copies in analysis/figures/.
notebooks: build
	PYTHONPATH=$(BUILD)/python $(PYTHON) analysis/run_notebooks.py

# docs/levers.md: every Seed-map row's levers, worse and better, against the county baseline with
# paired intervals (16 replicates of 5 recorded years; tools/levers.py --help for subsets).
levers: build
	PYTHONPATH=$(BUILD)/python $(PYTHON) tools/levers.py

test:
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	PYTHONPATH=$(BUILD)/python ANJIAN_BUILD=$(BUILD) $(PYTHON) -m pytest -q tests/python
	ANJIAN_BUILD=$(BUILD) node tests/web/browser_test.mjs

check: build test

clean:
	rm -rf $(BUILD)
