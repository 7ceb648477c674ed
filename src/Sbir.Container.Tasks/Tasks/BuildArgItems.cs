using Microsoft.Build.Framework;
using Sbir.Container.Secrets;

namespace Sbir.Container.Tasks;

/// <summary>
/// SbirContainerBuildArg items as the tasks exchange them. A build argument from config/docker.yaml whose value holds a
/// secret (<see cref="BuildArgSecrets"/>) becomes an item with no value and <c>Withheld="SBC2010"</c>: MSBuild logs
/// every item and task parameter at -v:diag and in binary logs, so the value must never enter one. ContainerValidate
/// reports it from config/docker.yaml; DockerBuild refuses to build with it.
/// </summary>
internal static class BuildArgItems
{
    /// <summary>The metadata that marks a withheld argument.</summary>
    public const string WithheldMetadata = "Withheld";

    /// <summary>An item for <paramref name="name"/>: with its value, or withheld when the value holds a secret.</summary>
    public static ITaskItem Create(string name, string value, SecretValueSet known)
    {
        var item = new Microsoft.Build.Utilities.TaskItem(name);
        if (BuildArgSecrets.Why(name, value, known) is null)
        {
            item.SetMetadata("Value", value);
        }
        else
        {
            item.SetMetadata(WithheldMetadata, "SBC2010");
        }

        return item;
    }

    /// <summary>True for an item whose value was withheld.</summary>
    public static bool IsWithheld(ITaskItem item) => item.GetMetadata(WithheldMetadata).Length > 0;
}
