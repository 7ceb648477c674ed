namespace Sbir.Container.Diagnostics;

/// <summary>
/// One entry of the diagnostic catalogue: a stable code, what happened and how to fix it.
/// The text of every user-facing message lives in <see cref="DiagnosticCatalog"/>; the catalogue is
/// documented in docs/reference/diagnostics.md and a test keeps the two in step.
/// </summary>
public sealed record DiagnosticDescriptor
{
    // Every descriptor made (all are static fields of DiagnosticCatalog, made together when it is first used): the
    // catalogue lists them from here, without reflection over its fields, which costs a fresh build process milliseconds.
    private static readonly List<DiagnosticDescriptor> Made = [];

    /// <summary>Creates a descriptor (only DiagnosticCatalog does).</summary>
    /// <param name="Code">Stable code, <c>SBC</c> and four digits; the first digit is the area.</param>
    /// <param name="Title">Short name of the rule, used in SARIF and the docs.</param>
    /// <param name="DefaultSeverity">Severity when config/docker.yaml does not override it.</param>
    /// <param name="MessageFormat">What happened; <see cref="string.Format(string, object?[])"/> placeholders.</param>
    /// <param name="FixFormat">How to fix it; may use the same placeholders.</param>
    /// <param name="HelpId">Optional equivalent rule of another tool, for example a hadolint ID.</param>
    public DiagnosticDescriptor(string Code, string Title, DiagnosticSeverity DefaultSeverity, string MessageFormat, string FixFormat, string? HelpId = null)
    {
        this.Code = Code;
        this.Title = Title;
        this.DefaultSeverity = DefaultSeverity;
        this.MessageFormat = MessageFormat;
        this.FixFormat = FixFormat;
        this.HelpId = HelpId;
        lock (Made)
        {
            Made.Add(this);
        }
    }

    /// <summary>Stable code, <c>SBC</c> and four digits; the first digit is the area.</summary>
    public string Code { get; init; }

    /// <summary>Short name of the rule, used in SARIF and the docs.</summary>
    public string Title { get; init; }

    /// <summary>Severity when config/docker.yaml does not override it.</summary>
    public DiagnosticSeverity DefaultSeverity { get; init; }

    /// <summary>What happened; <see cref="string.Format(string, object?[])"/> placeholders.</summary>
    public string MessageFormat { get; init; }

    /// <summary>How to fix it; may use the same placeholders.</summary>
    public string FixFormat { get; init; }

    /// <summary>Optional equivalent rule of another tool, for example a hadolint ID.</summary>
    public string? HelpId { get; init; }

    /// <summary>Every descriptor made so far, in the order made.</summary>
    internal static IReadOnlyList<DiagnosticDescriptor> AllMade
    {
        get
        {
            lock (Made)
            {
                return Made.ToList();
            }
        }
    }

    /// <summary>
    /// True for information the default (minimal) build log must show anyway, such as the line saying
    /// that findings were left out of the log; other information appears only at normal verbosity.
    /// </summary>
    public bool ShownAtMinimalVerbosity { get; init; }

    /// <summary>The area of the code: its first digit (0 SDK, 1 env, 2 secrets, 3 Dockerfile, 4 compose, 5 engine and runtime, 6 registry, 7 swarm).</summary>
    public int Area => Code.Length > 3 ? Code[3] - '0' : -1;

    /// <summary>Creates a diagnostic of this kind with the default severity.</summary>
    public Diagnostic Create(string? file, SourceSpan span, params object?[] args)
        => new(this, DefaultSeverity, file, span, Format(args));

    /// <summary>Creates a diagnostic that is not about a file.</summary>
    public Diagnostic Create(params object?[] args) => Create(null, SourceSpan.None, args);

    /// <summary>Formats "what happened. How to fix it." for these arguments.</summary>
    public string Format(params object?[] args)
    {
        string what = Fill(MessageFormat, args).TrimEnd();
        string fix = Fill(FixFormat, args).Trim();
        if (fix.Length == 0)
        {
            return what;
        }

        string separator = what.EndsWith('.') || what.EndsWith(':') || what.EndsWith('?') || what.EndsWith('!') ? " " : ". ";
        return what + separator + fix;
    }

    private static string Fill(string format, object?[] args)
        => args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
}
