using Sbir.Container.Context;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Dockerfile.Rules;

/// <summary>
/// SBC3131: COPY and ADD sources read from the build context, never from the host. '..' above the context is refused
/// by docker ("forbidden path outside the build context"); an absolute path is read from the context's root, which is
/// never what <c>ADD /etc/ssl/certs/ca.pem</c> meant. Sources of COPY --from (another stage or image) are not files of
/// the context and are not judged.
/// </summary>
internal static class ContextRules
{
    public static void Check(RuleContext context)
    {
        foreach (var instruction in context.Document.Instructions)
        {
            if (instruction.Keyword is not ("COPY" or "ADD") || instruction.Flag("from") is not null)
            {
                continue;
            }

            var (sources, _) = InstructionText.CopyArguments(instruction, context.Document.EscapeCharacter);
            foreach (var source in sources)
            {
                if (ImageContents.OutsideContextReason(source.Value) is { } why)
                {
                    context.Report(instruction, InstructionText.Locate(instruction, source), DiagnosticCatalog.CopyOutsideContext, instruction.Keyword, source.Value, why);
                }
            }
        }
    }
}
