using System.Text.RegularExpressions;
using T = Sbir.Container.Diagnostics.DiagnosticCatalog.SecretTexts;

namespace Sbir.Container.Secrets;

/// <summary>
/// Rule 4: literal passwords given to programs on a command line (compose healthcheck.test, command and entrypoint,
/// Dockerfile RUN/CMD/ENTRYPOINT/HEALTHCHECK, scripts, workflow run: blocks), and secret-named NAME=value words
/// (export NEO4J_PASSWORD=..., --build-arg, docker run -e).
/// <list type="bullet">
/// <item>Any program: --password, --passwd, --pass, --passphrase, --token, --secret, --api-key and *-password style
///   long options, as --opt=value or --opt value (not --password-stdin, --no-password, or the prompting --password of
///   the MySQL and PostgreSQL clients).</item>
/// <item>cypher-shell and sshpass: -p value and -pvalue. MySQL/MariaDB clients: -pvalue (their "-p value" prompts and
///   takes value as the database). mongo/mongosh tools: -p value. redis-cli and valkey-cli: -a value.
///   docker/podman/helm... login: -p value. neo4j-admin ... set-initial-password value.</item>
/// <item>curl: -u/--user/-U/--proxy-user user:password (the part after ':').</item>
/// </list>
/// A value written as $VAR, "${VAR}", $(...) is not a literal; in compose commands a host-side ${VAR} is SBC2007
/// and a ${VAR:-literal} default is a finding.
/// </summary>
internal static partial class CommandScanner
{
    private static readonly HashSet<string> Mysql = new(StringComparer.Ordinal)
    {
        "mysql", "mysqladmin", "mysqldump", "mysqlshow", "mysqlcheck", "mysqlimport", "mysqlpump", "mysqlsh", "mysqlslap",
        "mariadb", "mariadb-admin", "mariadb-dump", "mariadb-check", "mariadb-import", "mariadb-show",
    };

    private static readonly HashSet<string> Mongo = new(StringComparer.Ordinal)
    {
        "mongo", "mongosh", "mongodump", "mongorestore", "mongoexport", "mongoimport", "mongostat", "mongotop", "mongofiles",
    };

    private static readonly HashSet<string> Postgres = new(StringComparer.Ordinal)
    {
        "psql", "pg_dump", "pg_dumpall", "pg_restore", "pg_isready", "pg_basebackup", "createdb", "dropdb", "createuser", "dropuser", "vacuumdb", "reindexdb", "pgbench",
    };

    private static readonly HashSet<string> Redis = new(StringComparer.Ordinal) { "redis-cli", "valkey-cli", "keydb-cli" };

    private static readonly HashSet<string> Registry = new(StringComparer.Ordinal) { "docker", "podman", "nerdctl", "helm", "skopeo", "buildah", "oras", "crane", "regctl" };

    private static readonly HashSet<string> Other = new(StringComparer.Ordinal) { "cypher-shell", "sshpass", "curl", "wget", "neo4j-admin" };

    private static readonly HashSet<string> Separators = new(StringComparer.Ordinal) { ";", "&&", "||", "|", "&", "(", ")", "{", "}", "then", "do", "else", "!" };

