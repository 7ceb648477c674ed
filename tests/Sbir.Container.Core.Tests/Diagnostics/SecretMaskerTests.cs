using Sbir.Container.Diagnostics;

namespace Sbir.Container.Core.Tests.Diagnostics;

public class SecretMaskerTests
{
    [Fact]
    public void Masks_values_and_their_url_and_json_encodings()
    {
        var masker = new SecretMasker();
        masker.Add("p@ss word\"x");
        Assert.Equal("a *** b", masker.Apply("a p@ss word\"x b"));
        Assert.Equal("bolt://neo4j:***@host", masker.Apply("bolt://neo4j:" + Uri.EscapeDataString("p@ss word\"x") + "@host"));
        Assert.Equal("{\"v\":\"***\"}", masker.Apply("{\"v\":\"p@ss word\\\"x\"}"));
    }

    [Fact]
    public void Longest_secret_first_and_short_values_ignored()
    {
        var masker = new SecretMasker();
        masker.Add("abc");
        masker.Add("abcdef");
        masker.Add("x");
        Assert.Equal("*** and *** and x", masker.Apply("abcdef and abc and x"));
        Assert.Equal(2, masker.Count);
    }
}
