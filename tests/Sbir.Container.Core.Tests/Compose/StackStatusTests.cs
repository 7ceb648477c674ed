using Sbir.Container.Compose;

namespace Sbir.Container.Core.Tests.Compose;

/// <summary>ContainerStatus.ParseInspect on 'docker inspect' output as docker 20.10 prints it.</summary>
public class StackStatusTests
{
    // Two containers: neo4j with a health check that failed once then passed twice; a worker without
    // a health check. Timestamps carry nanoseconds, as the engine writes them.
    private const string Inspect = """
        [
          {
            "Id": "aaa111", "Name": "/sbir-etl_neo4j_1", "RestartCount": 0,
            "State": {
              "Status": "running", "ExitCode": 0, "StartedAt": "2026-11-26T20:00:00.123456789Z",
              "Health": {
                "Status": "healthy", "FailingStreak": 0,
                "Log": [
                  { "Start": "2026-11-26T20:00:10.000000001Z", "End": "2026-11-26T20:00:10.500000001Z", "ExitCode": 0, "Output": "early pass" },
                  { "Start": "2026-11-26T20:00:20.000000001Z", "End": "2026-11-26T20:00:20.900000001Z", "ExitCode": 1, "Output": "connection refused" },
                  { "Start": "2026-11-26T20:00:30.000000001Z", "End": "2026-11-26T20:00:31.250000001Z", "ExitCode": 0, "Output": "" },
                  { "Start": "2026-11-26T20:00:40.000000001Z", "End": "2026-11-26T20:00:40.400000001Z", "ExitCode": 0, "Output": "ok" }
                ]
              }
            },
            "Config": { "Labels": { "com.docker.compose.service": "neo4j", "com.docker.compose.oneoff": "False" } },
            "NetworkSettings": { "Ports": { "7474/tcp": [ { "HostIp": "0.0.0.0", "HostPort": "7474" } ], "7687/tcp": null } }
          },
          {
            "Id": "bbb222", "Name": "/sbir-etl_worker_1", "RestartCount": 0,
            "State": { "Status": "running", "ExitCode": 0, "StartedAt": "2026-11-26T20:01:02.987654321Z" },
            "Config": { "Labels": { "com.docker.compose.service": "worker", "com.docker.compose.oneoff": "True" } },
            "NetworkSettings": { "Ports": {} }
          }
        ]
        """;

    [Fact]
    public void Parses_state_health_ports_and_labels()
    {
        var list = ContainerStatus.ParseInspect(Inspect);

        Assert.Equal(2, list.Count);
        var neo4j = list[0];
        Assert.Equal(("sbir-etl_neo4j_1", "neo4j", "running", "healthy", "ok"), (neo4j.Name, neo4j.Service, neo4j.State, neo4j.Health, neo4j.LastHealthOutput));
        Assert.Equal(["0.0.0.0:7474->7474/tcp"], neo4j.Ports);
        Assert.True(neo4j.IsReady);
        Assert.False(neo4j.OneOff);
        Assert.True(list[1].OneOff);
        Assert.Null(list[1].Health);
    }

    [Fact]
    public void Ready_since_is_the_first_pass_after_the_last_failure_by_the_engine_clock()
    {
        var list = ContainerStatus.ParseInspect(Inspect);

        Assert.Equal(new DateTimeOffset(2026, 11, 26, 20, 0, 31, 250, TimeSpan.Zero), list[0].ReadySince);
        // Without a health check: ready since it started.
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 20, 1, 2, TimeSpan.Zero).AddTicks(9876543), list[1].ReadySince);
    }

    [Fact]
    public void A_container_still_starting_has_no_ready_time()
    {
        string starting = Inspect.Replace("\"Status\": \"healthy\"", "\"Status\": \"starting\"");

        var neo4j = ContainerStatus.ParseInspect(starting)[0];

        Assert.Null(neo4j.ReadySince);
        Assert.False(neo4j.IsReady);
    }
}