    /// <summary>
    /// Scans <paramref name="words"/>. <paramref name="commandContext"/> marks a compose command (healthcheck, command,
    /// entrypoint); <paramref name="assignments"/> reads NAME=value words, reported with <paramref name="site"/>.
    /// Outside commands (<paramref name="requireProgram"/>, a YAML value that may be prose) a long option with its value
    /// in the next word counts only after a known program; --password=value always counts.
    /// </summary>
    public static void Scan(ScanContext ctx, List<Word> words, bool assignments, bool commandContext, ValueSite site, bool requireProgram = false, int depth = 0)
    {
        string? program = null;
        string? first = null;
        for (int i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (word.Length == 0)
            {
                continue;
            }

            if (assignments && TryAssignment(ctx, word, commandContext, site))
            {
                continue;
            }

            string? plain = Plain(word);
            if (plain is null || plain.Length == 0)
            {
                ScanNested(ctx, word, commandContext, requireProgram, depth);
                continue;
            }

            string trimmed = plain.TrimEnd(';');
            if (Separators.Contains(plain))
            {
                program = null;
                first = null;
                continue;
            }

            string name = BaseName(trimmed);
            if (IsProgram(name))
            {
                program = name;
                first ??= name;
                if (Registry.Contains(name) && i + 1 < words.Count && Plain(words[i + 1]) == "login")
                {
                    program = name + " login";
                    i++;
                }

                continue;
            }

            if (plain.StartsWith('-') && plain.Length > 1)
            {
                if (TryOption(ctx, words, ref i, plain, program, first, commandContext, requireProgram))
                {
                    if (plain.EndsWith(';'))
                    {
                        program = null;
                        first = null;
                    }

                    continue;
                }
            }
            else if (program == "neo4j-admin" && plain == "set-initial-password" && i + 1 < words.Count)
            {
                i++;
                Report(ctx, words[i], program, plain, commandContext, Option(program, plain, commandContext));
                continue;
            }
            else if (first is null && !IsTransparent(plain))
            {
                first = name;
            }

            ScanNested(ctx, word, commandContext, requireProgram, depth);
            if (plain.EndsWith(';'))
            {
                program = null;
                first = null;
            }
        }
    }

    /// <summary>A quoted word holding a whole command (sh -c "...", CMD-SHELL strings, YAML list items with spaces): read as shell.</summary>
    private static void ScanNested(ScanContext ctx, Word word, bool commandContext, bool requireProgram, int depth)
    {
        if (word.Length < 3)
        {
            return;
        }

        int start = word.Start;
        int end = word.End;
        CommandWords.StripQuotes(word.Text, ref start, ref end, out _);
        if (word.Text.AsSpan(start, end - start).IndexOfAny(' ', '\t', '\n') < 0)
        {
            return;
        }

        ShellSecretScanner.Scan(ctx, word.Source.Slice(start, end), ValueSite.Command, commandContext, requireProgram, depth + 1);
    }

    /// <summary>NAME=value (optionally quoted as a whole): rule 1 for secret names, and SBC2007 for ${VAR} in compose commands.</summary>
    private static bool TryAssignment(ScanContext ctx, Word word, bool commandContext, ValueSite site)
    {
        string text = word.Text;
        int start = word.Start;
        int end = word.End;
        if (start < end && text[start] is '"' or '\'')
        {
            CommandWords.StripQuotes(text, ref start, ref end, out _);
        }

        if (start >= end || !SecretValues.IsNameStart(text[start]))
        {
            return false;
        }

        int j = start;
        while (j < end && j - start < 200 && SecretValues.IsNameChar(text[j]))
        {
            j++;
        }

        if (j >= end || text[j] != '=')
        {
            return false;
        }

        string name = text[start..j];
        int valueStart = j + 1;
        int valueEnd = end;
        while (valueEnd > valueStart && text[valueEnd - 1] == ';')
        {
            valueEnd--;
        }

        CommandWords.StripQuotes(text, ref valueStart, ref valueEnd, out char quote);
        if (!ctx.IsSecretName(name))
        {
            return true;
        }

        // "abc\$def": every dollar escaped, so the shell reads the literal abc$def.
        string? decoded = word.Decoded is { } d && d.IndexOf('=') is int eq and >= 0 ? d[(eq + 1)..] : null;
        ctx.Assignment(word.Source, name, valueStart, valueEnd, site, dollarIsLiteral: quote == '\'' || word.Literal, decoded: word.Literal ? decoded : null);
        if (ctx.IsCompose && commandContext && valueEnd > valueStart
            && SecretValues.Classify(text[valueStart..valueEnd]).Kind == ValueKind.HostReference)
        {
            ctx.CommandPassword(word.Source, name, name + "=", valueStart, valueEnd, commandContext, false, name, v => ScanContext.Format(T.ComposeCommandAssignment, name, v));
        }

        return true;
    }

