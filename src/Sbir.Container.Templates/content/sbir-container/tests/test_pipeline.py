"""Tests of the pipeline's steps; DockerTest runs them inside the image's test stage."""

import json

from my_pipeline import pipeline


def test_transform_keeps_rows_with_a_numeric_amount():
    rows = pipeline.transform([{"id": "1", "amount": "10"}, {"id": "2", "amount": "x"}])
    assert rows == [{"id": "1", "amount": 10.0}]


def test_summarise_counts_and_adds():
    assert pipeline.summarise([{"amount": 1.5}, {"amount": 2.0}]) == {"records": 2, "total": 3.5}


def test_run_writes_the_summary(tmp_path):
    (tmp_path / "input.csv").write_text("id,amount\n1,5\n2,7.5\n", encoding="utf-8")
    assert pipeline.run(tmp_path) == {"records": 2, "total": 12.5}
    assert json.loads((tmp_path / "summary.json").read_text(encoding="utf-8")) == {"records": 2, "total": 12.5}
