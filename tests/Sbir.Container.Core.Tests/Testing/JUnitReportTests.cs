using System.Xml.Linq;
using Sbir.Container.Testing;

namespace Sbir.Container.Core.Tests.Testing;

public class JUnitReportTests
{
    // The shape pytest writes with -o junit_family=xunit1 (file and 0-based line of the test).
    private const string Report = """
        <?xml version="1.0" encoding="utf-8"?>
        <testsuites><testsuite name="pytest" errors="0" failures="1" skipped="1" tests="3">
          <testcase classname="tests.test_cli" name="test_version" file="tests/test_cli.py" line="11" time="0.01" />
          <testcase classname="tests.test_cli" name="test_broken" file="tests/test_cli.py" line="20" time="0.01">
            <failure message="assert (1 + 1) == 3">def test_broken():
        &gt;       assert 1 + 1 == 3
        E       assert (1 + 1) == 3</failure>
          </testcase>
          <testcase classname="tests.test_store.TestDuck" name="test_skip" file="tests/test_store.py" line="4"><skipped message="no duckdb" /></testcase>
        </testsuite></testsuites>
        """;

    [Fact]
    public void Cases_outcomes_files_and_one_based_lines()
    {
        var report = JUnitReport.Parse(XDocument.Parse(Report));
        Assert.Equal((1, 1, 1), (report.Passed, report.Failed, report.Skipped));
        var failed = report.Cases.Single(c => c.Outcome == "failed");
        Assert.Equal(("tests/test_cli.py::test_broken", "tests/test_cli.py", 21, "assert (1 + 1) == 3"), (failed.Id, failed.File, failed.Line, failed.Message));
        Assert.Equal("tests/test_store.py::TestDuck::test_skip", report.Cases.Single(c => c.Outcome == "skipped").Id);
    }

    [Fact]
    public void Filter_goes_to_pytest_as_one_argument()
    {
        var args = ContainerTestRunner.PytestArguments("cli and not slow");
        Assert.Equal(["-k", "cli and not slow"], args.TakeLast(2));
        Assert.Contains("junit_family=xunit1", args);
    }

    [Fact]
    public void Missing_or_broken_reports_are_null()
    {
        Assert.Null(JUnitReport.Load("/nonexistent/junit.xml"));
        string path = Path.GetTempFileName();
        File.WriteAllText(path, "<not xml");
        try
        {
            Assert.Null(JUnitReport.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
