using Sbir.Container.Build;
using Sbir.Container.Compose;
using Sbir.Container.Engine;

namespace Sbir.Container.Core.Tests.Compose;

/// <summary>SBC5202 carries the compose command as a user would type it, so that "run it by hand" can be followed.</summary>
public class ComposeCommandLineTests
{
    [Fact]
    public void The_command_line_has_every_option_and_quotes_what_a_shell_would_split()
    {
        var runner = new ComposeRunner(new DockerCli("/usr/bin/docker", ProcessRunner.Instance), new ComposeCli("/usr/bin/docker-compose", [], "1.29.2"), new Silent());
        var request = new ComposeRequest
        {
            ProjectName = "sbir-etl",
            ProjectDirectory = "/srv/my stack",
            Files = ["docker-compose.yml", "docker/docker-compose.dev.yml"],
            Profiles = ["tools"],
        };

        Assert.Equal(
            "docker-compose --project-name sbir-etl --project-directory '/srv/my stack' --file docker-compose.yml --file docker/docker-compose.dev.yml --profile tools up --detach",
            runner.CommandLine(request, "up", "--detach"));
    }

    private sealed class Silent : IBuildProgress
    {
        public void Status(string message)
        {
        }

        public void Output(string line)
        {
        }
    }
}
