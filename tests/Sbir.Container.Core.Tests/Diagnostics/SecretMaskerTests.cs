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

    [Theory]
    [InlineData("pa\"ss<wo>rd&'1")]
    [InlineData("p\u00e4ss\u00f6rd+\U0001F511\\/\t")]
    public void The_json_form_is_the_one_the_serializer_writes(string secret)
    {
        // The masker spells JSON with JsonEncodedText (no serializer start-up); it must be the serializer's spelling.
        string serialized = System.Text.Json.JsonSerializer.Serialize(secret)[1..^1];
        Assert.Contains(serialized, SecretMasker.Forms(secret));
        var masker = new SecretMasker();
        masker.Add(secret);
        Assert.DoesNotContain(serialized, masker.Apply("value: " + serialized));
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

    [Fact]
    public void Masks_the_form_encoded_and_lower_case_percent_forms()
    {
        var masker = new SecretMasker();
        masker.Add("p@ss word/x");
        Assert.Equal("q=***", masker.Apply("q=" + System.Net.WebUtility.UrlEncode("p@ss word/x")));
        Assert.Equal("u=***", masker.Apply("u=p%40ss%20word%2fx"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("n")]
    [InlineData("ne")]
    [InlineData("neo4j:")]
    public void Masks_the_secret_inside_a_base64_auth_header_whatever_comes_before_it(string user)
    {
        const string Secret = "Zq7-vT4pL9xR2wK8";
        var masker = new SecretMasker();
        masker.Add(Secret);
        string header = "Authorization: Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(user + Secret + "-suffix"));
        string masked = masker.Apply(header);
        Assert.Contains(SecretMasker.Mask, masked, StringComparison.Ordinal);
        // What is left around the mask cannot be decoded back into the secret.
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Secret))[..8], masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Masks_each_line_of_a_multi_line_secret()
    {
        var masker = new SecretMasker();
        masker.Add("first-line-of-key\nsecond-line-of-key\nab");
        Assert.Equal("got *** then ***, ab", masker.Apply("got first-line-of-key then second-line-of-key, ab"));
        Assert.Equal(1, masker.Count);
    }
}
