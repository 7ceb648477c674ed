import pytest

from sbir_etl.simple_yaml import SimpleYamlError, parse_settings_block

DOCUMENT = """\
# other sections may use any YAML: they are never parsed
container:
  tags: [latest, "1.0"]
  stages: &stages
    - builder
settings:
  neo4j:
    uri: "bolt://neo4j:7687"   # trailing comment
    password: 'it''s #not a comment'
    batch_size: 250
    empty:
  pipeline:
    log_level: DEBUG
    verbose: yes
    ratio: 0.5
    nothing: ~
after: [1, 2]
"""


def test_reads_only_the_settings_block():
    assert parse_settings_block(DOCUMENT) == {
        "neo4j": {
            "uri": "bolt://neo4j:7687",
            "password": "it's #not a comment",
            "batch_size": 250,
            "empty": None,
        },
        "pipeline": {"log_level": "DEBUG", "verbose": True, "ratio": 0.5, "nothing": None},
    }


def test_no_settings_block_means_no_settings():
    assert parse_settings_block("container:\n  image: x\n") == {}


@pytest.mark.parametrize("value", ["[a, b]", "{a: 1}", "&anchor x", "*alias", "|", ">"])
def test_unsupported_values_name_pyyaml(value):
    with pytest.raises(SimpleYamlError, match="PyYAML"):
        parse_settings_block(f"settings:\n  neo4j:\n    uri: {value}\n")


def test_lists_and_bad_indentation_are_errors():
    with pytest.raises(SimpleYamlError, match="lists"):
        parse_settings_block("settings:\n  paths:\n    - a\n")
    with pytest.raises(SimpleYamlError, match="indentation"):
        parse_settings_block("settings:\n  neo4j:\n      uri: a\n    user: b\n")
    with pytest.raises(SimpleYamlError, match="tabs"):
        parse_settings_block("settings:\n  neo4j:\n  \turi: a\n")