    private static bool TryOption(ScanContext ctx, List<Word> words, ref int i, string plain, string? program, string? first, bool commandContext, bool requireProgram)
    {
        var word = words[i];
        string text = word.Text;
        string family = Family(program);
        string shownProgram = program ?? first ?? "a command";
        if (plain.StartsWith("--", StringComparison.Ordinal))
        {
            int eq = plain.IndexOf('=');
            string name = (eq < 0 ? plain : plain[..eq]).TrimEnd(';');
            bool curlUser = family == "curl" && name is "--user" or "--proxy-user";
            if (!curlUser && !PasswordOption().IsMatch(name))
            {
                return false;
            }

            Word value;
            if (eq >= 0)
            {
                int rawEq = text.IndexOf('=', word.Start, word.Length);
                if (rawEq < 0)
                {
                    return false;
                }

                value = new Word(word.Source, rawEq + 1, word.End);
            }
            else
            {
                // The MySQL and PostgreSQL clients read "--password" alone as "prompt for it".
                if (requireProgram && program is null)
                {
                    return false;
                }

                if (family is "mysql" or "postgres" || i + 1 >= words.Count || NextIsOption(words[i + 1]))
                {
                    return true;
                }

                value = words[++i];
            }

            if (curlUser)
            {
                ReportUserPassword(ctx, value, shownProgram, name, commandContext);
            }
            else
            {
                Report(ctx, value, shownProgram, name, commandContext, Option(program, name, commandContext));
            }

            return true;
        }

        string flag = plain.Length >= 2 ? plain[..2] : plain;
        bool attached = plain.Length > 2;
        switch (family)
        {
            case "cypher-shell" or "sshpass" or "login" when flag == "-p":
            case "mongo" when flag == "-p" && !attached:
            case "redis" when flag == "-a" && !attached:
            case "mysql" when flag == "-p" && attached:
                if (attached)
                {
                    Report(ctx, AfterFlag(word), shownProgram, flag, commandContext, Option(program, flag, commandContext));
                }
                else if (i + 1 < words.Count && !NextIsOption(words[i + 1]))
                {
                    Report(ctx, words[++i], shownProgram, flag, commandContext, Option(program, flag, commandContext));
                }

                return true;
            case "curl" when flag is "-u" or "-U":
                if (attached)
                {
                    ReportUserPassword(ctx, AfterFlag(word), shownProgram, flag, commandContext);
                }
                else if (i + 1 < words.Count)
                {
                    ReportUserPassword(ctx, words[++i], shownProgram, flag, commandContext);
                }

                return true;
        }

        return false;
    }

    /// <summary>The value of an attached short option (-psecret): the word after its first two characters (inside quotes if quoted).</summary>
    private static Word AfterFlag(Word word)
    {
        int start = word.Start;
        int end = word.End;
        CommandWords.StripQuotes(word.Text, ref start, ref end, out _);
        return new Word(word.Source, Math.Min(end, start + 2), end);
    }

    private static void Report(ScanContext ctx, Word value, string program, string option, bool commandContext, (string Variable, Func<string, string> Fix) how)
    {
        int start = value.Start;
        int end = value.End;
        while (end > start && value.Text[end - 1] == ';')
        {
            end--;
        }

        CommandWords.StripQuotes(value.Text, ref start, ref end, out char quote);
        ctx.CommandPassword(value.Source, program, option, start, end, commandContext, quote == '\'' && !ctx.IsCompose, how.Variable, how.Fix);
    }

