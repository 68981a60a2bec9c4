"""Small shards travel to workers in groups (issue 14, item 1): one task for many small files,
a large shard alone; order kept, nothing lost or repeated."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenance.executors.base import GROUP_BYTES, GROUP_SHARDS, group_shards
from provenance.shard import Shard
from tests.test_readers import shard

MB = 1 << 20


def _shards(sizes: list[int]) -> list[Shard]:
    return [
        shard(Path(f"/d/f{i}.jsonl"), shard_id=f"f{i}:0", file_id=f"f{i}", size=size)
        for i, size in enumerate(sizes)
    ]


@pytest.mark.parametrize(
    "sizes, expected",
    [
        ([], []),
        ([MB], [1]),
        ([MB] * 3, [3]),  # small files: one task
        ([MB] * 16 + [MB], [16, 1]),  # 16 MiB is a full group
        ([128 * MB, MB, MB, 128 * MB], [1, 2, 1]),  # a large shard travels alone
        ([0] * (GROUP_SHARDS + 5), [GROUP_SHARDS, 5]),  # many empty files: bounded by count
        ([GROUP_BYTES + 1, 1], [1, 1]),
    ],
)
def test_groups(sizes: list[int], expected: list[int]) -> None:
    shards = _shards(sizes)
    groups = group_shards(shards)
    assert [len(g) for g in groups] == expected
    assert [s for g in groups for s in g] == shards
