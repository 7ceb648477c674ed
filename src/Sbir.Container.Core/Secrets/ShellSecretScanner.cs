using Sbir.Container.Dockerfile.Rules;

namespace Sbir.Container.Secrets;

/// <summary>
/// Reads shell text with the core's shell parser (<see cref="ShellParser"/>: command lists, quotes and escapes,
/// continuations, comments, heredoc bodies left out, as the Dockerfile rules read RUN): each simple command goes to
/// <see cref="CommandScanner"/> with its words as written and as the shell reads them. NAME=value words (export, local,
/// inline env of a command) are key-aware assignments. The text is a whole script, or a value that holds one (a
/// workflow's run: block, a compose command, a RUN body, a quoted sh -c script).
/// </summary>
internal static class ShellSecretScanner
{
    /// <summary>How deep quoted scripts inside scripts are read (sh -c "bash -c '...'").</summary>
    private const int MaxDepth = 3;

    private static readonly ShellSource NoPlace = new FixedShellSource(Diagnostics.SourceSpan.None);

    public static void Scan(ScanContext ctx, ValueSite site = ValueSite.Shell)
        => Scan(ctx, ctx.File, site, commandContext: false, requireProgram: false);

    /// <summary>Scans every command of <paramref name="source"/>.</summary>
    public static void Scan(ScanContext ctx, ScanSource source, ValueSite site, bool commandContext, bool requireProgram, int depth = 0)
    {
        // A finding needs NAME=value or an option: text with neither '=' nor '-' has none (most values and short lines).
        if (depth > MaxDepth || source.Text.AsSpan().IndexOfAny('=', '-') < 0)
        {
            return;
        }

        // Depth 4 keeps the parser from reading sh -c scripts itself: CommandScanner reads every quoted script, with places.
        foreach (var command in ShellParser.Parse(source.Text, NoPlace, depth: 4))
        {
            var words = new List<Word>(command.Assignments.Count + command.Words.Count);
            foreach (var w in command.Assignments.Concat(command.Words))
            {
                if (w.Start >= 0)
                {
                    words.Add(new Word(source, w.Start, Math.Min(source.Text.Length, w.End), Literal: !w.Expands, Decoded: w.Value));
                }
            }

            // Assignments come first in the text as in the list; only wrappers (sudo, env) between them were left out.
            if (words.Count > 0)
            {
                CommandScanner.Scan(ctx, words, assignments: !requireProgram, commandContext, site, requireProgram, depth);
            }
        }
    }
}
