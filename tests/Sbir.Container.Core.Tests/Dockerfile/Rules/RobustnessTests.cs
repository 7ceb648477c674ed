using System.Text;
using Sbir.Container.Dockerfile;
using Sbir.Container.Dockerfile.Rules;

namespace Sbir.Container.Core.Tests.Dockerfile.Rules;

/// <summary>The rules never throw and always finish on anything the parser returns (bench/bad-input-bench.sh times them).</summary>
public class RobustnessTests
{
    private const int FiveMegabytes = 5 * 1024 * 1024;

    public static TheoryData<string> Corpus => new(Cases.Keys);

    private static readonly Dictionary<string, Func<string>> Cases = new()
    {
        ["empty"] = () => string.Empty,
        ["blank lines"] = () => "\n\n   \n\t\n",
        ["random ascii"] = () => RandomText(200_000, " \n\t\\\"'$(){}[]<>|&;#=:/-_.*`abcdefRUNFROMCOPYUSER0123456789"),
        ["random unicode"] = () => RandomText(100_000, "FROM RUN\n\\\u0000\u00e9\ud83d\ude00\ud800\u202e\r\"'"),
        ["unknown instructions"] = () => "HELLO world\nFROM python:3.11-slim\nFROBNICATE --x=y\nRUNN apt-get install x\n  \\\n",
        ["dangling continuation"] = () => "FROM python:3.11-slim\nRUN apt-get update && \\",
        ["no FROM"] = () => "ARG A=1\nRUN apt-get install x\nUSER root\nCOPY --from=nowhere /a /b\nENV TOKEN=abc\n",
        ["empty instructions"] = () => "FROM\nUSER\nWORKDIR\nCOPY\nCOPY --from=\nCOPY --from=x\nADD\nHEALTHCHECK\nHEALTHCHECK CMD\nENTRYPOINT\nCMD\nARG\nARG =\nENV\nENV =x\nENV A\nRUN\nRUN --mount=\nRUN --mount=from=\nONBUILD\nSHELL\nEXPOSE\n",
        ["invalid exec JSON"] = () => "FROM python:3.11-slim\nCMD [oops\nENTRYPOINT [\"a\", 1]\nHEALTHCHECK CMD [\"\nRUN [\nRUN [\"sh\", \"-c\"]\nCOPY [\"a\"\nENTRYPOINT []\nENTRYPOINT [null]\nRUN [null, \"x\"]\nCOPY [null, null]\nCMD [\"\"]\n",
        ["heredocs"] = () => "FROM python:3.11-slim\nRUN <<EOF\napt-get install x\nEOF\nRUN <<-EOF\n\tapt-get update\n\tEOF\nCOPY <<EOF /etc/x\nhello\nEOF\nRUN <<A <<B\na\nA\nb\nB\nRUN cat <<'X' | sh\nsudo rm -rf /\nX\nRUN <<EOF\nnever closed\n",
        ["nested quoting"] = () => "FROM x\nRUN sh -c \"sh -c 'sh -c \\\"sh -c apt-get\\\"'\" $(( 1 << 2 )) $($($(echo)))) ${a:-${b:-${c}}} `x` 'unclosed\n",
        ["escape directive"] = () => "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\app\nRUN powershell -Command `\n  Write-Host hi\n",
        ["crlf"] = () => "FROM python:3.11-slim\r\nRUN apt-get update \\\r\n && apt-get install -y x\r\nUSER app\r\n",
        ["5 MB RUN line"] = () => "FROM x\nRUN " + Repeat("apt-get install gcc && ", FiveMegabytes),
        ["5 MB unclosed quote"] = () => "FROM x\nRUN echo \"" + Repeat("a$(b ", FiveMegabytes),
        ["5 MB ENV value"] = () => "FROM x\nENV API_TOKEN=" + Repeat("x://a:b@", FiveMegabytes),
        ["5 MB FROM"] = () => "FROM " + Repeat("${A:-", FiveMegabytes),
        ["a million levels of exec JSON"] = () => "FROM x\nCMD " + new string('[', 1_000_000) + "\nHEALTHCHECK CMD " + Repeat("[{\"a\":", 1_000_000),
        ["a million nested substitutions"] = () => "FROM x\nRUN echo " + Repeat("$(", 2_000_000) + " " + Repeat("`", 1_000_000),
        ["5 MB COPY"] = () => "FROM x\nCOPY " + Repeat("src/ ", FiveMegabytes) + "\nRUN pip install -r requirements.txt",
        ["5 MB comment pragma"] = () => "# hadolint ignore=" + Repeat("DL3015,", FiveMegabytes) + "\nFROM x\n",
        ["many instructions"] = () => "FROM python:3.11-slim AS s\n" + Repeat("ENV A=1\nRUN apt-get install gcc\nUSER root\nCOPY . /app\nRUN chown -R a /app\n", 2_000_000),
        ["many stages"] = () => "FROM python:3.11-slim AS s0\n" + string.Concat(Enumerable.Range(1, 2000).Select(i => $"FROM s{i - 1} AS s{i}\nRUN apt-get update\nCOPY --from=s{i - 1} /a /b\n")),
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Garbage_never_throws_and_always_finishes(string name)
    {
        string text = Cases[name]();
        var findings = Bounded.Run(name, () => DockerfileRules.Check(DockerfileParser.Parse(text, "Dockerfile"), new DockerfileRuleOptions { RequirePinnedDigest = true, RuntimeStage = "s" }));

        Assert.NotNull(findings);
        Assert.All(findings, d => Assert.Equal("Dockerfile", d.File));
    }

    [Fact]
    public void Documents_read_from_files_with_invalid_text_are_checked_too()
    {
        string path = Path.Combine(Path.GetTempPath(), "sbir-rules-" + Guid.NewGuid().ToString("N") + ".Dockerfile");
        try
        {
            File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes("FROM x\nRUN echo "), 0xC3, 0x28, 0x00, .. Encoding.ASCII.GetBytes("\nUSER app\n")]);
            var document = DockerfileParser.ParseFile(path);
            Assert.NotEmpty(document.Diagnostics);
            Assert.NotNull(DockerfileRules.Check(document, new DockerfileRuleOptions()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string RandomText(int length, string alphabet)
    {
        var random = new Random(20250101);
        var sb = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            sb.Append(random.Next(4) == 0 ? (char)random.Next(32, 127) : alphabet[random.Next(alphabet.Length)]);
        }

        return sb.ToString();
    }

    private static string Repeat(string unit, int length)
    {
        var sb = new StringBuilder(length + unit.Length);
        while (sb.Length < length)
        {
            sb.Append(unit);
        }

        return sb.ToString();
    }
}
