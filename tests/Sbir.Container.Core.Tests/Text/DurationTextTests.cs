using Sbir.Container.Text;

namespace Sbir.Container.Core.Tests.Text;

public class DurationTextTests
{
    [Theory]
    [InlineData("10s", 10)]
    [InlineData("1m30s", 90)]
    [InlineData("2h", 7200)]
    [InlineData("500ms", 0.5)]
    [InlineData("300", 300)]
    [InlineData("1.5m", 90)]
    public void Parses(string text, double seconds)
    {
        Assert.True(DurationText.TryParse(text, out var d));
        Assert.Equal(seconds, d.TotalSeconds, 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten seconds")]
    [InlineData("-5")]
    [InlineData("5x")]
    public void Rejects(string text) => Assert.False(DurationText.TryParse(text, out _));

    [Fact]
    public void Formats_like_compose() => Assert.Equal("1m30s", DurationText.Format(TimeSpan.FromSeconds(90)));
}
