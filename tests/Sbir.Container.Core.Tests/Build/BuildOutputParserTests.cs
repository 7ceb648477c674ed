using Sbir.Container.Build;
using Sbir.Container.Dockerfile;

namespace Sbir.Container.Core.Tests.Build;

public class BuildOutputParserTests
{
    // Output of the 20.10 CLI with BuildKit, recorded on the development machine.
    private const string BuildKitFailure = """
        #4 [builder 1/3] FROM docker.io/local/debian:bookworm-slim
        #4 DONE 0.0s

        #5 [builder 2/3] RUN echo one  && echo two
        #5 0.187 one
        #5 0.188 two
        #5 DONE 0.2s

        #6 [builder 3/3] RUN echo about to fail && ls /nonexistent &&     echo never
        #6 0.342 about to fail
        #6 0.345 ls: cannot access '/nonexistent': No such file or directory
        #6 ERROR: executor failed running [/bin/sh -c echo about to fail && ls /nonexistent &&     echo never]: exit code: 2
        ------
         > [builder 3/3] RUN echo about to fail && ls /nonexistent &&     echo never:
        ------
        executor failed running [/bin/sh -c echo about to fail && ls /nonexistent &&     echo never]: exit code: 2
        """;

    // The legacy builder's output for the same file (stderr lines are coloured).
    private const string LegacyFailure = "Step 1/5 : FROM local/debian:bookworm-slim AS builder\n ---> 7d218f27cb0d\nStep 2/5 : RUN echo one  && echo two\n ---> Running in a2cd30e3b46d\none\ntwo\nRemoving intermediate container a2cd30e3b46d\n ---> b7d679187a72\nStep 3/5 : RUN echo about to fail && ls /nonexistent &&     echo never\n ---> Running in 2dfe9ff7f920\nabout to fail\n\u001b[91mls: cannot access '/nonexistent': No such file or directory\n\u001b[0mThe command '/bin/sh -c echo about to fail && ls /nonexistent &&     echo never' returned a non-zero code: 2";

    private const string Dockerfile = "FROM local/debian:bookworm-slim AS builder\nRUN echo one \\\n && echo two\nRUN echo about to fail && ls /nonexistent && \\\n    echo never\nFROM builder AS runtime\nRUN echo hi\n";

    [Fact]
    public void BuildKit_failure_names_stage_instruction_exit_code_and_output()
    {
        var failure = Parse(BuildKitFailure);
        Assert.Equal(BuildFailureKind.Step, failure.Kind);
        Assert.Equal("builder", failure.Stage);
        Assert.Equal(2, failure.ExitCode);
        Assert.Equal(["about to fail", "ls: cannot access '/nonexistent': No such file or directory"], failure.Output);

        var instruction = FailingInstruction.Find(DockerfileParser.Parse(Dockerfile), failure.Stage, failure.Instruction!, failure.StepNumber);
        Assert.Equal((4, 5), (instruction!.Span.Line, instruction.Span.EndLine));
    }

    [Fact]
    public void Legacy_failure_is_mapped_to_the_same_line()
    {
        var failure = Parse(LegacyFailure);
        Assert.Equal(BuildFailureKind.Step, failure.Kind);
        Assert.Null(failure.Stage);
        Assert.Equal(3, failure.StepNumber);
        Assert.Equal(2, failure.ExitCode);
        Assert.Contains("ls: cannot access '/nonexistent': No such file or directory", failure.Output);
        Assert.DoesNotContain(failure.Output, l => l.Contains('\u001b'));

        var instruction = FailingInstruction.Find(DockerfileParser.Parse(Dockerfile), failure.Stage, failure.Instruction!, failure.StepNumber);
        Assert.Equal(4, instruction!.Span.Line);
    }

    [Fact]
    public void Identical_instructions_are_told_apart_by_stage()
    {
        string dockerfile = "FROM x AS a\nRUN make\nFROM x AS b\nRUN make\n";
        var instruction = FailingInstruction.Find(DockerfileParser.Parse(dockerfile), "b", "RUN make", 0);
        Assert.Equal(4, instruction!.Span.Line);
        var unnamed = FailingInstruction.Find(DockerfileParser.Parse("FROM x\nRUN make\nFROM x\nRUN make\n"), "stage-1", "RUN make", 0);
        Assert.Equal(4, unnamed!.Span.Line);
    }

    [Fact]
    public void Base_image_metadata_failure_is_a_base_image_failure()
    {
        var failure = Parse("""
            #3 [internal] load metadata for docker.io/library/python:3.11-slim
            #3 ERROR: failed to do request: Head "https://registry-1.docker.io/v2/library/python/manifests/3.11-slim": dial tcp: lookup registry-1.docker.io: no such host
            ------
             > [internal] load metadata for docker.io/library/python:3.11-slim:
            ------
            failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request
            """);
        Assert.Equal(BuildFailureKind.BaseImage, failure.Kind);
        Assert.Equal("docker.io/library/python:3.11-slim", failure.Image);
    }

    [Fact]
    public void Legacy_pull_failure_is_a_base_image_failure()
    {
        var failure = Parse("Step 1/3 : FROM python:3.11-slim AS builder\nError response from daemon: pull access denied for nosuch/image, repository does not exist or may require 'docker login'");
        Assert.Equal(BuildFailureKind.BaseImage, failure.Kind);
        Assert.Equal("nosuch/image", failure.Image);
    }

    [Fact]
    public void Legacy_failure_on_FROM_with_an_unreachable_registry_is_a_base_image_failure()
    {
        // docker 28 without BuildKit, no network (recorded on this machine).
        var failure = Parse("Sending build context to Docker daemon  2.048kB\nStep 1/2 : FROM --platform=linux/amd64 python:3.11-slim AS runtime\nGet \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host");
        Assert.Equal(BuildFailureKind.BaseImage, failure.Kind);
        Assert.Equal("python:3.11-slim", failure.Image);
        Assert.Contains("no such host", failure.Message);
    }

    private static BuildFailure Parse(string output)
    {
        var parser = new BuildOutputParser();
        foreach (string line in output.Split('\n'))
        {
            parser.Observe(line);
        }

        return parser.Failure!;
    }
}
