using System.Text.RegularExpressions;

namespace Sbir.Container.Build;

/// <summary>
/// Whether a variable or argument name says it holds a secret: the tokens PASSWORD, PASSWD, PWD,
/// SECRET, TOKEN, API_KEY/APIKEY, PRIVATE_KEY, CREDENTIAL(S) and AUTH, as whole words between
/// underscores (so NEO4J_AUTH and GITHUB_TOKEN are secret, AUTHOR and TOKENIZER_MODEL are not).
/// Names ending in _FILE or _PATH point at a secret rather than holding one; PWD is the shell's working directory.
/// </summary>
public static partial class SecretNames
{
    /// <summary>True when <paramref name="name"/> looks like it holds a secret value.</summary>
    public static bool LooksSecret(string name)
    {
        if (string.IsNullOrEmpty(name) || name.EndsWith("_FILE", StringComparison.OrdinalIgnoreCase) || name.EndsWith("_PATH", StringComparison.OrdinalIgnoreCase)
            || name.Equals("PWD", StringComparison.OrdinalIgnoreCase) || name.Equals("OLDPWD", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return SecretTokenPattern().IsMatch(name);
    }

    [GeneratedRegex(@"(?:^|_)(?:PASSWORD|PASSWD|PWD|PASS|SECRET|SECRETS|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|AUTH)(?:_|$)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretTokenPattern();
}
