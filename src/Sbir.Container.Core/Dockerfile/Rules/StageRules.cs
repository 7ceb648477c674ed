using System.Globalization;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Dockerfile.Rules;

/// <summary>Rules about stages and what the final stage runs: USER, tini, exec form, HEALTHCHECK, base images, stage references.</summary>
internal static class StageRules
{
    private static readonly HashSet<string> InitNames = new(StringComparer.Ordinal) { "tini", "tini-static", "docker-init" };

    public static void Check(RuleContext context)
    {
        FinalStageUser(context);
        FinalStageTini(context);
        ExecForm(context);
        Healthchecks(context);
        BaseImages(context);
        StageReferences(context);
        DuplicateNames(context);
    }

    /// <summary>SBC3101: the final stage ends as a non-root user, its own or inherited from the stages it builds on.</summary>
    private static void FinalStageUser(RuleContext context)
    {
        if (context.FinalStage is not { } final)
        {
            return;
        }

        DockerfileInstruction? lastUser = null;
        string? user = null;
        foreach (var (instruction, scope) in context.WalkChain(final))
        {
            if (instruction.Keyword == "USER")
            {
                lastUser = instruction;
                user = scope.TryExpand(instruction.Arguments.Trim());
            }
        }

        if (lastUser is null)
        {
            // Images built to run unprivileged say so in their tag (gcr.io/distroless/python3:nonroot).
            var root = context.Chain(final)[0];
            string image = DockerfileArgs.Expand(root.BaseImage, context.GlobalValues);
            if (!image.Contains("nonroot", StringComparison.OrdinalIgnoreCase))
            {
                context.Report(final.From, final.From.Span, DiagnosticCatalog.DockerfileFinalStageRunsAsRoot, final.DisplayName,
                    "it has no USER instruction, so it keeps the user of its base image, which is root for almost every image");
            }

            return;
        }

        if (user is null)
        {
            return;
        }

        string name = user.Split(':')[0].Trim();
        if (name is "root" or "0")
        {
            context.Report(lastUser, ArgumentsSpan(lastUser), DiagnosticCatalog.DockerfileFinalStageRunsAsRoot, final.DisplayName,
                $"its last USER is '{user}'");
        }
    }

    /// <summary>SBC3102: the final stage's ENTRYPOINT starts tini (or docker-init) as PID 1.</summary>
    private static void FinalStageTini(RuleContext context)
    {
        if (context.FinalStage is not { } final)
        {
            return;
        }

        DockerfileInstruction? entrypoint = null;
        foreach (var (instruction, _) in context.WalkChain(final))
        {
            if (instruction.Keyword == "ENTRYPOINT")
            {
                entrypoint = instruction;
            }
        }

        if (entrypoint is null)
        {
            context.Report(final.From, final.From.Span, DiagnosticCatalog.DockerfileNoTini, final.DisplayName, "is missing");
            return;
        }

        string? problem = entrypoint.ExecForm switch
        {
            null when entrypoint.Arguments.Trim().Length == 0 => "is empty",
            null => "is in shell form, which starts /bin/sh -c rather than tini",
            { Count: 0 } => "is empty",
            var exec when InitNames.Contains(ShellCommand.BaseName(exec[0] ?? string.Empty)) => null,
            var exec => $"starts '{exec[0]}'",
        };
        if (problem is not null)
        {
            context.Report(entrypoint, ArgumentsSpan(entrypoint), DiagnosticCatalog.DockerfileNoTini, final.DisplayName, problem);
        }
    }

    /// <summary>SBC3103 and SBC3104: ENTRYPOINT, CMD and HEALTHCHECK CMD in exec form, in every stage.</summary>
    private static void ExecForm(RuleContext context)
    {
        foreach (var stage in context.Document.Stages)
        {
            foreach (var instruction in stage.Instructions)
            {
                string arguments = instruction.Arguments.Trim();
                if (instruction.Keyword is "ENTRYPOINT" or "CMD")
                {
                    // An array that does not parse is reported by the parser (SBC3004).
                    if (instruction.ExecForm is null && arguments.Length > 0 && !arguments.StartsWith('['))
                    {
                        context.Report(instruction, ArgumentsSpan(instruction), DiagnosticCatalog.DockerfileShellForm, instruction.Keyword);
                    }
                }
                else if (instruction.Keyword == "HEALTHCHECK" && IsHealthcheckCmd(instruction, out string command)
                    && instruction.ExecForm is null && command.Length > 0 && !command.StartsWith('['))
                {
                    context.Report(instruction, ArgumentsSpan(instruction), DiagnosticCatalog.DockerfileHealthcheckShellForm);
                }
            }
        }
    }

