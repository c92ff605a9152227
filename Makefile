# The README's two commands (`make demo`, `make check`) and what they stand on. Everything is
# installed by tools/setup-deps.sh from Debian packages; Python is Debian's /usr/bin/python3,
# the interpreter that has numpy, pandas and h5py.

PYTHON ?= /usr/bin/python3
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release -DANJIAN_WERROR=ON

.PHONY: all setup configure build demo notebooks levers calibrate validate check test clean sanitize sanitize-thread fuzz fuzz-smoke reliability

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
# paired intervals (64 replicates of 5 recorded years: effects of 1-2 true injuries a year need that
# many to resolve; tools/levers.py --help for subsets).
levers: build
	PYTHONPATH=$(BUILD)/python $(PYTHON) tools/levers.py

# Calibration (docs/calibration.md): the free parameters of scenarios/calibration/targets.yaml
# fitted to its targets (Optuna, resumable study in results/calibration.db), then an ABC posterior;
# writes scenarios/calibration/calibrated.yaml and posterior.csv. CALIBRATE_ARGS passes options,
# e.g. make calibrate CALIBRATE_ARGS="--trials 400 --jobs 2".
CALIBRATE_ARGS ?= --jobs $(JOBS)
calibrate: build
	@mkdir -p results
	PYTHONPATH=$(BUILD)/python $(PYTHON) -m anjian.calibration scenarios/calibration/targets.yaml $(CALIBRATE_ARGS)

# docs/validation.md and docs/figures/validation.png: every computable target at full size for the
# current parameters, with the posterior's parameters against their priors if one exists.
validate: build
	PYTHONPATH=$(BUILD)/python $(PYTHON) -m anjian.validation scenarios/calibration/targets.yaml $(VALIDATE_ARGS)

test:
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	PYTHONPATH=$(BUILD)/python ANJIAN_BUILD=$(BUILD) $(PYTHON) -m pytest -q tests/python
	ANJIAN_BUILD=$(BUILD) node tests/web/browser_test.mjs

check: build test reliability

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD)

# ---- Reliability: sanitizers and fuzzing (docs/reliability.md) --------------------------------
# One clang build with AddressSanitizer + UndefinedBehaviorSanitizer and libFuzzer's coverage
# serves the C++ suite, the Python tests (its module preloads the shared ASan runtime) and the
# fuzz targets; a ThreadSanitizer build runs the parallel core's and the determinism tests
# (sanitize-thread).
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_SMOKE_SEED ?= 1
FUZZERS = fuzz_scenario fuzz_graphml fuzz_results
TSAN_TESTS = Parallel.*:Determinism.*:Grouped.*:Marks.*
CLANG_RT_DIR = $(shell dirname $$(clang -print-file-name=libclang_rt.asan-x86_64.so))
SANITIZER_CMAKE = -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG=-gline-tables-only -DPython_EXECUTABLE=$(PYTHON) -DANJIAN_WERROR=OFF
ASAN_FLAGS = -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined \
  -fsanitize=fuzzer-no-link
ASAN_LINK = -shared-libasan -Wl,-rpath,$(CLANG_RT_DIR)
# allocator_may_return_null: an absurd allocation (a damaged file's dataset shape) fails as it does
# without ASan, numpy raising MemoryError (test_faults), instead of ASan aborting the process.
ASAN_ENV = ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

$(ASAN_BUILD)/build.ninja:
	@$(MAKE) --no-print-directory setup
	cmake -S . -B $(ASAN_BUILD) $(SANITIZER_CMAKE) -DANJIAN_BUILD_FUZZERS=ON -DCMAKE_CXX_FLAGS="$(ASAN_FLAGS)" \
	  -DCMAKE_EXE_LINKER_FLAGS="$(ASAN_LINK)" -DCMAKE_SHARED_LINKER_FLAGS="$(ASAN_LINK)" -DCMAKE_MODULE_LINKER_FLAGS="$(ASAN_LINK)"

$(TSAN_BUILD)/build.ninja:
	@$(MAKE) --no-print-directory setup
	cmake -S . -B $(TSAN_BUILD) $(SANITIZER_CMAKE) -DANJIAN_BUILD_PYTHON=OFF -DCMAKE_CXX_FLAGS="-O1 -fsanitize=thread"

# The whole C++ suite (in one process: ctest's process per test cost minutes here) and the Python
# tests under ASan + UBSan. Nothing is filtered out: the clang build writes the same results as
# GCC's (the AVX2 decision kernel once did not, see docs/reliability.md), so the directional
# tests hold there too.
# Every Python test file runs (notebooks excepted): the sweeps' subprocesses and mpirun's ranks
# and the served HTTP process are build-asan's `anjian`, started with the environment below, so
# they run under ASan + UBSan as well (a report makes them exit non-zero and the test fail).
# test_levers runs its 33 rows at a small size there (ANJIAN_LEVERS_SMOKE: finite outcomes, no
# verdicts; at full size 23 rows took 13 min under ASan on the shared machine); `make test`
# checks the verdicts in the release build.
ASAN_PYTEST_ENV = ANJIAN_LEVERS_SMOKE=1

sanitize: $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	$(ASAN_ENV) $(ASAN_BUILD)/tests/anjian_tests --gtest_brief=1
	$(ASAN_ENV) LD_PRELOAD=$(CLANG_RT_DIR)/libclang_rt.asan-x86_64.so PYTHONPATH=$(ASAN_BUILD)/python \
	  ANJIAN_BUILD=$(ASAN_BUILD) ANJIAN_SANITIZER=asan $(ASAN_PYTEST_ENV) $(PYTHON) -m pytest -q tests/python \
	  -k "not notebook"

# TSan on the parallel core's and the determinism tests (only anjian_tests is built). Debian's
# oneTBB is not built with TSan: anjian's hand-overs to TBB are annotated (sim/core/tsan_annotations.hpp)
# and tests/tsan.supp names TBB's own bookkeeping only; Parallel.TsanStillSeesARaceBetweenTasks
# checks that a race in a task is still reported (docs/reliability.md).
sanitize-thread: $(TSAN_BUILD)/build.ninja
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target anjian_tests
	TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	  $(TSAN_BUILD)/tests/anjian_tests --gtest_filter='$(TSAN_TESTS)'

# Each fuzz target for FUZZ_SECONDS on its corpus (seeds from tests/data, kept in $(ASAN_BUILD)/corpus).
fuzz: $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target $(FUZZERS)
	tests/fuzz/run.sh $(ASAN_BUILD) $(FUZZ_SECONDS) $(FUZZERS)

fuzz-smoke: $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target $(FUZZERS)
	FUZZ_SEED=$(FUZZ_SMOKE_SEED) tests/fuzz/run.sh $(ASAN_BUILD) $(FUZZ_SMOKE_SECONDS) $(FUZZERS)

reliability: sanitize sanitize-thread fuzz-smoke
