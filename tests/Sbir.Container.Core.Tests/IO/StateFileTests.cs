using System.Text.Json;
using Sbir.Container.Build;
using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Diagnostics;
using Sbir.Container.IO;
using Sbir.Container.Validation;

namespace Sbir.Container.Core.Tests.IO;

/// <summary>The state files are written by the generated serializer and read by hand (for start-up time): both must agree.</summary>
public class StateFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = false, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } });

    [Fact]
    public void A_build_state_reads_back_as_written()
    {
        var state = new BuildState
        {
            Fingerprint = "F1",
            Inputs = new(StringComparer.Ordinal) { ["Dockerfile"] = "D1", ["base images"] = "B1" },
            Files = new(StringComparer.Ordinal) { ["src/a.py"] = "H1+x", ["é/ü.txt"] = "H2" },
            RuntimeImageId = "sha256:r",
            BuilderImageId = string.Empty,
            RuntimeTags = ["sbir-etl:latest", "sbir-etl:1.0"],
            BuilderTags = [],
            BaseImages = ["local/python:3.11-slim"],
        };
        string path = Path.Combine(_dir.Path, "a.buildstate.json");
        state.Write(path);
        Assert.Equal(Json(state), Json(BuildState.Read(path)));
    }

    [Fact]
    public void A_validation_record_reads_back_as_written()
    {
        var log = InputLog.Start();
        log.Files["/p/.env"] = new FileInput(FileKind.Regular, 12, 638000000000000000, "H");
        log.Files["/p/gone"] = new FileInput(FileKind.Missing, 0, 0, "K");
        log.Listings["/p/config"] = "L";
        log.Variables["NEO4J_PASSWORD"] = "V";
        var finding = DiagnosticCatalog.Find("SBC1112")!.Create("/p/.env", new SourceSpan(3, 1, 3, 9), "a", "b", "c", "d", "e", "f") with { Message = "a \"quoted\"\nmessage" };
        var record = ValidationRecord.From(log, "request", [finding]);
        string path = Path.Combine(_dir.Path, "all.json");
        record.Write(path);
        var read = ValidationRecord.Read(path);
        Assert.Equal(Json(record), Json(read));
        Assert.Equal("a \"quoted\"\nmessage", Assert.Single(read!.ToDiagnostics()).Message);
    }

    [Fact]
    public void A_validation_record_keeps_its_maps_in_ordinal_order_whatever_order_they_were_seen_in()
    {
        // The maps are plain dictionaries filled in key order (a sorted tree cost start-up time): the file lists them sorted.
        var log = InputLog.Start();
        log.Listings["/p/src"] = "3";
        log.Listings["/p/Config"] = "1";
        log.Listings["/p/config"] = "2";
        log.Variables["b"] = "x";
        log.Variables["A"] = "y";
        var record = ValidationRecord.From(log, "request", []);
        Assert.Equal(["/p/Config", "/p/config", "/p/src"], record.Listings.Keys);
        Assert.Equal(["A", "b"], record.Variables.Keys);
        string path = Path.Combine(_dir.Path, "order.json");
        record.Write(path);
        string text = File.ReadAllText(path);
        Assert.True(text.IndexOf("/p/Config", StringComparison.Ordinal) < text.IndexOf("/p/config", StringComparison.Ordinal)
            && text.IndexOf("/p/config", StringComparison.Ordinal) < text.IndexOf("/p/src", StringComparison.Ordinal));
        Assert.Equal(["/p/Config", "/p/config", "/p/src"], ValidationRecord.Read(path)!.Listings.Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"Format\": 1}")]
    [InlineData("{\"Format\": \"one\", \"Fingerprint\": \"F\"}")]
    [InlineData("{not json")]
    public void A_damaged_file_is_no_state(string text)
    {
        string path = _dir.Write("bad.json", text);
        Assert.Null(BuildState.Read(path));
        Assert.Null(ValidationRecord.Read(path));
    }
}