    /// <summary>curl's user:password: the part after the first top-level ':'; nothing when there is none (curl prompts).</summary>
    private static void ReportUserPassword(ScanContext ctx, Word value, string program, string option, bool commandContext)
    {
        int start = value.Start;
        int end = value.End;
        CommandWords.StripQuotes(value.Text, ref start, ref end, out char quote);
        if (end <= start || end - start > 4096)
        {
            return;
        }

        int colon = SecretValues.TopLevelIndexOf(value.Text[start..end], ':');
        if (colon < 0)
        {
            return;
        }

        Func<string, string> fix = v => ScanContext.Format(ctx.IsCompose && commandContext ? T.ComposeCurlUser : T.CurlUser, option, v);
        ctx.CommandPassword(value.Source, program, option, start + colon + 1, end, commandContext, quote == '\'' && !ctx.IsCompose, "HTTP_PASSWORD", fix);
    }

    /// <summary>The variable to suggest and the fix for a password option of <paramref name="program"/>.</summary>
    private static (string Variable, Func<string, string> Fix) Option(string? program, string option, bool commandContext)
    {
        string family = Family(program);
        string variable = family switch
        {
            "cypher-shell" or "neo4j-admin" => "NEO4J_PASSWORD",
            "mysql" => "MYSQL_PASSWORD",
            "mongo" => "MONGO_PASSWORD",
            "redis" => "REDIS_PASSWORD",
            "postgres" => "PGPASSWORD",
            "sshpass" => "SSHPASS",
            "login" => "REGISTRY_PASSWORD",
            "curl" or "wget" => "HTTP_PASSWORD",
            _ => SecretNames.VariableFor(option.TrimStart('-')),
        };

        Func<string, string> fix = family switch
        {
            "login" => _ => T.DockerLogin,
            "sshpass" => _ => T.Sshpass,
            "mysql" => _ => T.MysqlEnv,
            "redis" => _ => T.RedisEnv,
            "cypher-shell" => v => ScanContext.Format(T.CypherShellEnv, OptionFix(option, v)),
            _ => v => OptionFix(option, v),
        };
        return (variable, fix);

        string OptionFix(string opt, string v) => ScanContext.Format(commandContext ? T.ComposeCommandOption : T.CommandOption, opt, v);
    }

    private static string Family(string? program) => program switch
    {
        null => string.Empty,
        _ when program.EndsWith(" login", StringComparison.Ordinal) => "login",
        _ when Mysql.Contains(program) => "mysql",
        _ when Mongo.Contains(program) => "mongo",
        _ when Postgres.Contains(program) => "postgres",
        _ when Redis.Contains(program) => "redis",
        _ => program,
    };

    private static bool IsProgram(string name)
        => Mysql.Contains(name) || Mongo.Contains(name) || Postgres.Contains(name) || Redis.Contains(name) || Registry.Contains(name) || Other.Contains(name);

    /// <summary>Words that run the next one: CMD, CMD-SHELL, exec, sudo, env, ...</summary>
    private static bool IsTransparent(string word)
        => word is "CMD" or "CMD-SHELL" or "NONE" or "exec" or "sudo" or "env" or "nohup" or "time" or "command" or "export" or "local" or "readonly" or "gosu" or "su-exec" or "tini" or "--";

    private static bool NextIsOption(Word next)
    {
        string? plain = Plain(next);
        return plain is null || (plain.Length > 1 && plain[0] == '-') || Separators.Contains(plain);
    }

    /// <summary>The word as the shell reads it (the parser's when it has it), null for words over 256 characters, which are never a program or an option.</summary>
    private static string? Plain(Word word)
        => word.Decoded is { } decoded ? (decoded.Length > 256 ? null : decoded) : CommandWords.Unquoted(word);

    private static string BaseName(string word)
    {
        int slash = word.LastIndexOf('/');
        return slash >= 0 ? word[(slash + 1)..] : word;
    }

    /// <summary>Long options that take a password, token or secret (not --password-stdin, --password-file, --no-password, --ask-password).</summary>
    [GeneratedRegex(@"^--(?!no-|ask-|prompt-)(?:[a-z0-9]+[-_])*(?:password|passwd|pass|passphrase|token|secret|api-key|apikey|api_key|secret-key|access-key)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordOption();
}
