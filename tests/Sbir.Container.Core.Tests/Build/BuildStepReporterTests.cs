using Sbir.Container.Build;

namespace Sbir.Container.Core.Tests.Build;

public class BuildStepReporterTests
{
    // The 20.10 CLI with BuildKit, a rebuild after a change under src/ (shape recorded on the development machine).
    private const string BuildKitRebuild = """
        #1 [internal] load build definition from Dockerfile
        #1 transferring dockerfile: 4.52kB done
        #1 DONE 0.0s

        #2 [internal] load metadata for docker.io/local/python:3.11-slim
        #2 DONE 0.0s

        #4 [builder 1/7] FROM docker.io/local/python:3.11-slim
        #4 DONE 0.0s

        #5 [builder 2/7] RUN apt-get update  && apt-get install -y --no-install-recommends curl
        #5 CACHED

        #6 [builder 3/7] RUN command -v poetry >/dev/null 2>&1 || pip install "poetry==1.8.5"
        #6 CACHED

        #7 [builder 4/7] WORKDIR /app
        #7 CACHED

        #8 [builder 5/7] COPY src/ ./src/
        #8 DONE 0.1s

        #9 [builder 6/7] RUN python3 -m compileall src
        #9 0.412 Listing 'src'...
        #9 DONE 0.5s

        #10 exporting to image
        #10 DONE 0.1s
        """;

    private const string LegacyRebuild = "Step 1/6 : ARG BASE_IMAGE=python:3.11-slim\nStep 2/6 : FROM ${BASE_IMAGE} AS builder\n ---> 7d218f27cb0d\nStep 3/6 : RUN apt-get update\n ---> Using cache\n ---> 1a2b3c4d5e6f\nStep 4/6 : WORKDIR /app\n ---> Using cache\n ---> 2b3c4d5e6f70\nStep 5/6 : COPY src/ ./src/\n ---> 3c4d5e6f7081\nStep 6/6 : RUN echo done\n ---> Running in a2cd30e3b46d\ndone\nRemoving intermediate container a2cd30e3b46d\n ---> b7d679187a72\nSuccessfully built b7d679187a72";

    private static List<string> Report(string transcript)
    {
        var lines = new List<string>();
        var reporter = new BuildStepReporter(lines.Add);
        foreach (string line in transcript.Split('\n'))
        {
            reporter.Observe(line);
        }

        reporter.Complete();
        return lines;
    }

    [Fact]
    public void BuildKit_steps_get_one_line_each_and_a_run_of_cache_hits_one_line()
    {
        Assert.Equal(
            [
                "  builder 1/7: FROM docker.io/local/python:3.11-slim",
                "  builder 2/7 to builder 4/7: 3 steps cached",
                "  builder 5/7: COPY src/ ./src/",
                "  builder 6/7: RUN python3 -m compileall src",
            ],
            Report(BuildKitRebuild));
    }

    [Fact]
    public void Legacy_steps_get_one_line_each_and_cache_hits_are_condensed()
    {
        Assert.Equal(
            [
                "  step 1/6: ARG BASE_IMAGE=python:3.11-slim",
                "  step 2/6: FROM ${BASE_IMAGE} AS builder",
                "  step 3/6 to step 4/6: 2 steps cached",
                "  step 5/6: COPY src/ ./src/",
                "  step 6/6: RUN echo done",
            ],
            Report(LegacyRebuild));
    }

    [Fact]
    public void BuildKit_0_8_digest_lines_and_parallel_headers_do_not_hide_cache_hits()
    {
        // The 20.10 CLI prints a digest line under each header, and headers of parallel vertices before their status.
        var lines = Report("""
            #10 [builder 1/6] FROM docker.io/local/python:3.11-slim
            #10 sha256:c048a73838a3116fe0d8f30821360eb45885e1e8e61fe6962d1624ad02573e90
            #10 DONE 0.0s
            #4 [builder 2/6] WORKDIR /app
            #4 sha256:e8954a99fd42a06b08e40f0f12c6d50e64c45e04086fc7303df151dfabda1f75
            #5 [runtime 2/7] RUN apt-get update
            #5 sha256:7dea33b3a1c30b3c1de11aebd6b334e2a158ac160407c76ffe63ffc9fefcf0b2
            #4 CACHED
            #5 0.512 Get:1 http://deb.debian.org/debian bookworm InRelease
            #9 [builder 6/6] COPY src/ ./src/
            #9 sha256:d96479ea04229ff1346aff0a2f690dde9acb3255a097696d51cdb4337f10c3d5
            #9 DONE 0.1s
            """);
        Assert.Equal(
            [
                "  builder 1/6: FROM docker.io/local/python:3.11-slim",
                "  builder 2/6: cached",
                "  runtime 2/7: RUN apt-get update",
                "  builder 6/6: COPY src/ ./src/",
            ],
            lines);
    }

    [Fact]
    public void A_step_is_reported_when_it_starts_not_when_it_ends()
    {
        var lines = new List<string>();
        var reporter = new BuildStepReporter(lines.Add);
        reporter.Observe("#5 [builder 2/3] RUN sleep 600");
        reporter.Observe("#5 0.101 still going");
        Assert.Equal(["  builder 2/3: RUN sleep 600"], lines);
    }

    [Fact]
    public void A_last_cached_step_and_long_instructions_are_reported()
    {
        string longRun = "RUN " + new string('x', 300);
        var lines = Report($"#4 [runtime 1/2] FROM docker.io/local/python:3.11-slim\n#4 DONE 0.0s\n#5 [runtime 2/2] {longRun}\n#5 CACHED\n");
        Assert.Equal("  runtime 2/2: cached", lines[^1]);
        var longOne = Report($"Step 1/1 : {longRun}\n ---> Running in 1\n");
        Assert.True(longOne[0].Length < 120, longOne[0]);
        Assert.EndsWith("…", longOne[0]);
    }
}
