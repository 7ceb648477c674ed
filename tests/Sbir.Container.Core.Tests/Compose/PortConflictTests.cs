using Sbir.Container.Compose;

namespace Sbir.Container.Core.Tests.Compose;

public class PortConflictTests
{
    [Theory]
    // docker-compose 1.29 on engine 20.10, another process on the port (recorded in the end-to-end run).
    [InlineData("ERROR: for neo4j  Cannot start service neo4j: driver failed programming external connectivity on endpoint x_neo4j_1 (5269): Error starting userland proxy: listen tcp4 0.0.0.0:38959: bind: address already in use", 38959)]
    // Another container publishes the port (compose v2 wording, engine's message).
    [InlineData("Error response from daemon: driver failed programming external connectivity on endpoint sbir-etl-neo4j-1 (ab12): Bind for 0.0.0.0:7474 failed: port is already allocated", 7474)]
    [InlineData("Error starting userland proxy: listen tcp6 [::]:3000: bind: address already in use", 3000)]
    public void The_taken_host_port_is_found_in_compose_output(string line, int port)
        => Assert.Equal(port, PortConflict.Find(["Creating network \"x_default\" with the default driver", line, "Encountered errors while bringing up the project."]));

    [Fact]
    public void Other_failures_name_no_port()
    {
        Assert.Null(PortConflict.Find(["ERROR: for neo4j  Cannot start service neo4j: pull access denied for neo4j:5.26.0-community", "listening on 0.0.0.0:7474"]));
        Assert.Null(PortConflict.Find([new string('x', 200_000) + ":7474: bind"]));
    }
}
