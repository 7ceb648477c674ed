using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Sbir.Container.Testing;

/// <summary>One test case of a JUnit report.</summary>
/// <param name="Id">pytest's node id when it can be rebuilt (tests/test_cli.py::test_name), else class.name.</param>
/// <param name="File">The test file, relative to the app, or null.</param>
/// <param name="Line">1-based line of the test, or 0.</param>
/// <param name="Outcome">passed, failed, error or skipped.</param>
/// <param name="Message">The failure message (first line), or empty.</param>
/// <param name="Details">The failure's full text.</param>
public sealed record TestCaseResult(string Id, string? File, int Line, string Outcome, string Message, string Details);

/// <summary>A JUnit XML report (pytest's --junitxml, xunit1 flavour for file and line).</summary>
public sealed record JUnitReport(IReadOnlyList<TestCaseResult> Cases)
{
    /// <summary>Number of passed cases.</summary>
    public int Passed => Cases.Count(c => c.Outcome == "passed");

    /// <summary>Number of failed or erroring cases.</summary>
    public int Failed => Cases.Count(c => c.Outcome is "failed" or "error");

    /// <summary>Number of skipped cases.</summary>
    public int Skipped => Cases.Count(c => c.Outcome == "skipped");

    /// <summary>Reads a report; null when the file is missing or is not JUnit XML.</summary>
    public static JUnitReport? Load(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            return null;
        }

        try
        {
            using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return Parse(XDocument.Load(reader));
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the reports of several runs (the test image alone, then with the stack) as one report at
    /// <paramref name="target"/>: their test suites side by side under one testsuites element. Parts that
    /// are missing or unreadable are left out; nothing is written when none can be read.
    /// </summary>
    public static void Merge(IReadOnlyList<string> parts, string target)
    {
        var suites = new List<XElement>();
        foreach (string part in parts.Where(System.IO.File.Exists))
        {
            try
            {
                using var reader = XmlReader.Create(part, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
                var root = XDocument.Load(reader).Root;
                suites.AddRange(root is null ? [] : root.Name == "testsuite" ? [root] : root.Elements("testsuite"));
            }
            catch (XmlException)
            {
            }
        }

        if (suites.Count > 0)
        {
            new XDocument(new XElement("testsuites", suites)).Save(target);
        }
    }

    /// <summary>Parses a report.</summary>
    public static JUnitReport Parse(XDocument document)
    {
        var cases = new List<TestCaseResult>();
        foreach (var testcase in document.Descendants("testcase"))
        {
            string name = (string?)testcase.Attribute("name") ?? "?";
            string classname = (string?)testcase.Attribute("classname") ?? string.Empty;
            string? file = (string?)testcase.Attribute("file");
            // pytest writes the 0-based line of the test function.
            int line = int.TryParse((string?)testcase.Attribute("line"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int l) ? l + 1 : 0;
            var failure = testcase.Element("failure") ?? testcase.Element("error");
            string outcome = testcase.Element("failure") is not null ? "failed"
                : testcase.Element("error") is not null ? "error"
                : testcase.Element("skipped") is not null ? "skipped"
                : "passed";
            string message = ((string?)failure?.Attribute("message") ?? string.Empty).Split('\n')[0].Trim();
            string details = failure?.Value ?? string.Empty;
            if (message.Length == 0)
            {
                message = details.Split('\n').Select(x => x.Trim()).LastOrDefault(x => x.StartsWith("E ", StringComparison.Ordinal))?[2..].Trim() ?? details.Split('\n')[0].Trim();
            }

            string id = file is not null ? $"{file}::{(classname.Contains('.') && char.IsUpper(classname[(classname.LastIndexOf('.') + 1)..].FirstOrDefault()) ? classname[(classname.LastIndexOf('.') + 1)..] + "::" : string.Empty)}{name}" : $"{classname}.{name}";
            cases.Add(new TestCaseResult(id, file, line, outcome, message, details));
        }

        return new JUnitReport(cases);
    }
}