    /// <summary>SBC3105 and SBC3106: one HEALTHCHECK per stage, and one in effect in the final stage.</summary>
    private static void Healthchecks(RuleContext context)
    {
        foreach (var stage in context.Document.Stages)
        {
            DockerfileInstruction? previous = null;
            foreach (var instruction in stage.Instructions)
            {
                if (instruction.Keyword != "HEALTHCHECK" || IsNone(instruction))
                {
                    continue;
                }

                if (previous is not null)
                {
                    context.Report(instruction, instruction.Span, DiagnosticCatalog.DockerfileMultipleHealthchecks,
                        stage.DisplayName, previous.Span.Line.ToString(CultureInfo.InvariantCulture));
                }

                previous = instruction;
            }
        }

        if (context.FinalStage is not { } final)
        {
            return;
        }

        DockerfileInstruction? last = null;
        foreach (var (instruction, _) in context.WalkChain(final))
        {
            if (instruction.Keyword == "HEALTHCHECK")
            {
                last = instruction;
            }
        }

        if (last is null || IsNone(last))
        {
            var anchor = last ?? final.From;
            context.Report(anchor, anchor.Span, DiagnosticCatalog.DockerfileNoHealthcheck, final.DisplayName);
        }
    }

    /// <summary>SBC3113 to SBC3116: base images tagged, not latest, optionally pinned by digest, after ARG expansion.</summary>
    private static void BaseImages(RuleContext context)
    {
        foreach (var stage in context.Document.Stages)
        {
            string raw = stage.BaseImage;
            if (raw.Length == 0 || context.Parent(stage) is not null)
            {
                continue;
            }

            var from = stage.From;
            int at = from.Arguments.IndexOf(raw, StringComparison.Ordinal);
            SourceSpan span = at < 0 ? from.Span : InstructionText.Locate(from, InstructionText.ArgumentsOffset(from) + at, raw.Length);

            if (Variables.FirstUnresolved(raw, context.GlobalValues) is { } unresolved)
            {
                context.Report(from, span, DiagnosticCatalog.DockerfileBaseImageUnresolved, $"'{raw}'", unresolved, Variables.NameOf(unresolved));
                continue;
            }

            string image = DockerfileArgs.Expand(raw, context.GlobalValues).Trim();
            if (image.Length == 0 || image.Equals("scratch", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string shown = image == raw ? $"'{raw}'" : $"'{raw}' (resolved to '{image}')";
            int atSign = image.IndexOf('@');
            string name = atSign < 0 ? image : image[..atSign];
            string? digest = atSign < 0 ? null : image[(atSign + 1)..];
            int colon = name.LastIndexOf(':');
            string? tag = colon > name.LastIndexOf('/') ? name[(colon + 1)..] : null;
            string repository = tag is null ? name : name[..colon];

            if (digest is null && tag is null)
            {
                context.Report(from, span, DiagnosticCatalog.DockerfileBaseImageUntagged, shown, repository);
            }
            else if (digest is null && tag is "latest")
            {
                context.Report(from, span, DiagnosticCatalog.DockerfileBaseImageLatest, shown);
            }

            if (context.Options.RequirePinnedDigest && (digest is null || !digest.StartsWith("sha256:", StringComparison.Ordinal)))
            {
                context.Report(from, span, DiagnosticCatalog.DockerfileBaseImageNotDigestPinned, shown, name);
            }
        }
    }

    /// <summary>SBC3117 and SBC3118: COPY --from and RUN --mount=...,from= name an earlier stage or an image.</summary>
    private static void StageReferences(RuleContext context)
    {
        var stages = context.Document.Stages;
        foreach (var stage in stages)
        {
            foreach (var (instruction, scope) in context.Walk(stage))
            {
                if (instruction.StageIndex != stage.Index)
                {
                    continue;
                }

                if (instruction.Keyword == "COPY" && instruction.Flag("from") is { Value: { } from } fromFlag)
                {
                    CheckReference(context, stage, instruction, scope, from, "--from=" + from, InstructionText.LocateFlag(instruction, fromFlag));
                }
                else if (instruction.Keyword == "RUN")
                {
                    foreach (var flag in instruction.Flags.Where(f => f.Name.Equals("mount", StringComparison.OrdinalIgnoreCase) && f.Value is not null))
                    {
                        if (InstructionText.ParseMount(flag.Value!).TryGetValue("from", out string? mountFrom) && mountFrom.Length > 0)
                        {
                            CheckReference(context, stage, instruction, scope, mountFrom, "--mount=...,from=" + mountFrom, InstructionText.LocateFlag(instruction, flag));
                        }
                    }
                }
            }
        }
    }

    private static void CheckReference(RuleContext context, DockerfileStage stage, DockerfileInstruction instruction, StageScope scope, string reference, string shown, SourceSpan span)
    {
        string? value = reference.Contains('$') ? scope.TryExpand(reference) : reference;
        if (string.IsNullOrEmpty(value))
        {
            // COPY --from=$ARG without a value: nothing to judge (hadolint's false positive #933).
            return;
        }

        var stages = context.Document.Stages;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            if (index == stage.Index)
            {
                context.Report(instruction, span, DiagnosticCatalog.DockerfileSelfStageReference, shown);
            }
            else if (index > stage.Index)
            {
                context.Report(instruction, span, DiagnosticCatalog.DockerfileUnknownStageReference, shown, value);
            }

            return;
        }

        if (stage.Name is not null && stage.Name.Equals(value, StringComparison.OrdinalIgnoreCase)
            && !stages.Take(stage.Index).Any(s => value.Equals(s.Name, StringComparison.OrdinalIgnoreCase)))
        {
            context.Report(instruction, span, DiagnosticCatalog.DockerfileSelfStageReference, shown);
            return;
        }

        if (value.Contains(':') || value.Contains('/') || stages.Take(stage.Index).Any(s => value.Equals(s.Name, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        context.Report(instruction, span, DiagnosticCatalog.DockerfileUnknownStageReference, shown, value);
    }

    /// <summary>SBC3119: stage names are unique.</summary>
    private static void DuplicateNames(RuleContext context)
    {
        var seen = new Dictionary<string, DockerfileStage>(StringComparer.OrdinalIgnoreCase);
        foreach (var stage in context.Document.Stages)
        {
            if (stage.Name is null)
            {
                continue;
            }

            if (seen.TryGetValue(stage.Name, out var first))
            {
                var from = stage.From;
                int at = from.Text.LastIndexOf(stage.Name, StringComparison.OrdinalIgnoreCase);
                SourceSpan span = at < 0 ? from.Span : InstructionText.Locate(from, at, stage.Name.Length);
                context.Report(from, span, DiagnosticCatalog.DockerfileDuplicateStageName, stage.Name, first.From.Span.Line.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                seen[stage.Name] = stage;
            }
        }
    }

    /// <summary>True for HEALTHCHECK NONE.</summary>
    private static bool IsNone(DockerfileInstruction healthcheck)
        => healthcheck.Arguments.Trim().Equals("NONE", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for HEALTHCHECK [flags] CMD ..., with the text after CMD.</summary>
    private static bool IsHealthcheckCmd(DockerfileInstruction healthcheck, out string command)
    {
        string arguments = healthcheck.Arguments.TrimStart();
        bool isCmd = arguments.StartsWith("CMD", StringComparison.OrdinalIgnoreCase) && (arguments.Length == 3 || char.IsWhiteSpace(arguments[3]) || arguments[3] == '[');
        command = isCmd ? arguments[3..].Trim() : string.Empty;
        return isCmd;
    }

    /// <summary>The span of the instruction's arguments (after its flags).</summary>
    internal static SourceSpan ArgumentsSpan(DockerfileInstruction instruction)
    {
        string arguments = instruction.Arguments;
        int lead = arguments.Length - arguments.TrimStart().Length;
        int length = arguments.Trim().Length;
        return length == 0 ? instruction.Span : InstructionText.Locate(instruction, InstructionText.ArgumentsOffset(instruction) + lead, length);
    }
}
