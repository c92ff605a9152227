"""Checkpoint and branch from the command line (docs/experiments.md, "Checkpoint and branch"):
a run resumed from its own checkpoint writes the same bytes as one that never stopped, and a
branch into a policy equals the policy scheduled on the branch day."""

import filecmp

import h5py
import numpy as np

from conftest import SCENARIOS

TINY = SCENARIOS / "tiny.yaml"


def scenario(tmp_path, name, body=""):
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"extends: {TINY}\nname: warm\ntime: {{burn_in_years: 1, years: 2}}\n{body}")
    return path


def test_resuming_gives_the_same_file_and_a_branch_is_a_schedule(run_cli, tmp_path):
    warm = scenario(tmp_path, "warm")
    run_cli("run", warm, "-o", "whole.h5", "-q", "-t", "1", check=True)
    run_cli("run", warm, "-o", "kept.h5", "-q", "-t", "2", "--checkpoint-at-day", 500, "--checkpoint-out", "warm.ckpt",
            check=True)
    run_cli("run", warm, "-o", "resumed.h5", "-q", "--from-checkpoint", "warm.ckpt", check=True)
    assert filecmp.cmp(tmp_path / "whole.h5", tmp_path / "kept.h5", shallow=False)
    assert filecmp.cmp(tmp_path / "whole.h5", tmp_path / "resumed.h5", shallow=False)

    policy = scenario(tmp_path, "policy", "accountability: {rule: due_diligence}\nhotline: {reward: 300.0}\n")
    run_cli("run", policy, "-o", "branch.h5", "-q", "--from-checkpoint", "warm.ckpt", check=True)
    run_cli("run", warm, "-o", "scheduled.h5", "-q", "--schedule", "day=501:accountability.rule=due_diligence",
            "--schedule", "day=501:hotline.reward=300", check=True)
    with h5py.File(tmp_path / "branch.h5") as a, h5py.File(tmp_path / "scheduled.h5") as b:
        for name in a["series"]:
            np.testing.assert_array_equal(a["series"][name][()], b["series"][name][()], err_msg=name)


def test_bad_checkpoints_and_branches_are_refused(run_cli, tmp_path):
    warm = scenario(tmp_path, "warm")
    run_cli("run", warm, "-o", "w.h5", "-q", "--checkpoint-at-day", 400, "--checkpoint-out", "warm.ckpt", check=True)
    cases = [
        (["run", scenario(tmp_path, "big", "enterprises: {count: 500}\n"), "--from-checkpoint", "warm.ckpt"],
         "enterprises.count differs from the checkpoint's"),
        (["run", warm, "--seed", 3, "--from-checkpoint", "warm.ckpt"], "pass --seed 7"),
        (["run", warm, "--replicates", 1, "--from-checkpoint", "warm.ckpt"], "pass --replicates 2"),
        (["run", warm, "--from-checkpoint", "w.h5"], "not an anjian checkpoint"),
        (["run", warm, "--checkpoint-at-day", 5000, "--checkpoint-out", "x.ckpt"], "choose a day before 1095"),
        (["run", warm, "--checkpoint-at-day", 50], "name the file with --checkpoint-out"),
        (["run", warm, "--checkpoint-out", "x.ckpt"], "say when with --checkpoint-at-day"),
        (["run", warm, "--from-checkpoint", "warm.ckpt", "--checkpoint-at-day", 300, "--checkpoint-out", "x.ckpt"],
         "the run starts from day 401"),
    ]
    for args, message in cases:
        result = run_cli(*args, "-o", "x.h5")
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)
        assert not (tmp_path / "x.h5").exists() and not (tmp_path / "x.ckpt").exists()
