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
        if (depth > MaxDepth)
        {
            return;
        }

        // Depth 4 keeps the parser from reading sh -c scripts itself: CommandScanner reads every quoted script, with places.
        foreach (var command in ShellParser.Parse(source.Text, NoPlace, depth: 4))
        {
            var words = command.Assignments.Concat(command.Words)
                .Where(w => w.Start >= 0)
                .OrderBy(w => w.Start)
                .Select(w => new Word(source, w.Start, Math.Min(source.Text.Length, w.End), Literal: !w.Expands, Decoded: w.Value))
                .ToList();
            if (words.Count > 0)
            {
                CommandScanner.Scan(ctx, words, assignments: !requireProgram, commandContext, site, requireProgram, depth);
            }
        }
    }
}
